import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FediError, hasErrorCode } from "../../src/errors.js";
import {
  connect,
  type MachineEvent,
  MachinePool,
  removeStaleUploads,
  type SshConnection,
  uploadTempPrefix,
} from "../../src/machine/index.js";
import { announceSkip, isRoot } from "../fixtures/privileges.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";

// Giving an uploaded file to another owner (nobody) needs root.
if (!isRoot()) announceSkip("sftp uploads owned by another user (2 tests)", "they need root to change a file's owner");
const asRoot = isRoot() ? it : it.skip;

// sshd runs on this machine, so the "remote" files are checked directly on the local file system.
let sshd: SshdFixture;
let conn: SshConnection;
let dir: string;

beforeAll(async () => {
  sshd = await startSshd();
  conn = await connect(sshd.target("store1"));
  dir = await mkdtemp(join(tmpdir(), "fedi-upload-"));
});

afterAll(async () => {
  await conn?.close();
  await sshd?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function tempFiles(folder: string, target: string): Promise<string[]> {
  const prefix = uploadTempPrefix(target);
  return (await readdir(folder)).filter((name) => name.startsWith(prefix));
}

describe("uploadFile", () => {
  asRoot("uploads with mode 0400 and owner/group by name, creating parent folders with mkdirMode", async () => {
    const target = join(dir, "secrets", "nested", "db-password");
    await conn.uploadFile(target, "s3cr3t\n", { mode: 0o400, owner: "nobody", group: "nogroup", mkdirMode: 0o700 });
    const info = await stat(target);
    expect(info.mode & 0o7777).toBe(0o400);
    expect(info.uid).toBe(65534); // nobody
    expect(info.gid).toBe(65534); // nogroup
    expect(await readFile(target, "utf8")).toBe("s3cr3t\n");
    expect((await stat(join(dir, "secrets"))).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, "secrets", "nested"))).mode & 0o777).toBe(0o700);
    expect(await tempFiles(join(dir, "secrets", "nested"), target)).toEqual([]);
  });

  asRoot("defaults the group to the owner's primary group and the mode to 0600", async () => {
    const target = join(dir, "owned-by-nobody");
    await conn.uploadFile(target, Buffer.from([1, 2, 3]), { owner: "nobody" });
    const info = await stat(target);
    expect(info.mode & 0o7777).toBe(0o600);
    expect([info.uid, info.gid]).toEqual([65534, 65534]);
  });

  it("replaces an existing file atomically: the old content stays whole until the rename", async () => {
    const target = join(dir, "config.json");
    const old = Buffer.alloc(1024 * 1024, "o");
    await writeFile(target, old, { mode: 0o644 });
    const oldInode = (await stat(target)).ino;
    const next = randomBytes(4 * 1024 * 1024);
    const seen: { target: boolean; tmpMode: number }[] = [];
    await conn.uploadFile(target, next, {
      mode: 0o440,
      onProgress: (bytes) => {
        if (seen.length > 0 || bytes < 1024 * 1024) return;
        // Mid-upload (synchronously, so the upload cannot finish meanwhile): the target still has its old content,
        // the data goes to a 0600 temporary file beside it.
        const tmp = readdirSync(dir).find((name) => name.startsWith(uploadTempPrefix(target)));
        seen.push({
          target: readFileSync(target).equals(old),
          tmpMode: tmp ? statSync(join(dir, tmp)).mode & 0o777 : -1,
        });
      },
    });
    expect(seen).toEqual([{ target: true, tmpMode: 0o600 }]);
    expect((await readFile(target)).equals(next)).toBe(true);
    const info = await stat(target);
    expect(info.mode & 0o7777).toBe(0o440);
    expect(info.ino).not.toBe(oldInode); // renamed over, not rewritten in place
    expect(await tempFiles(dir, target)).toEqual([]);
  });

  it("fails for an unknown owner without creating the file or leaving a temporary file", async () => {
    const target = join(dir, "no-such-owner");
    const error = await conn.uploadFile(target, "x", { owner: "no-such-user-fedi" }).catch((e: unknown) => e);
    expect(hasErrorCode(error, "SSH_FAILED")).toBe(true);
    expect((error as Error).message).toContain('no user "no-such-user-fedi"');
    expect(existsSync(target)).toBe(false);
    expect(await tempFiles(dir, target)).toEqual([]);
  });

  it("rejects relative paths and bad modes", async () => {
    await expect(conn.uploadFile("relative/path", "x")).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, "SPEC_INVALID"),
    );
    await expect(conn.uploadFile("/tmp/../etc/x", "x")).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, "SPEC_INVALID"),
    );
    await expect(conn.uploadFile(join(dir, "m"), "x", { mode: 0o10000 })).rejects.toThrow(/not a file mode/);
  });
});

describe("readFile and removeFile", () => {
  it("reads small files, returns undefined for missing ones, refuses large ones", async () => {
    const path = join(dir, "read-me");
    await writeFile(path, "hello\n");
    expect((await conn.readFile(path))?.toString()).toBe("hello\n");
    expect(await conn.readFile(join(dir, "missing"))).toBeUndefined();
    await writeFile(path, Buffer.alloc(200_000));
    expect((await conn.readFile(path))?.length).toBe(200_000);
    await expect(conn.readFile(path, { maxBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/);
  });

  it("removes files, and reports missing ones", async () => {
    const path = join(dir, "remove-me");
    await writeFile(path, "x");
    expect(await conn.removeFile(path)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(await conn.removeFile(path)).toBe(false);
    await expect(conn.removeFile(path, { missingOk: false })).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, "SSH_FAILED"),
    );
  });
});

describe("connection dropped during an upload", () => {
  it("retries the upload on a new connection; the stale temporary file is removed first", async () => {
    const target = join(dir, "retried.bin");
    const events: MachineEvent[] = [];
    let staleSeen: string[] = [];
    const pool = new MachinePool({
      onEvent: (e) => events.push(e),
      // Between the attempts: look at what the dropped attempt left behind.
      retry: {
        attempts: 3,
        sleep: async () => {
          staleSeen = await tempFiles(dir, target);
        },
      },
    });
    const data = randomBytes(16 * 1024 * 1024);
    let dropping: Promise<void> | undefined;
    await pool.uploadFile(sshd.target("store1"), target, data, {
      mode: 0o400,
      onProgress: (bytes) => {
        if (!dropping && bytes >= 2 * 1024 * 1024) dropping = sshd.killSessions();
      },
    });
    await dropping;
    await pool.closeAll();
    expect(staleSeen).toHaveLength(1); // the first attempt's partial temporary file, left by the drop
    expect(events.filter((e) => e.type === "retrying")).toHaveLength(1);
    expect(events.filter((e) => e.type === "connected")).toHaveLength(2);
    expect((await readFile(target)).equals(data)).toBe(true);
    expect((await stat(target)).mode & 0o7777).toBe(0o400);
    expect(await tempFiles(dir, target)).toEqual([]);
    // The suite's shared connection was dropped too.
    conn = await connect(sshd.target("store1"));
  });
});

describe("sshd killed during an upload", () => {
  it("retries, then fails naming the machine and attempts; the target is never partial and cleanup removes the temp file", async () => {
    const crashDir = join(dir, "crash");
    await mkdir(crashDir);
    const target = join(crashDir, "big.bin");
    const events: MachineEvent[] = [];
    const pool = new MachinePool({
      onEvent: (e) => events.push(e),
      retry: { attempts: 3, initialDelayMs: 50, sleep: async () => {} },
    });
    let killing: Promise<void> | undefined;
    const data = randomBytes(16 * 1024 * 1024);
    const error = (await pool
      .uploadFile(sshd.target("store1"), target, data, {
        mode: 0o400,
        onProgress: (bytes) => {
          if (!killing && bytes >= 2 * 1024 * 1024) killing = sshd.kill();
        },
      })
      .catch((e: unknown) => e)) as FediError;
    await killing;
    expect(killing).toBeDefined();
    expect(hasErrorCode(error, "SSH_FAILED")).toBe(true);
    expect(error.machine).toBe("store1");
    expect(error.message).toContain('machine "store1"');
    expect(error.message).toContain(`upload ${target}`);
    expect(error.message).toContain("after 3 attempts");
    expect(error.message).toContain("ECONNREFUSED"); // the last attempt found sshd gone
    const retries = events.filter((e) => e.type === "retrying");
    expect(retries.map((e) => e.type === "retrying" && e.attempt)).toEqual([1, 2]);
    expect(retries[0]!.type === "retrying" && retries[0]!.reason).toMatch(/connection .* was lost/);

    // The crash left the partial temporary file (0600) but never a partial target.
    expect(existsSync(target)).toBe(false);
    const leftovers = await tempFiles(crashDir, target);
    expect(leftovers).toHaveLength(1);
    const partial = await stat(join(crashDir, leftovers[0]!));
    expect(partial.mode & 0o777).toBe(0o600);
    expect(partial.size).toBeLessThan(data.length);

    // Once the machine is back, cleanup removes the leftover (the next upload of the path would too).
    await sshd.restart();
    expect(await pool.withMachine(sshd.target("store1"), (c) => removeStaleUploads(c, target))).toBe(1);
    expect(await readdir(crashDir)).toEqual([]);
    await pool.uploadFile(sshd.target("store1"), target, "small", { mode: 0o400 });
    expect(await readdir(crashDir)).toEqual(["big.bin"]);
    await pool.closeAll();
    // The suite's shared connection died with the crash; reopen it for any later test.
    conn = await connect(sshd.target("store1"));
  });
});
