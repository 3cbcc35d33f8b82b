/**
 * How to reach one existing machine over SSH. The host key is pinned: a machine that offers another key is refused
 * (there is no trust on first use).
 */
export interface SshTarget {
  /** Name of the machine, used in messages and events. */
  machine: string;
  /** Host name or IP address. */
  host: string;
  /** SSH port, usually 22. */
  port: number;
  /** Login user, usually `root`. */
  user: string;
  /** The pinned host key as an OpenSSH public key line, e.g. `ssh-ed25519 AAAAC3Nza... root@web1`. */
  hostPublicKey: string;
  /** Path of a private key file (unencrypted) to authenticate with. */
  identityFile?: string;
  /** Path of an ssh-agent socket (`SSH_AUTH_SOCK`) to authenticate with. */
  agent?: string;
  /**
   * Run every remote command as root through `sudo -n` (the login user is not root but has passwordless sudo).
   * Applied in one place, `runCommand` (exec.ts): the command becomes `sudo -n -- sh -c '<command>'`; a command that must
   * run as the login user itself sets `ExecOptions.asLoginUser`. SFTP still acts as the login user.
   */
  sudo?: boolean;
}

/** `machine "web1" (root@203.0.113.5:22)`: how messages name a target. */
export function describeTarget(target: SshTarget): string {
  return `machine "${target.machine}" (${target.user}@${hostPort(target)})`;
}

/** `host:port`, with brackets around IPv6 addresses. */
export function hostPort(target: Pick<SshTarget, "host" | "port">): string {
  return target.host.includes(":") ? `[${target.host}]:${target.port}` : `${target.host}:${target.port}`;
}

/** The key under which a pool shares a connection: same machine, address and user. */
export function targetKey(target: SshTarget): string {
  return `${target.machine}\u0000${target.user}@${hostPort(target)}`;
}
