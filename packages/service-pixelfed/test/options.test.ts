import { createPlanFromUnknown, createRegistry, formatPath, isFediError } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { PixelfedOptions, pixelfed } from "../src/index.js";

const base = { domain: "photos.example.org", adminEmail: "admin@example.org" };
/** A value a user might paste by mistake: it must never be accepted or echoed. */
const CANARY = "canary-Zq81xPw0Lk3vBn5Tj7Rm2Hs9";

function issuesOf(options: unknown): Array<{ path: string; message: string }> {
  const r = PixelfedOptions.safeParse(options);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

describe("Pixelfed options", () => {
  it("applies the documented defaults", () => {
    const o = PixelfedOptions.parse(base);
    expect(o.smtp).toEqual({ mode: "local" });
    expect(o.registrations).toBe("closed");
    expect(o.resources).toEqual({ memoryMiB: 4096, cpus: 2, diskGiB: 20, allowBelowFloor: false });
    expect(o.extraSettings).toEqual({});
  });

  it.each([
    ["an invalid domain", { ...base, domain: "photos" }, "domain", /fully qualified domain name/],
    ["an invalid admin e-mail", { ...base, adminEmail: "admin" }, "adminEmail", /e-mail/],
    ["a relay without host", { ...base, smtp: { mode: "relay", port: 25 } }, "smtp.host", /expected string/],
    ["memory below the floor", { ...base, resources: { memoryMiB: 3000 } }, "resources.memoryMiB", /at least 4096 MiB/],
    ["approval registrations (Pixelfed has none)", { ...base, registrations: "approval" }, "registrations", /./],
    [
      "a too long admin user name",
      { ...base, initialAdmin: { username: "averyveryverylongname", email: "a@example.org" } },
      "initialAdmin.username",
      /2-15/,
    ],
    [
      "two separators in the admin user name",
      { ...base, initialAdmin: { username: "a.b_c", email: "a@example.org" } },
      "initialAdmin.username",
      /at most one/,
    ],
    ["a secret-looking extra setting", { ...base, extraSettings: { MAIL_PASS: "x" } }, "extraSettings.MAIL_PASS", /./],
    [
      "an extra setting named like a key",
      { ...base, extraSettings: { STRIPE_SECRET: "sk_live" } },
      "extraSettings.STRIPE_SECRET",
      /secret/,
    ],
    [
      "an extra setting holding a PEM key",
      { ...base, extraSettings: { CERT: "-----BEGIN PRIVATE KEY-----" } },
      "extraSettings.CERT",
      /PEM/,
    ],
    [
      "an extra setting the plugin manages",
      { ...base, extraSettings: { AWS_BUCKET: "x" } },
      "extraSettings.AWS_BUCKET",
      /set by the Pixelfed plugin/,
    ],
    [
      "a database setting the module sets",
      { ...base, extraSettings: { DB_PORT: 3306 } },
      "extraSettings.DB_PORT",
      /set by the Pixelfed plugin/,
    ],
    [
      "a non-boolean ACTIVITY_PUB",
      { ...base, extraSettings: { ACTIVITY_PUB: "yes" } },
      "extraSettings.ACTIVITY_PUB",
      /true or false/,
    ],
    [
      "a fraction",
      { ...base, extraSettings: { MAX_ALBUM_LENGTH: 1.5 } },
      "extraSettings.MAX_ALBUM_LENGTH",
      /whole number/,
    ],
  ])("rejects %s at its path", (_name, options, path, message) => {
    const at = issuesOf(options).filter((i) => i.path === path);
    expect(at, JSON.stringify(issuesOf(options))).not.toHaveLength(0);
    expect(at.map((i) => i.message).join("\n")).toMatch(message);
  });

  it("accepts below-floor values only with allowBelowFloor", () => {
    expect(
      PixelfedOptions.parse({ ...base, resources: { memoryMiB: 2048, allowBelowFloor: true } }).resources.memoryMiB,
    ).toBe(2048);
  });

  it("never takes a password as an option value, and never echoes it", () => {
    for (const bad of [
      { ...base, smtp: { mode: "relay", host: "smtp.example.org", user: "u", password: CANARY } },
      { ...base, extraSettings: { MAIL_PASSWORD: CANARY } },
      { ...base, extraSettings: { SOMETHING: `token ${CANARY}0123456789abcdef` } },
    ]) {
      expect(PixelfedOptions.safeParse(bad).success).toBe(false);
      expect(JSON.stringify(issuesOf(bad))).not.toContain(CANARY);
    }
  });

  it("is reported by the planner as PLUGIN_OPTIONS_INVALID at the spec path", () => {
    const registry = createRegistry([storageDouble, pixelfed]);
    let error: unknown;
    try {
      createPlanFromUnknown({
        spec: specWith([{ name: "photos", kind: "pixelfed", options: { ...base, resources: { memoryMiB: 100 } } }]),
        registry,
      });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error) && error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(isFediError(error) && error.issues.map((i) => i.path)).toEqual(["services[0].options.resources.memoryMiB"]);
  });
});
