import { randomBytes } from "node:crypto";
import { posix } from "node:path";
import { FediError, isFediError } from "../errors.js";
import type { SshConnection } from "./connection.js";
import { emitMachineEvent } from "./events.js";
import { cancelledError } from "./retry.js";
import { ACCOUNT_NAME, checkRemotePath, shellQuote } from "./shell.js";
import { connectionLostError } from "./ssh-errors.js";
import type { SftpSession, SftpStats } from "./ssh-types.js";
import { describeTarget } from "./target.js";

/** Options of {@link uploadFile}. */
export interface UploadOptions {
  /** Mode of the uploaded file, e.g. `0o400` for a secret. Default `0o600`. */
  mode?: number;
  /** Owner by name (resolved to a uid on the machine with `id -u`) or numeric uid. Default: the SSH user. */
  owner?: string;
  /** Group by name (resolved with `getent group`) or numeric gid. Default: the owner's primary group. */
  group?: string;
  /** Mode of parent folders that have to be created. Default `0o755`. Existing folders are left alone. */
  mkdirMode?: number;
  /** Called as the machine acknowledges written bytes (before the rename). */
  onProgress?: (bytes: number, totalBytes: number) => void;
  /** Cancels the upload (the temporary file is removed). */
  signal?: AbortSignal;
}

/** Options of {@link readRemoteFile}. */
export interface ReadFileOptions {
  /** Refuse files larger than this. Default 1 MiB. */
  maxBytes?: number;
}

/** Options of {@link removeRemoteFile}. */
export interface RemoveFileOptions {
  /** Succeed (returning false) when the file does not exist. Default true. */
  missingOk?: boolean;
}

const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;
const WRITE_CHUNK = 32 * 1024;
const WRITES_IN_FLIGHT = 16;

/** Prefix of the temporary names uploads use beside `remotePath` (so stale ones can be found and removed). */
export function uploadTempPrefix(remotePath: string): string {
  return `.${posix.basename(remotePath)}.fedi-upload-`;
}

type SftpError = Error & { code?: number };

/** Runs one SFTP request, rejecting with a transient "connection lost" error if the connection closes first. */
function sftpCall<T>(
  conn: SshConnection,
  what: string,
  start: (cb: (err: SftpError | undefined | null, value: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const off = conn.onClose(() => {
      if (done) return;
      done = true;
      reject(connectionLostError(conn.target, what));
    });
    try {
      start((err, value) => {
        if (done) return;
        done = true;
        off();
        if (err) reject(err);
        else resolve(value);
      });
    } catch (err) {
      done = true;
      off();
      reject(err);
    }
  });
}

function sftpFailure(conn: SshConnection, what: string, err: unknown): FediError {
  if (isFediError(err)) return err;
  if (conn.closed || (err as Error).message === "No response from server") {
    return connectionLostError(conn.target, what, err);
  }
  const code = (err as SftpError).code;
  return new FediError("SSH_FAILED", `Could not ${what} on ${describeTarget(conn.target)}: ${(err as Error).message}`, {
    machine: conn.target.machine,
    cause: err,
    hint:
      code === SFTP_PERMISSION_DENIED
        ? `The SSH user "${conn.target.user}" may not do this; deploy as root or give the user access.`
        : "Check the path and free disk space on the machine.",
    details: { sftpCode: code },
  });
}

function isMissing(err: unknown): boolean {
  return (err as SftpError).code === SFTP_NO_SUCH_FILE;
}

async function statOrUndefined(conn: SshConnection, sftp: SftpSession, path: string) {
  try {
    return await sftpCall<SftpStats>(conn, `stat ${path}`, (cb) => sftp.stat(path, cb));
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw sftpFailure(conn, `stat ${path}`, err);
  }
}

async function ensureDirectory(conn: SshConnection, sftp: SftpSession, dir: string, mode: number): Promise<void> {
  const missing: string[] = [];
  for (let current = dir; current !== "/"; current = posix.dirname(current)) {
    const stats = await statOrUndefined(conn, sftp, current);
    if (stats) {
      if (!stats.isDirectory()) {
        throw new FediError("SSH_FAILED", `${current} on ${describeTarget(conn.target)} exists but is not a folder.`, {
          machine: conn.target.machine,
          hint: "Move the file away or choose another path.",
        });
      }
      break;
    }
    missing.unshift(current);
  }
  for (const path of missing) {
    try {
      await sftpCall(conn, `create folder ${path}`, (cb) => sftp.mkdir(path, { mode }, (err) => cb(err, undefined)));
    } catch (err) {
      // Another upload may have created it meanwhile.
      if (!(await statOrUndefined(conn, sftp, path))?.isDirectory())
        throw sftpFailure(conn, `create folder ${path}`, err);
    }
    await sftpCall(conn, `chmod ${path}`, (cb) => sftp.chmod(path, mode, (err) => cb(err, undefined))).catch((err) => {
      throw sftpFailure(conn, `chmod ${path}`, err);
    });
  }
}

/** Resolves owner/group names to numeric ids on the machine (one remote command). */
async function resolveIds(
  conn: SshConnection,
  owner: string | undefined,
  group: string | undefined,
): Promise<{ uid: number | undefined; gid: number | undefined }> {
  for (const [field, value] of [
    ["owner", owner],
    ["group", group],
  ] as const) {
    if (value !== undefined && !ACCOUNT_NAME.test(value)) {
      throw new FediError("SPEC_INVALID", `The upload ${field} ${JSON.stringify(value)} is not a valid account name.`, {
        hint: "Use a user or group name such as mastodon, or a numeric id.",
      });
    }
  }
  const numeric = (v: string | undefined) => (v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : undefined);
  let uid = numeric(owner);
  let gid = numeric(group);
  const lines: string[] = [];
  if (owner !== undefined && uid === undefined) lines.push(`echo "uid=$(id -u -- ${shellQuote(owner)})"`);
  if (group !== undefined && gid === undefined) {
    lines.push(`echo "gid=$(getent group ${shellQuote(group)} | cut -d: -f3)"`);
  } else if (group === undefined && owner !== undefined) {
    lines.push(`echo "gid=$(id -g -- ${shellQuote(owner)})"`);
  }
  if (lines.length === 0) return { uid, gid };
  const result = await conn.exec(lines.join("\n"), { label: "resolve file owner" });
  for (const line of result.stdout.split("\n")) {
    const match = /^(uid|gid)=([0-9]+)$/.exec(line.trim());
    if (match?.[1] === "uid") uid = Number(match[2]);
    if (match?.[1] === "gid") gid = Number(match[2]);
  }
  const unknown =
    owner !== undefined && uid === undefined
      ? `user "${owner}"`
      : (group !== undefined || owner !== undefined) && gid === undefined
        ? `group "${group ?? `of ${owner}`}"`
        : undefined;
  if (unknown) {
    throw new FediError("SSH_FAILED", `There is no ${unknown} on ${describeTarget(conn.target)}.`, {
      machine: conn.target.machine,
      hint: "Create the account first (the NixOS configuration that declares it must be applied), or use an existing one.",
    });
  }
  return { uid, gid };
}

/**
 * Removes temporary files that earlier, interrupted uploads of `remotePath` left beside it (their names start with
 * {@link uploadTempPrefix}). Returns how many were removed. {@link uploadFile} calls it before each upload.
 * Note: it would also remove the temporary file of an upload of the same path running concurrently elsewhere;
 * deployments are serialized by the state lock, so that does not happen in normal use.
 */
export async function removeStaleUploads(conn: SshConnection, remotePath: string): Promise<number> {
  checkRemotePath(remotePath);
  const sftp = await conn.sftp();
  const dir = posix.dirname(remotePath);
  const prefix = uploadTempPrefix(remotePath);
  let entries: { filename: string }[];
  try {
    entries = await sftpCall(conn, `list ${dir}`, (cb) => sftp.readdir(dir, cb));
  } catch (err) {
    if (isMissing(err)) return 0;
    throw sftpFailure(conn, `list ${dir}`, err);
  }
  let removed = 0;
  for (const { filename } of entries) {
    if (!filename.startsWith(prefix) || !filename.endsWith(".tmp")) continue;
    const path = posix.join(dir, filename);
    try {
      await sftpCall(conn, `remove ${path}`, (cb) => sftp.unlink(path, (err) => cb(err, undefined)));
      removed++;
    } catch (err) {
      if (!isMissing(err)) throw sftpFailure(conn, `remove ${path}`, err);
    }
  }
  return removed;
}

/**
 * Uploads `data` to `remotePath` atomically over SFTP:
 * 1. removes stale temporary files of earlier interrupted uploads of the same path and creates missing parent
 *    folders (`mkdirMode`);
 * 2. resolves `owner`/`group` names to ids on the machine;
 * 3. creates a temporary file beside the target with mode 0600 (exclusive create, before any byte is written),
 *    writes the data, fsyncs it (`fsync@openssh.com`, when offered), sets owner and mode;
 * 4. renames it over the target (`posix-rename@openssh.com`, else `mv -f`).
 * The target is never left partial: it holds the old content or the new one. On failure the temporary file is
 * removed when the connection still works; when the connection died, the next upload of the same path (or
 * {@link removeStaleUploads}) removes it. The data never appears in messages or events.
 */
export async function uploadFile(
  conn: SshConnection,
  remotePath: string,
  data: Buffer | string,
  options: UploadOptions = {},
): Promise<void> {
  checkRemotePath(remotePath, "upload target");
  const mode = options.mode ?? 0o600;
  const mkdirMode = options.mkdirMode ?? 0o755;
  for (const [name, value] of [
    ["mode", mode],
    ["mkdirMode", mkdirMode],
  ] as const) {
    if (!Number.isInteger(value) || value < 0 || value > 0o7777) {
      throw new FediError("SPEC_INVALID", `The upload ${name} ${value} is not a file mode (0 to 0o7777).`, {
        hint: "Use an octal mode such as 0o400.",
      });
    }
  }
  const buffer = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const total = buffer.length;
  const signal = options.signal;
  const checkAbort = () => {
    if (signal?.aborted) throw cancelledError(`Upload of ${remotePath} to ${describeTarget(conn.target)}`);
  };
  checkAbort();

  const sftp = await conn.sftp();
  const dir = posix.dirname(remotePath);
  await removeStaleUploads(conn, remotePath);
  await ensureDirectory(conn, sftp, dir, mkdirMode);
  const ids = await resolveIds(conn, options.owner, options.group);
  checkAbort();

  const tmp = posix.join(dir, `${uploadTempPrefix(remotePath)}${randomBytes(6).toString("hex")}.tmp`);
  let handle: Buffer | undefined;
  let created = false;
  try {
    handle = await sftpCall<Buffer>(conn, `create ${tmp}`, (cb) => sftp.open(tmp, "wx", { mode: 0o600 }, cb));
    created = true;
    await writeAll(conn, sftp, handle, buffer, tmp, options);
    try {
      await sftpCall(conn, `fsync ${tmp}`, (cb) => sftp.ext_openssh_fsync(handle!, (err) => cb(err, undefined)));
    } catch (err) {
      // A server without fsync@openssh.com throws synchronously: close() then flushes as well as it can.
      if (conn.closed || !/does not support/.test((err as Error).message)) throw err;
    }
    if (ids.uid !== undefined || ids.gid !== undefined) {
      let { uid, gid } = ids;
      if (uid === undefined || gid === undefined) {
        const stats = await sftpCall<SftpStats>(conn, `stat ${tmp}`, (cb) => sftp.fstat(handle!, cb));
        uid ??= stats.uid;
        gid ??= stats.gid;
      }
      await sftpCall(conn, `chown ${tmp}`, (cb) => sftp.fchown(handle!, uid!, gid!, (err) => cb(err, undefined)));
    }
    await sftpCall(conn, `chmod ${tmp}`, (cb) => sftp.fchmod(handle!, mode, (err) => cb(err, undefined)));
    const closing = handle;
    handle = undefined;
    await sftpCall(conn, `close ${tmp}`, (cb) => sftp.close(closing, (err) => cb(err, undefined)));
    checkAbort();
    await renameOver(conn, sftp, tmp, remotePath);
    created = false;
    emitMachineEvent(conn.onEvent, {
      type: "upload-finished",
      machine: conn.target.machine,
      path: remotePath,
      bytes: total,
    });
  } catch (err) {
    if (!conn.closed) {
      if (handle) await sftpCall(conn, "close", (cb) => sftp.close(handle!, (e) => cb(e, undefined))).catch(() => {});
      if (created) await sftpCall(conn, "remove", (cb) => sftp.unlink(tmp, (e) => cb(e, undefined))).catch(() => {});
    }
    throw sftpFailure(conn, `upload ${remotePath}`, err);
  }
}

async function renameOver(conn: SshConnection, sftp: SftpSession, from: string, to: string): Promise<void> {
  try {
    await sftpCall(conn, `rename ${from}`, (cb) => sftp.ext_openssh_rename(from, to, (err) => cb(err, undefined)));
    return;
  } catch (err) {
    if (conn.closed || !/does not support/.test((err as Error).message)) throw err;
  }
  await conn.execChecked(`mv -f -- ${shellQuote(from)} ${shellQuote(to)}`, { label: `rename into ${to}` });
}

function writeAll(
  conn: SshConnection,
  sftp: SftpSession,
  handle: Buffer,
  buffer: Buffer,
  tmp: string,
  options: UploadOptions,
): Promise<void> {
  const total = buffer.length;
  if (total === 0) return Promise.resolve();
  const machine = conn.target.machine;
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let acked = 0;
    let inFlight = 0;
    let failed = false;
    let lastEvent = 0;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      off();
      options.signal?.removeEventListener("abort", onAbort);
      reject(error);
    };
    const off = conn.onClose(() => fail(connectionLostError(conn.target, `upload of ${tmp}`)));
    const onAbort = () => fail(cancelledError(`Upload to ${describeTarget(conn.target)}`));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const pump = () => {
      while (!failed && inFlight < WRITES_IN_FLIGHT && next < total) {
        const offset = next;
        const length = Math.min(WRITE_CHUNK, total - offset);
        next += length;
        inFlight++;
        sftp.write(handle, buffer, offset, length, offset, (err) => {
          inFlight--;
          if (failed) return;
          if (err) {
            fail(err);
            return;
          }
          acked += length;
          try {
            options.onProgress?.(acked, total);
          } catch (error) {
            fail(error);
            return;
          }
          if (acked - lastEvent >= 1024 * 1024 || acked === total) {
            lastEvent = acked;
            emitMachineEvent(conn.onEvent, {
              type: "upload-progress",
              machine,
              path: tmp,
              bytes: acked,
              totalBytes: total,
            });
          }
          if (acked === total) {
            failed = true; // settled
            off();
            options.signal?.removeEventListener("abort", onAbort);
            resolve();
          } else pump();
        });
      }
    };
    try {
      pump();
    } catch (error) {
      fail(error);
    }
  });
}

/**
 * Reads a small remote file. Resolves `undefined` when it does not exist.
 * @throws FediError `SSH_FAILED` when it is larger than `maxBytes` or cannot be read.
 */
export async function readRemoteFile(
  conn: SshConnection,
  remotePath: string,
  options: ReadFileOptions = {},
): Promise<Buffer | undefined> {
  checkRemotePath(remotePath);
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const sftp = await conn.sftp();
  let handle: Buffer;
  try {
    handle = await sftpCall<Buffer>(conn, `open ${remotePath}`, (cb) => sftp.open(remotePath, "r", cb));
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw sftpFailure(conn, `read ${remotePath}`, err);
  }
  try {
    const chunks: Buffer[] = [];
    let position = 0;
    for (;;) {
      const chunk = Buffer.alloc(WRITE_CHUNK);
      const bytes = await sftpCall<number>(conn, `read ${remotePath}`, (cb) =>
        sftp.read(handle, chunk, 0, chunk.length, position, (err, n) => cb(err, n)),
      ).catch((err) => {
        // End of file is reported as an EOF status by some servers.
        if ((err as SftpError).code === 1) return 0;
        throw err;
      });
      if (bytes === 0) break;
      position += bytes;
      if (position > maxBytes) {
        throw new FediError(
          "SSH_FAILED",
          `${remotePath} on ${describeTarget(conn.target)} is larger than ${maxBytes} bytes.`,
          {
            machine: conn.target.machine,
            hint: "Only small files are read this way; check the path.",
          },
        );
      }
      chunks.push(chunk.subarray(0, bytes));
    }
    return Buffer.concat(chunks);
  } catch (err) {
    throw sftpFailure(conn, `read ${remotePath}`, err);
  } finally {
    if (!conn.closed)
      await sftpCall(conn, "close", (cb) => sftp.close(handle, (e) => cb(e, undefined))).catch(() => {});
  }
}

/** Removes a remote file. Resolves `true` when it was removed, `false` when it did not exist (and `missingOk`). */
export async function removeRemoteFile(
  conn: SshConnection,
  remotePath: string,
  options: RemoveFileOptions = {},
): Promise<boolean> {
  checkRemotePath(remotePath);
  const sftp = await conn.sftp();
  try {
    await sftpCall(conn, `remove ${remotePath}`, (cb) => sftp.unlink(remotePath, (err) => cb(err, undefined)));
    return true;
  } catch (err) {
    if (isMissing(err) && options.missingOk !== false) return false;
    throw sftpFailure(conn, `remove ${remotePath}`, err);
  }
}
