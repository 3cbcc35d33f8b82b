import { chmod, mkdir, open, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { FediError } from "../errors.js";
import { tempPathFor } from "./temp-files.js";

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** File mode of the result, e.g. `0o600` for secrets. Default `0o644`. */
  mode?: number;
  /** Create missing parent folders (mode 0700 when `mode` denies group/other access, else 0755). Default true. */
  mkdirs?: boolean;
}

/**
 * Writes `data` to `path` atomically: into a temporary file beside it (created with the final mode, so a secret
 * is never readable by others even for a moment), flushed to disk, then renamed over `path`. A crash leaves either
 * the old file or the new one, never a half-written one; the temporary file is removed on failure. A process killed
 * before the rename leaves a temporary file named `.<file>.fedi-<host>-<pid>-<random>.tmp`, which
 * `removeStaleTempFiles` recognises and removes.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o644;
  const dir = dirname(path);
  const tmp = tempPathFor(path);
  try {
    if (options.mkdirs !== false) await mkdir(dir, { recursive: true, mode: mode & 0o077 ? 0o755 : 0o700 });
    const handle = await open(tmp, "wx", mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (cause) {
    await rm(tmp, { force: true }).catch(() => {});
    throw new FediError("IO_FAILED", `Could not write ${path}: ${(cause as Error).message}`, {
      cause,
      hint: "Check that the folder exists and is writable, and that the disk is not full.",
    });
  }
}
