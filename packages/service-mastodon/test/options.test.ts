import { createPlanFromUnknown, createRegistry, formatPath, isFediError } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { MastodonOptions, mastodon } from "../src/index.js";

const base = { domain: "social.example.org", adminEmail: "admin@example.org" };
/** A value a user might paste by mistake: it must never be accepted or echoed. */
const CANARY = "canary-Zq81xPw0Lk3vBn5Tj7Rm2Hs9";

function issuesOf(options: unknown): Array<{ path: string; message: string }> {
  const r = MastodonOptions.safeParse(options);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
}

describe("Mastodon options", () => {
  it("applies the documented defaults", () => {
    const o = MastodonOptions.parse(base);
    expect(o.smtp).toEqual({ mode: "local" });
    expect(o.registrations).toBe("closed");
    expect(o.resources).toEqual({ memoryMiB: 4096, cpus: 2, diskGiB: 20, allowBelowFloor: false });
    expect(o.extraSettings).toEqual({});
    expect(o.initialAdmin).toBeUndefined();
  });

  it("fills relay defaults and the admin password source", () => {
    const o = MastodonOptions.parse({
      ...base,
      smtp: { mode: "relay", host: "smtp.example.org", user: "social@example.org" },
      initialAdmin: { username: "alice", email: "alice@example.org" },
    });
    expect(o.smtp).toEqual({
      mode: "relay",
      host: "smtp.example.org",
      port: 587,
      security: "starttls",
      user: "social@example.org",
    });
    expect(o.initialAdmin?.password).toBe("generate");
  });

  it.each([
    ["an invalid domain", { ...base, domain: "Social_Example" }, "domain", /fully qualified domain name/],
    ["a missing admin e-mail", { domain: base.domain }, "adminEmail", /expected string/],
    ["a relay without host", { ...base, smtp: { mode: "relay" } }, "smtp.host", /expected string/],
    ["an SMTP block without mode", { ...base, smtp: { host: "smtp.example.org" } }, "smtp.mode", /mode: "local"/],
    [
      "memory below the floor",
      { ...base, resources: { memoryMiB: 2048 } },
      "resources.memoryMiB",
      /at least 4096 MiB.*allowBelowFloor/,
    ],
    ["an unknown registration mode", { ...base, registrations: "invite" }, "registrations", /./],
    [
      "a reserved admin user name",
      { ...base, initialAdmin: { username: "admin", email: "a@example.org" } },
      "initialAdmin.username",
      /reserved/,
    ],
    [
      "an admin user name with capitals",
      { ...base, initialAdmin: { username: "Alice", email: "a@example.org" } },
      "initialAdmin.username",
      /a-z/,
    ],
    [
      "a secret-looking extra setting",
      { ...base, extraSettings: { SMTP_PASSWORD: "hunter2" } },
      "extraSettings.SMTP_PASSWORD",
      /secret/,
    ],
    [
      "an extra setting holding a key",
      { ...base, extraSettings: { SOME_VALUE: "GK0123456789abcdef01234567" } },
      "extraSettings.SOME_VALUE",
      /Garage access key/,
    ],
    [
      "an extra setting holding a URL with password",
      { ...base, extraSettings: { DATABASE_URL: "postgres://u:p4ss@db/x" } },
      "extraSettings.DATABASE_URL",
      /URL with a password/,
    ],
    [
      "an extra setting the plugin manages",
      { ...base, extraSettings: { S3_BUCKET: "other" } },
      "extraSettings.S3_BUCKET",
      /set by the Mastodon plugin/,
    ],
    [
      "an extra setting that is not a variable name",
      { ...base, extraSettings: { "lower-case": "x" } },
      'extraSettings["lower-case"]',
      /environment variable name/,
    ],
    ["an extra setting with a nested value", { ...base, extraSettings: { A: { b: 1 } } }, "extraSettings.A", /./],
  ])("rejects %s at its path", (_name, options, path, message) => {
    const issues = issuesOf(options);
    const at = issues.filter((i) => i.path === path);
    expect(at, JSON.stringify(issues)).not.toHaveLength(0);
    expect(at.map((i) => i.message).join("\n")).toMatch(message);
  });

  it("accepts values below the floor with allowBelowFloor", () => {
    const o = MastodonOptions.parse({ ...base, resources: { memoryMiB: 2048, cpus: 1, allowBelowFloor: true } });
    expect(o.resources).toEqual({ memoryMiB: 2048, cpus: 1, diskGiB: 20, allowBelowFloor: true });
    expect(mastodon.requirements(o).memoryMiB).toBe(2048);
  });

  it("accepts a secret-looking extra setting that points to a file under /run", () => {
    const o = MastodonOptions.parse({
      ...base,
      extraSettings: { DEEPL_API_KEY_FILE: "/run/keys/deepl", SINGLE_USER_MODE: true },
    });
    expect(o.extraSettings).toEqual({ DEEPL_API_KEY_FILE: "/run/keys/deepl", SINGLE_USER_MODE: true });
  });

  it("never takes a password as an option value, and never echoes it", () => {
    for (const bad of [
      { ...base, smtp: { mode: "relay", host: "smtp.example.org", user: "u", password: CANARY } },
      { ...base, extraSettings: { SMTP_PASSWORD: CANARY } },
      { ...base, initialAdmin: { username: "alice", email: "a@example.org", password: CANARY } },
    ]) {
      const r = MastodonOptions.safeParse(bad);
      expect(r.success).toBe(false);
      expect(JSON.stringify(issuesOf(bad))).not.toContain(CANARY);
    }
  });

  it("is reported by the planner as PLUGIN_OPTIONS_INVALID at the spec path, without the secret", () => {
    const registry = createRegistry([storageDouble, mastodon]);
    const spec = specWith([
      {
        name: "social",
        kind: "mastodon",
        options: { ...base, domain: "not a domain", extraSettings: { OTP_SECRET: CANARY } },
      },
    ]);
    let error: unknown;
    try {
      createPlanFromUnknown({ spec, registry });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error)).toBe(true);
    if (!isFediError(error)) return;
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    const paths = error.issues.map((i) => i.path);
    expect(paths).toContain("services[0].options.domain");
    expect(paths).toContain("services[0].options.extraSettings.OTP_SECRET");
    expect(error.describe()).not.toContain(CANARY);
    expect(JSON.stringify(error.toJSON())).not.toContain(CANARY);
  });
});

describe("values that reach Mastodon's environment (the module's bash-sourced NAME=\"value\" file and Environment=)", () => {
  const hostile = ["$(touch /tmp/pwned)", "`id`", 'a"b', "a\\b", "100%n", "two\nlines"];

  it("refuses hostile extraSettings, smtp.user, smtp.from at their own paths", () => {
    for (const value of hostile) {
      const paths = issuesOf({
        ...base,
        smtp: { mode: "relay", host: "smtp.example.org", user: `u${value}`.replace(/\s/g, ""), from: "x@example.org" },
        extraSettings: { DEFAULT_LOCALE: value },
      }).map((i) => i.path);
      expect(paths).toContain("extraSettings.DEFAULT_LOCALE");
      if (!/\s|"|\\/.test(value)) expect(paths).toContain("smtp.user");
    }
    expect(issuesOf({ ...base, smtp: { mode: "local", from: "$(reboot)@example.org" } }).map((i) => i.path)).toEqual([
      "smtp.from",
    ]);
    expect(issuesOf({ ...base, extraSettings: { DEFAULT_LOCALE: "nl", SINGLE_USER_MODE: true } })).toEqual([]);
  });

  it("stops the plan when the storage hands over a value Mastodon's env file cannot hold (e.g. a public URL)", () => {
    const registry = createRegistry([storageDouble, mastodon]);
    const spec = specWith([{ name: "social", kind: "mastodon", options: base }], {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a JS template
      webRootDomain: "media.example.org$(touch${IFS}/tmp/pwned)",
    });
    let error: unknown;
    try {
      createPlanFromUnknown({ spec, registry });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error)).toBe(true);
    if (!isFediError(error)) return;
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual(["storage.options"]);
    expect(error.issues[0]!.message).toContain("S3_ALIAS_HOST");
    expect(error.issues[0]!.message).toContain("could run as a command");
  });
});
