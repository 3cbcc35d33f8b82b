import { createPlanFromUnknown, createRegistry, deploymentFiles, isFediError, type Plan } from "@fediversity/core";
import { nixParse } from "@fediversity/core/nix";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { mastodon } from "../src/index.js";

const registry = createRegistry([storageDouble, mastodon]);
const options = {
  domain: "social.example.org",
  adminEmail: "admin@example.org",
  smtp: { mode: "relay", host: "smtp.example.org", user: "social@example.org" },
  initialAdmin: { username: "alice", email: "alice@example.org" },
};

function plan(opts: unknown = options, storage?: Record<string, unknown>): Plan {
  return createPlanFromUnknown({
    spec: specWith([{ name: "social", kind: "mastodon", options: opts }], storage),
    registry,
  });
}

describe("Mastodon in a plan", () => {
  it("gets a public media bucket with CORS for GET from any origin", () => {
    const p = plan();
    expect(p.buckets).toHaveLength(1);
    const media = p.buckets[0]!;
    expect(media).toMatchObject({
      name: "demo-social-media",
      public: true,
      publicUrl: "https://demo-social-media.web.example.org",
    });
    expect(media.cors).toEqual([expect.objectContaining({ allowedOrigins: ["*"], allowedMethods: ["GET", "HEAD"] })]);
  });

  it("declares its secrets: generated keys, the imported SMTP password, the owner's password", () => {
    const p = plan();
    const byName = new Map(p.secrets.map((s) => [s.name, s.generate]));
    expect(byName.get("social.secret-key-base")).toEqual({ kind: "random-hex", bytes: 64 });
    expect(byName.get("social.ar-primary-key")).toEqual({ kind: "random-alnum", length: 32 });
    expect(byName.get("social.smtp-password")?.kind).toBe("import");
    expect(byName.get("social.admin-password")).toEqual({ kind: "random-alnum", length: 24 });
    expect(byName.get("social.s3-access-key-id")).toEqual({ kind: "s3-access-key-id" });
    const local = plan({ domain: "social.example.org", adminEmail: "admin@example.org" });
    expect(local.secrets.map((s) => s.name)).not.toContain("social.smtp-password");
    expect(local.secrets.map((s) => s.name)).not.toContain("social.admin-password");
  });

  it("installs the S3 credentials root-only before every Mastodon unit, and the rest for the mastodon user", () => {
    const files = new Map(plan().machines[0]!.secretFiles.map((f) => [f.name, f]));
    const env = files.get("social-s3-env")!;
    expect(env).toMatchObject({ owner: "root", mode: "0400", path: "/run/fediversity/secrets/social-s3-env" });
    expect(env.content).toEqual({
      kind: "env",
      entries: {
        AWS_ACCESS_KEY_ID: { secret: "social.s3-access-key-id" },
        AWS_SECRET_ACCESS_KEY: { secret: "social.s3-secret-key" },
      },
    });
    // nixpkgs mastodon.nix: extraEnvFiles is EnvironmentFile= of every unit but mastodon-init-dirs
    expect(env.neededBy).toEqual([
      "mastodon-fediversity-setup.service",
      "mastodon-init-db.service",
      "mastodon-media-auto-remove.service",
      "mastodon-sidekiq-all.service",
      "mastodon-streaming-1.service",
      "mastodon-web.service",
    ]);
    // after a change only the long-running units restart (the oneshots read it when they next run)
    const processes = ["mastodon-sidekiq-all.service", "mastodon-streaming-1.service", "mastodon-web.service"];
    expect(env).toMatchObject({ restartUnits: processes, rerunUnits: [] });
    // the value files are read by mastodon-init-dirs into .secrets_env: it runs again, the processes restart
    expect(files.get("social-secret-key-base")).toMatchObject({
      owner: "mastodon",
      neededBy: ["mastodon-init-dirs.service"],
      rerunUnits: ["mastodon-init-dirs.service"],
      restartUnits: processes,
    });
    expect(files.get("social-smtp-password")).toMatchObject({
      owner: "mastodon",
      content: { kind: "value", secret: "social.smtp-password" },
    });
    expect(files.get("social-admin-password")).toMatchObject({
      owner: "mastodon",
      neededBy: ["mastodon-fediversity-setup.service"],
      restartUnits: [],
      rerunUnits: [],
    });
  });

  it("opens 80/443, asks for ACME, and renders a machine module the real Nix parses", async () => {
    const p = plan();
    const m = p.machines[0]!;
    expect(m.tcpPorts).toEqual([80, 443]);
    expect(m.nixosModule).toContain("acceptTerms = true");
    expect(m.nixosModule).toContain('extraEnvFiles = [ "/run/fediversity/secrets/social-s3-env" ]');
    await nixParse(m.nixosModule);
    const nixFiles = [...deploymentFiles(p)].filter(([path]) => path.endsWith(".nix"));
    expect(nixFiles.length).toBeGreaterThan(1);
    for (const [path, text] of nixFiles) expect(text, path).not.toMatch(/GK[0-9a-f]{24}|\b[0-9a-f]{64}\b/);
  });

  it("reports health checks for its units and /health", () => {
    const checks = plan().instances[0]!.checks;
    expect(checks).toContainEqual({ kind: "systemd-unit", unit: "mastodon-web.service" });
    expect(checks).toContainEqual({
      kind: "http",
      url: "https://social.example.org/health",
      expectStatus: [200],
      viaMachine: true,
    });
  });

  it("fails with SPEC_INVALID at storage.options when the storage cannot serve media publicly", () => {
    let error: unknown;
    try {
      plan(options, { s3RootDomain: "s3.example.org" });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error) && error.code).toBe("SPEC_INVALID");
    expect(isFediError(error) && error.issues.map((i) => i.path)).toEqual(["storage.options"]);
  });
});
