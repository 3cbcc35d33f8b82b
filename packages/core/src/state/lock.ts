import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rm, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";
import { FediError } from "../errors.js";
import { isProcessAlive, removeStaleTempFiles, tempPathFor } from "../util/temp-files.js";

/** Who holds a lock: written complete into the lock file before the file becomes visible. */
export interface LockOwner {
  /** Process id of the holder. */
  pid: number;
  /** Host name of the machine the holder runs on. */
  host: string;
  /** When the lock was taken (ISO 8601). */
  startedAt: string;
  /** What the holder does, e.g. `fedi apply`. */
  command: string;
  /** Random id of this holding (tells two holdings by one process apart). */
  token: string;
}

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** What the holder does, recorded in the lock and named to whoever finds it taken. Default `fedi`. */
  command?: string;
  /** How long to wait for a live holder to finish, in ms. Default 0: fail at once with `STATE_LOCKED`. */
  waitMs?: number;
}

/** A lock held by this process. */
export interface HeldLock {
  /** The owner record in the lock file. */
  readonly owner: LockOwner;
  /** Releases the lock (removes the lock file if it is still this holding's). Safe to call twice. */
  release(): Promise<void>;
}

/** How long a run waits for another run that is breaking the same stale lock, at most. */
const BREAK_GRACE_MS = 5_000;

/**
 * Takes an exclusive lock at `path`. The lock file is written complete (pid, host, time, command, token) into a
 * temporary file and made visible with `link()`, which fails when the lock exists — so a lock file is never seen
 * empty or half-written, and two takers can never both succeed. A lock whose holder ran on this host and no longer
 * runs is stale: it is removed and taken over. Two runs that find the same stale lock cannot both remove it (each must
 * first create a claim file for exactly that lock, `<lock>.break-<hash>-<n>`), so one cannot remove the new lock of
 * the other. Temporary files and claims left by killed runs are removed.
 * @throws FediError `STATE_LOCKED` naming the holder when a live run holds the lock (after `waitMs`), `IO_FAILED`
 * when the folder cannot be written.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<HeldLock> {
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw ioFailed(path, cause);
  }
  await removeStaleTempFiles(dir);
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    startedAt: new Date().toISOString(),
    command: options.command ?? "fedi",
    token: randomBytes(16).toString("hex"),
  };
  const text = `${JSON.stringify(owner)}\n`;
  const tmp = await writeComplete(path, text);
  try {
    const waitUntil = Date.now() + (options.waitMs ?? 0);
    const breakUntil = Date.now() + BREAK_GRACE_MS;
    let delay = 2;
    for (;;) {
      try {
        await link(tmp, path);
        break;
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw ioFailed(path, cause);
      }
      const current = await readLockFile(path);
      if (current === undefined) continue; // released in between: try again at once
      if (isStale(current.owner)) {
        const outcome = await breakStaleLock(path, current.text);
        if (outcome === "broken") continue;
        // another run is removing the same stale lock right now
        if (Date.now() > Math.max(waitUntil, breakUntil)) throw locked(path, current.owner);
      } else if (Date.now() >= waitUntil) {
        throw locked(path, current.owner);
      }
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 100);
    }
  } finally {
    await rm(tmp, { force: true });
  }
  await removeAbandonedClaims(path, text);
  let released = false;
  return {
    owner,
    release: async () => {
      if (released) return;
      released = true;
      const current = await readLockFile(path);
      if (current?.text === text) await unlink(path).catch(() => {});
    },
  };
}

/**
 * The owner recorded in a lock file, or undefined when there is none. A lock file written by an older SDK (only a pid)
 * reads as a holder on this host; an unreadable one as a holder that no longer runs.
 */
export async function readLockOwner(path: string): Promise<LockOwner | undefined> {
  return (await readLockFile(path))?.owner;
}

async function readLockFile(path: string): Promise<{ text: string; owner: LockOwner } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioFailed(path, error);
  }
  return { text, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner {
  const unknown = { pid: 0, host: hostname(), startedAt: "", command: "unknown", token: "" };
  if (/^\s*\d+\s*$/.test(text)) return { ...unknown, pid: Number(text.trim()) };
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return {
      pid: typeof value.pid === "number" ? value.pid : 0,
      host: typeof value.host === "string" ? value.host : hostname(),
      startedAt: typeof value.startedAt === "string" ? value.startedAt : "",
      command: typeof value.command === "string" ? value.command : "unknown",
      token: typeof value.token === "string" ? value.token : "",
    };
  } catch {
    return unknown;
  }
}

/** A lock is stale when its holder ran on this host and no longer runs; a holder on another host is never stale. */
function isStale(owner: LockOwner): boolean {
  return owner.host === hostname() && !isProcessAlive(owner.pid);
}

/**
 * Removes the stale lock whose content is `staleText`, if this run wins the claim for it. Claims are numbered: a claim
 * left by a run that died while breaking is skipped (the next number is tried), a live claim means another run is on
 * it (`busy`). After winning a claim the lock is read again and removed only if it is still the stale one; a stale
 * lock never comes back (its token is unique), so the lock of a run that took over meanwhile is never removed.
 */
async function breakStaleLock(path: string, staleText: string): Promise<"broken" | "busy"> {
  const tag = claimTag(staleText);
  const claimText = `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`;
  let n = 0;
  for (let attempt = 0; attempt < 256 && n < 64; attempt++) {
    const claim = `${path}.break-${tag}-${n}`;
    const tmp = await writeComplete(claim, claimText);
    let won = false;
    try {
      await link(tmp, claim);
      won = true;
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== "EEXIST") throw ioFailed(claim, cause);
    } finally {
      await rm(tmp, { force: true });
    }
    if (!won) {
      const other = await readFile(claim, "utf8").catch(() => undefined);
      if (other === undefined) continue; // removed in between: try this number again
      if (!isStale(parseOwner(other))) return "busy";
      n += 1; // its claimant died while breaking: the next number
      continue;
    }
    const current = await readLockFile(path);
    if (current?.text === staleText) await unlink(path).catch(() => {});
    for (let m = 0; m <= n; m++) await rm(`${path}.break-${tag}-${m}`, { force: true });
    return "broken";
  }
  return "busy";
}

/** Removes claim files of locks other than the one now held (their stale locks are gone for good). */
async function removeAbandonedClaims(path: string, heldText: string): Promise<void> {
  const prefix = `${basename(path)}.break-`;
  const keep = `${prefix}${claimTag(heldText)}-`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (name.startsWith(prefix) && !name.startsWith(keep)) await rm(join(dirname(path), name), { force: true });
  }
}

function claimTag(lockText: string): string {
  return createHash("sha256").update(lockText).digest("hex").slice(0, 16);
}

/** Writes `text` to a fresh temporary file beside `path` (0600, flushed) and returns its path. */
async function writeComplete(path: string, text: string): Promise<string> {
  const tmp = tempPathFor(path);
  try {
    const handle = await open(tmp, "wx", 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => {});
    throw ioFailed(path, cause);
  }
  return tmp;
}

function locked(path: string, owner: LockOwner): FediError {
  const who = [
    `process ${owner.pid}`,
    owner.host === hostname() ? "" : `on ${owner.host}`,
    owner.command === "unknown" ? "" : `running '${owner.command}'`,
    owner.startedAt ? `since ${owner.startedAt}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  return new FediError("STATE_LOCKED", `Another run (${who}) is changing this deployment.`, {
    hint:
      owner.host === hostname()
        ? `Wait for it to finish. If no such run exists, delete ${path}.`
        : `Wait for it to finish on ${owner.host}. Only if no run is active there, delete ${path}.`,
    details: { lock: path, owner },
  });
}

function ioFailed(path: string, cause: unknown): FediError {
  return new FediError("IO_FAILED", `Cannot take the lock ${path}: ${(cause as Error).message}`, {
    cause,
    hint: "Check that the state folder exists and is writable.",
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
