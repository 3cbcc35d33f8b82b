import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileSecretStore, MemorySecretStore, type SecretStore } from "../../src/secrets/index.js";

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe("FileSecretStore", () => {
  let root: string;
  let dir: string;
  let store: FileSecretStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "fedi-secrets-"));
    dir = join(root, ".fedi", "secrets");
    store = new FileSecretStore(dir);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("creates the folder 0700 and one 0600 file per secret holding exactly the value", async () => {
    expect(await store.list()).toEqual([]);
    await store.set("mastodon.secret-key-base", "s3cr3t-value\twith tab");
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, "mastodon.secret-key-base"))).toBe(0o600);
    expect(await readFile(join(dir, "mastodon.secret-key-base"), "utf8")).toBe("s3cr3t-value\twith tab");
    expect(await store.get("mastodon.secret-key-base")).toBe("s3cr3t-value\twith tab");
  });

  it("tightens a folder and files that are readable by others", async () => {
    await store.set("a", "value-a");
    await chmod(dir, 0o755);
    await chmod(join(dir, "a"), 0o644);
    expect(await store.get("a")).toBe("value-a");
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, "a"))).toBe(0o600);
  });

  it("replaces values and leaves no temporary files behind", async () => {
    await store.set("k", "first-value");
    await store.set("k", "second-value");
    expect(await store.get("k")).toBe("second-value");
    expect(await readdir(dir)).toEqual(["k"]);
    expect(await mode(join(dir, "k"))).toBe(0o600);
  });

  it("implements has, delete and sorted list, ignoring files that are not secrets", async () => {
    await store.set("zeta", "zzzzzzzz");
    await store.set("alpha", "aaaaaaaa");
    await writeFile(join(dir, ".alpha.123.abc.tmp"), "partial");
    await mkdir(join(dir, "subdir"));
    expect(await store.list()).toEqual(["alpha", "zeta"]);
    expect(await store.has("alpha")).toBe(true);
    await store.delete("alpha");
    await store.delete("alpha");
    expect(await store.has("alpha")).toBe(false);
    expect(await store.get("alpha")).toBeUndefined();
    expect(await store.list()).toEqual(["zeta"]);
  });

  it("rejects names that could escape the folder or are not secret names", async () => {
    for (const bad of ["../escape", "a/b", "..", ".hidden", "/etc/passwd", "UPPER", "", "a b", "x".repeat(201)]) {
      await expect(store.set(bad, "value-123"), bad).rejects.toMatchObject({ code: "SECRET_FAILED" });
      await expect(store.get(bad), bad).rejects.toMatchObject({ code: "SECRET_FAILED" });
    }
    await expect(readdir(root)).resolves.toEqual([]);
  });

  it("refuses empty values, symbolic links and a folder that is a file", async () => {
    await expect(store.set("empty", "")).rejects.toMatchObject({ code: "SECRET_FAILED" });

    await store.set("real", "real-value");
    await writeFile(join(root, "outside"), "outside-value");
    await symlink(join(root, "outside"), join(dir, "linked"));
    await expect(store.get("linked")).rejects.toMatchObject({ code: "SECRET_FAILED" });
    await expect(store.set("linked", "new-value")).rejects.toMatchObject({ code: "SECRET_FAILED" });
    expect(await readFile(join(root, "outside"), "utf8")).toBe("outside-value");

    const fileAsDir = join(root, "not-a-folder");
    await writeFile(fileAsDir, "x");
    await expect(new FileSecretStore(fileAsDir).set("a", "value-a")).rejects.toMatchObject({ code: "SECRET_FAILED" });
  });

  it("never puts the value into an error message", async () => {
    const value = "do-not-leak-this-value";
    await expect(store.set("bad/name", value)).rejects.toSatisfy((e: Error) => !e.message.includes(value));
  });
});

describe("MemorySecretStore", () => {
  it("behaves like a secret store", async () => {
    const store: SecretStore = new MemorySecretStore({ b: "value-b" });
    await store.set("a", "value-a");
    expect(await store.list()).toEqual(["a", "b"]);
    expect(await store.get("b")).toBe("value-b");
    await store.delete("b");
    expect(await store.has("b")).toBe(false);
    await expect(store.set("../x", "value")).rejects.toMatchObject({ code: "SECRET_FAILED" });
    expect(() => new MemorySecretStore({ "bad name": "v" })).toThrow(
      expect.objectContaining({ code: "SECRET_FAILED" }),
    );
  });
});
