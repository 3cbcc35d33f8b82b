import { MemorySecretStore, renderSecretFile } from "@fediversity/core";
import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { phpdotenvAvailable, phpdotenvLoad, scratch, writeText } from "../../core/test/encode/consumers.js";
import { PixelfedOptions, pixelfed } from "../src/index.js";
import { pixelfedRequirements } from "../src/requirements.js";

const base = { domain: "photos.example.org", adminEmail: "admin@example.org" };
const full = {
  ...base,
  registrations: "open",
  smtp: { mode: "relay", host: "smtp.example.org", port: 465, security: "tls", user: "photos@example.org" },
  initialAdmin: { username: "alice", email: "alice@example.org", password: "import" },
  extraSettings: { PF_OPTIMIZE_IMAGES: false, MAX_PHOTO_SIZE: 30000, ACTIVITY_PUB: true },
};

/** Values a customer's web form might carry into `.env`: each must stay one value. */
const HOSTILE_VALUES = {
  PF_NEWLINE: "a\nAPP_KEY=evil\nDB_HOST=evil.example.org",
  PF_COMMENT: "b #AWS_ENDPOINT=http://evil",
  PF_QUOTES: `c"d'e\\"`,
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a phpdotenv interpolation, not a JS template
  PF_INTERPOLATION: "${APP_KEY} $DB_HOST",
  PF_SPACES: "  spaced value  ",
};
const hostile = {
  ...base,
  smtp: { mode: "relay", host: "smtp.example.org", user: "photos@example.org", from: "x#y@example.org" },
  extraSettings: HOSTILE_VALUES,
};

let modules: Record<string, CheckedModule>;

beforeAll(async () => {
  const report = await checkServicePlugin(pixelfed, {
    valid: [
      { name: "minimal", options: base },
      { name: "full", options: full },
      { name: "hostile", options: hostile },
    ],
    invalid: [
      { name: "bad domain", options: { ...base, domain: "x" }, path: "domain" },
      { name: "relay without host", options: { ...base, smtp: { mode: "relay" } }, path: "smtp.host" },
      { name: "below the floor", options: { ...base, resources: { memoryMiB: 1024 } }, path: "resources.memoryMiB" },
      {
        name: "secret in extra settings",
        options: { ...base, extraSettings: { APP_SECRET: "x" } },
        path: "extraSettings.APP_SECRET",
      },
    ],
  });
  modules = Object.fromEntries(report.modules.map((m) => [m.name, m]));
});

const value = (name: string) => modules[name]!.value as any;

describe("Pixelfed module (evaluated by the real Nix)", () => {
  it("enables Pixelfed with its own nginx virtual host, ACME and forced HTTPS", () => {
    const p = value("minimal").services.pixelfed;
    expect(p.enable).toBe(true);
    expect(p.domain).toBe("photos.example.org");
    expect(p.nginx).toEqual({ enableACME: true, forceSSL: true });
  });

  it("stores media in the instance's bucket through the S3 API, served from its public URL", () => {
    const { context } = modules.minimal!;
    const s3 = context.s3!;
    expect(value("minimal").services.pixelfed.settings).toMatchObject({
      PF_ENABLE_CLOUD: true,
      FILESYSTEM_CLOUD: "s3",
      AWS_DEFAULT_REGION: s3.region,
      AWS_BUCKET: s3.buckets.media!.name,
      AWS_URL: s3.buckets.media!.publicUrl,
      AWS_ENDPOINT: s3.endpoint,
      AWS_USE_PATH_STYLE_ENDPOINT: true,
    });
  });

  it("keeps APP_KEY and the keys in secretFile, a path from ctx.secretPath", () => {
    const p = value("full").services.pixelfed;
    expect(p.secretFile).toBe(modules.full!.context.secretPath("env"));
    expect(p.secretFile).toMatch(/^\/run\/fediversity\/secrets\//);
    for (const key of ["APP_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "MAIL_PASSWORD"])
      expect(p.settings[key]).toBeUndefined();
  });

  it("sets registrations, contact address, mail and extra settings", () => {
    expect(value("minimal").services.pixelfed.settings).toMatchObject({
      OPEN_REGISTRATION: false,
      INSTANCE_CONTACT_EMAIL: "admin@example.org",
      MAIL_HOST: "127.0.0.1",
      MAIL_PORT: 25,
      MAIL_ENCRYPTION: "null",
      MAIL_FROM_ADDRESS: "notifications@photos.example.org",
    });
    expect(value("minimal").services.postfix).toEqual({ enable: true });
    const full = value("full");
    expect(full.services.pixelfed.settings).toMatchObject({
      OPEN_REGISTRATION: true,
      MAIL_HOST: "smtp.example.org",
      MAIL_PORT: 465,
      MAIL_ENCRYPTION: "tls",
      MAIL_USERNAME: "photos@example.org",
      PF_OPTIMIZE_IMAGES: false,
      MAX_PHOTO_SIZE: 30000,
      ACTIVITY_PUB: true,
    });
    expect(full.services.postfix).toBeUndefined();
  });

  it("creates the initial administrator once, with the password read from its file", () => {
    expect(value("minimal").systemd).toBeUndefined();
    const unit = value("full").systemd.services["pixelfed-fediversity-admin"];
    expect(unit.serviceConfig).toMatchObject({ Type: "oneshot", User: "pixelfed" });
    expect(unit.requires).toEqual(["pixelfed-data-setup.service"]);
    expect(unit.environment).toEqual({
      FEDI_ADMIN_USERNAME: "alice",
      FEDI_ADMIN_EMAIL: "alice@example.org",
      FEDI_ADMIN_PASSWORD_FILE: modules.full!.context.secretPath("admin-password"),
    });
    expect(unit.script).toContain('--password="$(cat "$FEDI_ADMIN_PASSWORD_FILE")" --is_admin=true --confirm_email=1');
    expect(unit.script).toContain('[ -e "$marker" ] && exit 0');
    expect(unit.script).toContain("user:show");
  });

  it.runIf(phpdotenvAvailable() || Boolean(process.env.CI))(
    "a hostile extra setting stays one value in the .env the module writes, read by the real phpdotenv",
    async () => {
      // pixelfed.nix: configFile = lib.generators.toKeyValue { } cfg.settings (NAME=value in attribute-name order,
      // strings raw, booleans true/false), then `echo -e '\n'` (two newlines), then the secret file appended.
      const settings = value("hostile").services.pixelfed.settings as Record<string, string | number | boolean>;
      const configFile = Object.keys(settings)
        .sort()
        .map((k) => `${k}=${String(settings[k])}\n`)
        .join("");
      const options = PixelfedOptions.parse(hostile);
      const [secretFile] = pixelfedRequirements(options).secretFiles ?? [];
      if (!secretFile) throw new Error("Pixelfed declares no secret file");
      const store = new MemorySecretStore({
        "app-key": "Q7x2LmN9pR4tV8wY1zB5cD3fG6hJ0kS2",
        "s3-access-key-id": "GK31c2f218a2e44f485b94239e",
        "s3-secret-key": "b892c0665f0ada8a4755dae98baa3b133590e11dae3bcc1f9d38d530be6da4d8",
        "smtp-password": "p`w$(id)\"'#\\",
      });
      const secrets = Buffer.from(
        await renderSecretFile(
          { name: "photos-env", content: secretFile.content, owner: "root", mode: "0400", neededBy: [] },
          store,
        ),
      ).toString("utf8");
      const s = await scratch();
      try {
        await writeText(s.dir, ".env", `${configFile}\n\n${secrets}`);
        const env = await phpdotenvLoad(".env", s.dir);
        for (const [k, v] of Object.entries(HOSTILE_VALUES)) expect(env.get(k)).toBe(v);
        expect(env.get("APP_KEY")).toBe("Q7x2LmN9pR4tV8wY1zB5cD3fG6hJ0kS2");
        expect(env.get("MAIL_PASSWORD")).toBe("p`w$(id)\"'#\\");
        expect(env.get("MAIL_FROM_ADDRESS")).toBe("x#y@example.org");
        expect(env.has("DB_HOST")).toBe(false);
        expect(env.get("AWS_ENDPOINT")).toBe(settings.AWS_ENDPOINT);
        const expectedKeys = [...Object.keys(settings), "APP_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"];
        expect([...env.keys()].sort()).toEqual([...expectedKeys, "MAIL_PASSWORD"].sort());
      } finally {
        await s.remove();
      }
    },
  );

  it("holds no credential-shaped string anywhere in the module", () => {
    for (const m of Object.values(modules))
      expect(m.text).not.toMatch(/GK[0-9a-f]{24}|\b[0-9a-f]{64}\b|AKIA[0-9A-Z]{16}/);
  });
});
