import { createPlanFromUnknown, createRegistry, formatPath, isFediError } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { PeertubeOptions, peertube } from "../src/index.js";

const base = { domain: "tube.example.org", adminEmail: "admin@example.org" };
/** A value a user might paste by mistake: it must never be accepted or echoed. */
const CANARY = "canary-Zq81xPw0Lk3vBn5Tj7Rm2Hs9";

function issuesOf(options: unknown): Array<{ path: string; message: string }> {
  const r = PeertubeOptions.safeParse(options);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

describe("PeerTube options", () => {
  it("applies the documented defaults", () => {
    const o = PeertubeOptions.parse(base);
    expect(o.smtp).toEqual({ mode: "local" });
    expect(o.registrations).toBe("closed");
    expect(o.resources).toEqual({ memoryMiB: 5120, cpus: 2, diskGiB: 30, allowBelowFloor: false });
    expect(PeertubeOptions.parse({ ...base, initialAdmin: {} }).initialAdmin).toEqual({ password: "generate" });
  });

  it.each([
    ["an invalid domain", { ...base, domain: "tube..example.org" }, "domain", /fully qualified domain name/],
    ["a relay without host", { ...base, smtp: { mode: "relay", user: "x" } }, "smtp.host", /expected string/],
    [
      "a relay with an invalid port",
      { ...base, smtp: { mode: "relay", host: "smtp.example.org", port: 70000 } },
      "smtp.port",
      /./,
    ],
    [
      "memory below the PeerTube floor",
      { ...base, resources: { memoryMiB: 4096 } },
      "resources.memoryMiB",
      /at least 5120 MiB/,
    ],
    [
      "an admin user name (root is fixed)",
      { ...base, initialAdmin: { username: "alice" } },
      "initialAdmin",
      /username/,
    ],
    [
      "a nested secret",
      { ...base, extraSettings: { plugins: { my_plugin: { api_token: "abc" } } } },
      "extraSettings.plugins.my_plugin.api_token",
      /secret/,
    ],
    [
      "a secret in a list",
      { ...base, extraSettings: { things: [{ password: "x" }] } },
      "extraSettings.things[0].password",
      /secret/,
    ],
    [
      "a credential-shaped value",
      { ...base, extraSettings: { instance: { description: "key AKIAABCDEFGHIJKLMNOP" } } },
      "extraSettings.instance.description",
      /AWS access key/,
    ],
    [
      "object storage settings",
      { ...base, extraSettings: { object_storage: { enabled: false } } },
      "extraSettings.object_storage",
      /set by the PeerTube plugin/,
    ],
    [
      "the admin e-mail",
      { ...base, extraSettings: { admin: { email: "x@example.org" } } },
      "extraSettings.admin.email",
      /set by the PeerTube plugin/,
    ],
    [
      "a scalar over a managed section",
      { ...base, extraSettings: { signup: true } },
      "extraSettings.signup",
      /set by the PeerTube plugin/,
    ],
    [
      "PeerTube's own secret",
      { ...base, extraSettings: { secrets: { peertube: "x" } } },
      "extraSettings.secrets",
      /set by the PeerTube plugin/,
    ],
  ])("rejects %s at its path", (_name, options, path, message) => {
    const at = issuesOf(options).filter((i) => i.path === path);
    expect(at, JSON.stringify(issuesOf(options))).not.toHaveLength(0);
    expect(at.map((i) => i.message).join("\n")).toMatch(message);
  });

  it("leaves other keys of managed sections free, and allows token lifetimes", () => {
    const o = PeertubeOptions.parse({
      ...base,
      extraSettings: { signup: { limit: 50 }, admin: {}, oauth2: { token_lifetime: { access_token: "1 day" } } },
    });
    expect(o.extraSettings.signup).toEqual({ limit: 50 });
  });

  it("never takes a password as an option value, and never echoes it", () => {
    for (const bad of [
      { ...base, initialAdmin: { password: CANARY } },
      { ...base, smtp: { mode: "relay", host: "smtp.example.org", password: CANARY } },
      { ...base, extraSettings: { smtp: { password: CANARY } } },
    ]) {
      expect(PeertubeOptions.safeParse(bad).success).toBe(false);
      expect(JSON.stringify(issuesOf(bad))).not.toContain(CANARY);
    }
  });

  it("is reported by the planner as PLUGIN_OPTIONS_INVALID at the spec path", () => {
    const registry = createRegistry([storageDouble, peertube]);
    let error: unknown;
    try {
      createPlanFromUnknown({
        spec: specWith([{ name: "tube", kind: "peertube", options: { ...base, smtp: { mode: "relay" } } }]),
        registry,
      });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error) && error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(isFediError(error) && error.issues.map((i) => i.path)).toEqual(["services[0].options.smtp.host"]);
  });
});
