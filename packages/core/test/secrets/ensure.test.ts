import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isFediError } from "../../src/errors.js";
import { ensureSecrets, FileSecretStore, MemorySecretStore, type SecretDeclaration } from "../../src/secrets/index.js";

const declarations: SecretDeclaration[] = [
  { name: "garage.rpc-secret", generate: { kind: "random-hex", bytes: 32 } },
  { name: "s3.mastodon-media.key-id", generate: { kind: "s3-access-key-id" } },
  { name: "s3.mastodon-media.secret-key", generate: { kind: "s3-secret-key" } },
  { name: "mastodon.secret-key-base", generate: { kind: "random-alnum", length: 64 } },
];

describe("ensureSecrets", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "fedi-ensure-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("generates each missing secret once and keeps values on later runs", async () => {
    const store = new FileSecretStore(join(dir, "secrets"));
    const first = await ensureSecrets(store, declarations);
    expect(first).toEqual({ created: declarations.map((d) => d.name), kept: [] });
    const values = Object.fromEntries(
      await Promise.all(declarations.map(async (d) => [d.name, await store.get(d.name)])),
    );
    expect(values["s3.mastodon-media.key-id"]).toMatch(/^GK[0-9a-f]{24}$/);
    expect(values["s3.mastodon-media.secret-key"]).toMatch(/^[0-9a-f]{64}$/);
    expect(values["garage.rpc-secret"]).toMatch(/^[0-9a-f]{64}$/);

    const second = await ensureSecrets(new FileSecretStore(join(dir, "secrets")), declarations);
    expect(second).toEqual({ created: [], kept: declarations.map((d) => d.name) });
    for (const d of declarations) expect(await store.get(d.name)).toBe(values[d.name]);

    // The result carries names only.
    for (const value of Object.values(values)) expect(JSON.stringify([first, second])).not.toContain(value);
  });

  it("generates a secret declared twice with the same generator only once", async () => {
    const store = new MemorySecretStore();
    const result = await ensureSecrets(store, [declarations[0]!, { ...declarations[0]! }]);
    expect(result.created).toEqual(["garage.rpc-secret"]);
  });

  it("collects every missing import secret into one error and generates nothing", async () => {
    const store = new MemorySecretStore({ "mastodon.smtp-password": "already-provided" });
    const error = await ensureSecrets(store, [
      ...declarations,
      { name: "mastodon.smtp-password", generate: { kind: "import", description: "SMTP password for Mastodon" } },
      { name: "pixelfed.smtp-password", generate: { kind: "import", description: "SMTP password for Pixelfed" } },
      { name: "peertube.smtp-password", generate: { kind: "import", description: "SMTP password for PeerTube" } },
    ]).catch((e: unknown) => e);
    expect(isFediError(error)).toBe(true);
    if (!isFediError(error)) return;
    expect(error.code).toBe("SECRET_FAILED");
    expect(error.issues.map((i) => i.path)).toEqual(["pixelfed.smtp-password", "peertube.smtp-password"]);
    expect(error.issues[0]?.message).toContain("SMTP password for Pixelfed");
    expect(error.issues[0]?.message).toContain("fedi secret set pixelfed.smtp-password");
    expect(error.message).toContain("pixelfed.smtp-password, peertube.smtp-password");
    expect(await store.list()).toEqual(["mastodon.smtp-password"]);
  });

  it("keeps an import secret that was provided", async () => {
    const store = new MemorySecretStore({ "mastodon.smtp-password": "provided-value" });
    const result = await ensureSecrets(store, [
      { name: "mastodon.smtp-password", generate: { kind: "import", description: "SMTP password" } },
    ]);
    expect(result).toEqual({ created: [], kept: ["mastodon.smtp-password"] });
    expect(await store.get("mastodon.smtp-password")).toBe("provided-value");
  });

  it("reports invalid names and conflicting declarations together", async () => {
    const error = await ensureSecrets(new MemorySecretStore(), [
      { name: "../etc", generate: { kind: "random-hex", bytes: 8 } },
      { name: "x", generate: { kind: "random-hex", bytes: 8 } },
      { name: "x", generate: { kind: "random-hex", bytes: 16 } },
    ]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "SECRET_FAILED" });
    expect(isFediError(error) && error.issues.map((i) => i.path)).toEqual(["declarations[0].name", "declarations[2]"]);
  });
});
