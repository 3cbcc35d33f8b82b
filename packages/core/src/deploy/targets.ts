import type { SshTarget } from "../machine/index.js";
import type { PlannedMachine } from "../plan/types.js";

/** How the deployer authenticates: identity files from the spec, else the SSH agent. */
export interface SshAuthOptions {
  /** SSH agent socket used for machines without an identity file. Default `process.env.SSH_AUTH_SOCK`. */
  agent?: string;
  /** Identity file for machines without one in the spec (e.g. a CI deploy key). */
  defaultIdentityFile?: string;
}

/**
 * The SSH target of a planned machine, or of a spec's machine (the same `name`, `host` and `ssh` fields; host key
 * pinned from the spec). A non-root `ssh.user` gets `sudo: true`: the
 * SDK's own remote commands then run as root through `sudo -n` (see {@link SshTarget.sudo}).
 */
export function sshTarget(
  machine: Pick<PlannedMachine, "name" | "host" | "ssh">,
  auth: SshAuthOptions = {},
): SshTarget {
  const identityFile = machine.ssh.identityFile ?? auth.defaultIdentityFile;
  const agent = auth.agent ?? process.env.SSH_AUTH_SOCK;
  return {
    machine: machine.name,
    host: machine.host,
    port: machine.ssh.port,
    user: machine.ssh.user,
    hostPublicKey: machine.ssh.hostPublicKey,
    ...(machine.ssh.user !== "root" ? { sudo: true } : {}),
    ...(identityFile ? { identityFile } : agent ? { agent } : {}),
  };
}
