import { createHash, randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join } from "node:path";

/**
 * Temporary files the SDK writes before renaming (or linking) them into place. Their names say who made them —
 * `.<file>.fedi-<host>-<pid>-<random>.tmp`, `<host>` a short hash of the host name — so that a later run can tell a
 * file left by a killed run (same host, process gone) from one a live run is still writing, and remove only the first.
 */
const TEMP_NAME = /^\..*\.fedi-([0-9a-f]{8})-(\d+)-[0-9a-f]{12}\.tmp$/;

/** A short, stable tag of this machine's host name (8 hex digits), used in temporary file names and locks. */
export function hostTag(host: string = hostname()): string {
  return createHash("sha256").update(host).digest("hex").slice(0, 8);
}

/** A fresh temporary path beside `path`, named so that {@link removeStaleTempFiles} recognises it. */
export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.fedi-${hostTag()}-${process.pid}-${randomBytes(6).toString("hex")}.tmp`,
  );
}

/** Whether `name` (a file name, not a path) is a temporary file of the SDK. */
export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/** Whether a process with this id runs on this machine (a process of another user counts as running). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the SDK's temporary files under `dir` (and its sub-folders, except `.git`) that were left by processes of
 * this host that no longer run — a run killed between writing a file and renaming it. Files of live processes and of
 * other hosts, and every other file, stay. Returns the removed paths relative to `dir`, sorted.
 */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const here = hostTag();
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(dir, rel), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== ".git") await walk(path);
        continue;
      }
      const match = TEMP_NAME.exec(entry.name);
      if (!match || match[1] !== here || isProcessAlive(Number(match[2]))) continue;
      await rm(join(dir, path), { force: true });
      removed.push(path);
    }
  };
  await walk("");
  return removed.sort();
}
