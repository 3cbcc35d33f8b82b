// The lock file itself: complete when visible, naming its holder; stale locks of this host taken over, others not;
// claims and temporary files of killed runs removed; release never removes another holding's lock.
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock, type FediError, hasErrorCode, readLockOwner, writeDeploymentDir } from "../../src/index.js";
import { hostTag, isTempFileName, removeStaleTempFiles, tempPathFor } from "../../src/util/temp-files.js";

let dir: string;
let lock: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-lock-"));
  lock = join(dir, "state.lock");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((r) => child.on("exit", r));
  return child.pid!;
}

async function errorOf(p: Promise<unknown>): Promise<FediError> {
  try {
    await p;
  } catch (e) {
    return e as FediError;
  }
  throw new Error("expected a rejection");
}

describe("acquireLock", () => {
  it("writes the holder into the lock file before it appears, and removes it on release", async () => {
    const held = await acquireLock(lock, { command: "fedi plan" });
    const owner = JSON.parse(await readFile(lock, "utf8"));
    expect(owner).toEqual({
      pid: process.pid,
      host: hostname(),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      command: "fedi plan",
      token: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await readLockOwner(lock)).toEqual(owner);
    expect(await readdir(dir)).toEqual(["state.lock"]); // the temporary file is gone
    const second = await errorOf(acquireLock(lock, { command: "fedi apply" }));
    expect(second.code).toBe("STATE_LOCKED");
    expect(second.message).toBe(
      `Another run (process ${process.pid} running 'fedi plan' since ${owner.startedAt}) is changing this deployment.`,
    );
    expect(second.hint).toContain(lock);
    await held.release();
    await held.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it("waits for a live holder up to waitMs", async () => {
    const held = await acquireLock(lock);
    setTimeout(() => void held.release(), 100);
    const started = Date.now();
    const next = await acquireLock(lock, { waitMs: 5_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(80);
    await next.release();
  });

  it("takes over a stale lock of this host (current and pid-only format, or unreadable), not one of another host", async () => {
    const pid = await deadPid();
    for (const stale of [
      `${pid}\n`,
      JSON.stringify({ pid, host: hostname(), startedAt: "x", command: "fedi apply", token: "a" }),
      "",
      "{ half",
    ]) {
      await writeFile(lock, stale);
      const held = await acquireLock(lock);
      expect((await readLockOwner(lock))?.pid).toBe(process.pid);
      await held.release();
    }
    await writeFile(
      lock,
      JSON.stringify({ pid, host: "elsewhere.example.org", startedAt: "t", command: "fedi apply", token: "b" }),
    );
    const error = await errorOf(acquireLock(lock));
    expect(error.code).toBe("STATE_LOCKED");
    expect(error.message).toContain(`process ${pid} on elsewhere.example.org running 'fedi apply'`);
    expect(error.hint).toContain("elsewhere.example.org");
  });

  it("skips a claim left by a run that died while breaking the stale lock, and removes the leftovers", async () => {
    const pid = await deadPid();
    const stale = JSON.stringify({ pid, host: hostname(), startedAt: "x", command: "c", token: "t" });
    await writeFile(lock, stale);
    const { createHash } = await import("node:crypto");
    const tag = createHash("sha256").update(stale).digest("hex").slice(0, 16);
    await writeFile(`${lock}.break-${tag}-0`, JSON.stringify({ pid, host: hostname() }));
    await writeFile(`${lock}.break-0000000000000000-0`, JSON.stringify({ pid, host: hostname() }));
    await writeFile(join(dir, `.state.lock.fedi-${hostTag()}-${pid}-abcdefabcdef.tmp`), "partial");
    const held = await acquireLock(lock);
    expect(await readdir(dir)).toEqual(["state.lock"]);
    await held.release();
  });

  it("is busy, not broken, while a live run holds the claim for the same stale lock", async () => {
    const pid = await deadPid();
    const stale = JSON.stringify({ pid, host: hostname(), startedAt: "x", command: "c", token: "t2" });
    await writeFile(lock, stale);
    const { createHash } = await import("node:crypto");
    const tag = createHash("sha256").update(stale).digest("hex").slice(0, 16);
    await writeFile(`${lock}.break-${tag}-0`, JSON.stringify({ pid: process.pid, host: hostname() }));
    const error = await errorOf(acquireLock(lock, { waitMs: 0 }));
    expect(hasErrorCode(error, "STATE_LOCKED")).toBe(true);
    expect(await readFile(lock, "utf8")).toBe(stale);
  }, 15_000);

  it("release leaves a lock that is no longer this holding's", async () => {
    const held = await acquireLock(lock);
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, host: hostname(), startedAt: "", command: "x", token: "other" }),
    );
    await held.release();
    expect(JSON.parse(await readFile(lock, "utf8")).token).toBe("other");
  });
});

describe("temporary files", () => {
  it("are named so that a later run removes those of dead processes of this host only", async () => {
    const pid = await deadPid();
    const mine = tempPathFor(join(dir, "flake.nix"));
    expect(isTempFileName(mine.split("/").pop()!)).toBe(true);
    const deadHere = join(dir, "machines", `.web1.nix.fedi-${hostTag()}-${pid}-0123456789ab.tmp`);
    const deadElsewhere = join(dir, `.flake.nix.fedi-${hostTag("elsewhere")}-${pid}-0123456789ab.tmp`);
    const gitInternal = join(dir, ".git", `.x.fedi-${hostTag()}-${pid}-0123456789ab.tmp`);
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dir, "machines"));
    await mkdir(join(dir, ".git"));
    for (const path of [mine, deadHere, deadElsewhere, gitInternal, join(dir, "user.tmp")]) await writeFile(path, "x");
    expect(await removeStaleTempFiles(dir)).toEqual([`machines/.web1.nix.fedi-${hostTag()}-${pid}-0123456789ab.tmp`]);
  });

  it("left by a killed plan are removed when the deployment folder is written again", async () => {
    const pid = await deadPid();
    const leftover = `.plan.json.fedi-${hostTag()}-${pid}-0123456789ab.tmp`;
    await writeFile(join(dir, leftover), "{ half");
    const report = await writeDeploymentDir(dir, new Map([["plan.json", "{}\n"]]));
    expect(report.written).toEqual(["plan.json"]);
    expect((await readdir(dir)).sort()).toEqual([".fedi-manifest.json", "plan.json"]);
  });
});
