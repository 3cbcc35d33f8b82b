/**
 * The parts of the `ssh2` library's objects that core uses, as core's own types. The public declarations name these
 * instead of `ssh2`'s, so a consumer compiles them with `skipLibCheck: false` and no `@types/ssh2` (core would
 * otherwise have to depend on `@types/ssh2`, and through it on a second, older `@types/node`, in every install).
 * `ssh2`'s `Client`, `ClientChannel` and `SFTPWrapper` fit them; test/machine/ssh-types.test.ts checks that they do.
 * @module
 */
import type { Duplex, Readable } from "node:stream";

/** Called when an SSH or SFTP request finishes: with an error, or with none on success. */
export type SshCallback = (err?: Error | null) => void;

/**
 * An open SSH channel (`ssh2`'s `ClientChannel`): a Node duplex stream of the remote command's stdin and stdout (or
 * of a forwarded connection), with the command's stderr beside it.
 */
export type SshChannel = Duplex & {
  /** The remote command's standard error. */
  readonly stderr: Readable;
  /** Closes the channel on both sides. */
  close(): void;
};

/** What an SFTP stat call reports about a remote file (`ssh2`'s `Stats`). */
export interface SftpStats {
  /** File mode (type and permission bits). */
  mode: number;
  /** Numeric owner id. */
  uid: number;
  /** Numeric group id. */
  gid: number;
  /** Size in bytes. */
  size: number;
  /** True when the file is a folder. */
  isDirectory(): boolean;
}

/** How an SFTP open call opens a file, as in Node's `fs.open` (`"r"` to read, `"wx"` to create a new file, ...). */
export type SftpOpenFlags = "r" | "r+" | "w" | "wx" | "w+" | "a" | "ax" | "a+";

/** One entry of an SFTP folder listing (`ssh2`'s `FileEntry`). */
export interface SftpDirEntry {
  /** The entry's name, without the folder. */
  filename: string;
}

/** An SFTP session on an SSH connection (the requests core makes of `ssh2`'s `SFTPWrapper`). */
export interface SftpSession {
  /** Reads a path's attributes, following symbolic links. */
  stat(path: string, callback: (err: Error | undefined, stats: SftpStats) => void): void;
  /** Reads an open file's attributes. */
  fstat(handle: Buffer, callback: (err: Error | undefined, stats: SftpStats) => void): void;
  /** Creates a folder with the given mode. */
  mkdir(path: string, attributes: { mode?: number }, callback: SshCallback): void;
  /** Lists a folder. */
  readdir(path: string, callback: (err: Error | undefined, list: SftpDirEntry[]) => void): void;
  /** Changes a path's mode. */
  chmod(path: string, mode: number, callback: SshCallback): void;
  /** Changes an open file's mode. */
  fchmod(handle: Buffer, mode: number, callback: SshCallback): void;
  /** Changes an open file's owner and group. */
  fchown(handle: Buffer, uid: number, gid: number, callback: SshCallback): void;
  /** Removes a file. */
  unlink(path: string, callback: SshCallback): void;
  /** Opens a file with the given attributes (e.g. the mode of a file it creates). */
  open(
    path: string,
    flags: SftpOpenFlags,
    attributes: { mode?: number },
    callback: (err: Error | undefined, handle: Buffer) => void,
  ): void;
  /** Opens a file. */
  open(path: string, flags: SftpOpenFlags, callback: (err: Error | undefined, handle: Buffer) => void): void;
  /** Reads up to `length` bytes at `position` of an open file into `buffer` at `offset`. */
  read(
    handle: Buffer,
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (err: Error | undefined, bytesRead: number, buffer: Buffer, position: number) => void,
  ): void;
  /** Writes `length` bytes of `buffer` from `offset` to an open file at `position`. */
  write(handle: Buffer, buffer: Buffer, offset: number, length: number, position: number, callback: SshCallback): void;
  /** Closes an open file. */
  close(handle: Buffer, callback: SshCallback): void;
  /** Flushes an open file to disk (OpenSSH's `fsync@openssh.com`; throws at once on servers without it). */
  ext_openssh_fsync(handle: Buffer, callback: (err: Error | undefined, info: unknown) => void): void;
  /** Renames over an existing file (OpenSSH's `posix-rename@openssh.com`; throws at once on servers without it). */
  ext_openssh_rename(from: string, to: string, callback: SshCallback): void;
  /** Listens for the session's end. */
  on(event: "close", listener: () => void): unknown;
  /** Listens for the session's errors. */
  on(event: "error", listener: (err: Error) => void): unknown;
}

/** A connected, authenticated SSH client (the requests core makes of `ssh2`'s `Client`). */
export interface SshClient {
  /** Listens for errors after the handshake. */
  on(event: "error", listener: (err: Error) => void): unknown;
  /** Listens for the connection's end. */
  on(event: "end" | "close", listener: () => void): unknown;
  /** Opens a session channel running `command`. */
  exec(command: string, callback: (err: Error | undefined, channel: SshChannel) => void): unknown;
  /** Opens a `direct-tcpip` channel from the machine to `dstHost:dstPort`. */
  forwardOut(
    srcHost: string,
    srcPort: number,
    dstHost: string,
    dstPort: number,
    callback: (err: Error | undefined, channel: SshChannel) => void,
  ): unknown;
  /** Opens an SFTP session. */
  sftp(callback: (err: Error | undefined, sftp: SftpSession) => void): unknown;
  /** Closes the connection gracefully. */
  end(): unknown;
  /** Closes the connection at once. */
  destroy(): unknown;
}
