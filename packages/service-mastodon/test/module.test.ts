import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { mastodon } from "../src/index.js";

const base = { domain: "social.example.org", adminEmail: "admin@example.org" };
const full = {
  ...base,
  registrations: "approval",
  smtp: { mode: "relay", host: "smtp.example.org", user: "social@example.org" },
  initialAdmin: { username: "alice", email: "alice@example.org" },
  resources: { cpus: 4 },
  extraSettings: { SINGLE_USER_MODE: true, DEFAULT_LOCALE: "nl", MAX_TOOT_CHARS: 1000 },
};

let modules: Record<string, CheckedModule>;

beforeAll(async () => {
  const report = await checkServicePlugin(mastodon, {
    pkgs: ["mastodon"],
    valid: [
      { name: "minimal", options: base },
      { name: "full", options: full },
      {
        name: "implicit-tls",
        options: { ...base, smtp: { mode: "relay", host: "mail.example.org", port: 465, security: "tls" } },
      },
    ],
    invalid: [
      { name: "bad domain", options: { ...base, domain: "x" }, path: "domain" },
      { name: "relay without host", options: { ...base, smtp: { mode: "relay" } }, path: "smtp.host" },
      { name: "below the floor", options: { ...base, resources: { memoryMiB: 1024 } }, path: "resources.memoryMiB" },
      {
        name: "secret in extra settings",
        options: { ...base, extraSettings: { SECRET_KEY_BASE: "x" } },
        path: "extraSettings.SECRET_KEY_BASE",
      },
    ],
  });
  modules = Object.fromEntries(report.modules.map((m) => [m.name, m]));
});

/** The evaluated module of a case (JSON from the real Nix). */
const value = (name: string) => modules[name]!.value as any;

describe("Mastodon module (evaluated by the real Nix)", () => {
  it("enables Mastodon on the domain behind nginx with ACME", () => {
    const m = value("minimal");
    expect(m.services.mastodon.enable).toBe(true);
    expect(m.services.mastodon.localDomain).toBe("social.example.org");
    expect(m.services.mastodon.configureNginx).toBe(true);
    expect(m.services.nginx.virtualHosts["social.example.org"]).toEqual({ enableACME: true, forceSSL: true });
    expect(m.services.mastodon.database).toEqual({ createLocally: true });
    expect(m.services.mastodon.redis).toEqual({ createLocally: true });
  });

  it("points Mastodon at the instance's bucket through the S3 API and its public URL", () => {
    const { context } = modules.minimal!;
    const s3 = context.s3!;
    const media = s3.buckets.media!;
    const env = value("minimal").services.mastodon.extraConfig;
    expect(env).toMatchObject({
      S3_ENABLED: "true",
      S3_BUCKET: media.name,
      S3_REGION: s3.region,
      S3_ENDPOINT: s3.endpoint,
      S3_HOSTNAME: new URL(s3.endpoint).host,
      S3_PROTOCOL: "https",
      S3_ALIAS_HOST: new URL(media.publicUrl!).host,
      S3_OVERRIDE_PATH_STYLE: "false",
      S3_PERMISSION: "",
    });
    expect(Object.keys(env).filter((k) => k.startsWith("AWS_"))).toEqual([]);
  });

  it("passes every secret as a file path from ctx.secretPath", () => {
    const { context } = modules.full!;
    const m = value("full").services.mastodon;
    expect(m.extraEnvFiles).toEqual([context.secretPath("s3-env")]);
    expect(m.secretKeyBaseFile).toBe(context.secretPath("secret-key-base"));
    expect(m.activeRecordEncryptionDeterministicKeyFile).toBe(context.secretPath("ar-deterministic-key"));
    expect(m.activeRecordEncryptionKeyDerivationSaltFile).toBe(context.secretPath("ar-key-derivation-salt"));
    expect(m.activeRecordEncryptionPrimaryKeyFile).toBe(context.secretPath("ar-primary-key"));
    expect(m.smtp.passwordFile).toBe(context.secretPath("smtp-password"));
    for (const path of [m.extraEnvFiles[0], m.secretKeyBaseFile, m.smtp.passwordFile]) {
      expect(path).toMatch(/^\/run\/fediversity\/secrets\/[a-z0-9-]+$/);
    }
  });

  it("authenticates to the relay with STARTTLS, or uses implicit TLS, or the local Postfix", () => {
    expect(value("full").services.mastodon.smtp).toEqual({
      createLocally: false,
      host: "smtp.example.org",
      port: 587,
      fromAddress: "notifications@social.example.org",
      authenticate: true,
      user: "social@example.org",
      passwordFile: modules.full!.context.secretPath("smtp-password"),
    });
    expect(value("full").services.mastodon.extraConfig.SMTP_ENABLE_STARTTLS).toBe("always");
    const tls = value("implicit-tls").services.mastodon;
    expect(tls.smtp).toMatchObject({ createLocally: false, port: 465, authenticate: false });
    expect(tls.smtp.passwordFile).toBeUndefined();
    expect(tls.extraConfig).toMatchObject({ SMTP_TLS: "true", SMTP_ENABLE_STARTTLS: "never" });
    expect(value("minimal").services.mastodon.smtp).toEqual({
      createLocally: true,
      fromAddress: "notifications@social.example.org",
    });
  });

  it("sizes streaming by CPUs and passes extra settings as strings", () => {
    expect(value("minimal").services.mastodon.streamingProcesses).toBe(1);
    expect(value("full").services.mastodon.streamingProcesses).toBe(3);
    expect(value("full").services.mastodon.extraConfig).toMatchObject({
      SINGLE_USER_MODE: "true",
      DEFAULT_LOCALE: "nl",
      MAX_TOOT_CHARS: "1000",
    });
  });

  it("applies registrations and the contact address, and creates the owner from a password file", () => {
    const unit = value("full").systemd.services["mastodon-fediversity-setup"];
    expect(unit.serviceConfig).toMatchObject({ Type: "oneshot", User: "mastodon" });
    expect(unit.serviceConfig.EnvironmentFile).toEqual([
      "/var/lib/mastodon/.secrets_env",
      modules.full!.context.secretPath("s3-env"),
    ]);
    expect(unit.environment).toMatchObject({
      FEDI_REGISTRATIONS_MODE: "approved",
      FEDI_CONTACT_EMAIL: "admin@example.org",
      FEDI_ADMIN_USERNAME: "alice",
      FEDI_ADMIN_EMAIL: "alice@example.org",
      FEDI_ADMIN_PASSWORD_FILE: modules.full!.context.secretPath("admin-password"),
      FEDI_ADMIN_EMAIL_DOMAIN: "example.org",
    });
    expect(unit.script).toContain(
      'EMAIL_DOMAIN_ALLOWLIST="$FEDI_ADMIN_EMAIL_DOMAIN" bin/tootctl accounts create "$FEDI_ADMIN_USERNAME" --email "$FEDI_ADMIN_EMAIL" --confirmed --approve --role Owner 2>&1',
    );
    expect(unit.script).toContain("/var/lib/mastodon/.fediversity-initial-admin");
    expect(unit.script).toContain("File.read(ENV.fetch('FEDI_ADMIN_PASSWORD_FILE'))");
    // Without an initial admin: settings only.
    const minimal = value("minimal").systemd.services["mastodon-fediversity-setup"];
    expect(minimal.environment.FEDI_REGISTRATIONS_MODE).toBe("none");
    expect(minimal.script).not.toContain("tootctl");
    expect(Object.keys(minimal.environment).filter((k) => k.startsWith("FEDI_ADMIN"))).toEqual([]);
  });

  it("copies mastodon-web's environment (without PATH) from the NixOS config", () => {
    const text = modules.full!.text;
    expect(text).toContain('builtins.removeAttrs (config.systemd.services.mastodon-web.environment or { }) [ "PATH" ]');
  });

  it("holds no credential-shaped string anywhere in the module", () => {
    for (const m of Object.values(modules)) {
      expect(m.text).not.toMatch(/GK[0-9a-f]{24}|\b[0-9a-f]{64}\b|AKIA[0-9A-Z]{16}/);
      expect(m.text).not.toMatch(/AWS_SECRET_ACCESS_KEY\s*=/);
    }
  });
});
