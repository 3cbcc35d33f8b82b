import { FediError, isFediError } from "../errors.js";
import { describeTarget, hostPort, type SshTarget } from "./target.js";

/** Socket error codes that mean "try again later" rather than "this will never work". */
const TRANSIENT_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/**
 * True when `error` is a transient SSH failure (connection refused, reset or lost, handshake timeout) that an
 * operation may be retried after. Host-key mismatches, authentication failures and failed commands are not.
 */
export function isTransientSshError(error: unknown): boolean {
  return isFediError(error) && error.details.transient === true;
}

/** True when the error happened before a remote command could start (so retrying it cannot run it twice). */
export function failedBeforeStart(error: unknown): boolean {
  return isFediError(error) && error.details.notStarted === true;
}

/**
 * The error for a connection that closed while an operation was running (`notStarted`: before anything ran
 * remotely, so even a non-idempotent operation may be retried).
 */
export function connectionLostError(
  target: SshTarget,
  operation: string,
  cause?: unknown,
  notStarted = false,
): FediError {
  return new FediError("SSH_FAILED", `The SSH connection to ${describeTarget(target)} was lost during ${operation}.`, {
    machine: target.machine,
    cause,
    hint: "The machine may have rebooted or the network dropped; run again once it is reachable.",
    details: { transient: true, notStarted, reason: "connection-lost", host: target.host, port: target.port },
  });
}

/** Maps a socket-level error code to a transient/permanent {@link FediError}. */
export function socketError(target: SshTarget, cause: NodeJS.ErrnoException, operation: string): FediError {
  const code = cause.code ?? "";
  const transient = TRANSIENT_SOCKET_CODES.has(code);
  const hint =
    code === "ECONNREFUSED"
      ? `Nothing accepts connections on ${hostPort(target)}: check that the machine is up and sshd listens on port ${target.port}.`
      : code === "ENOTFOUND"
        ? `The host name "${target.host}" does not resolve: check the machine's ssh.host.`
        : `Check that ${hostPort(target)} is reachable from here.`;
  return new FediError(
    "SSH_FAILED",
    `Could not ${operation} on ${describeTarget(target)}: ${cause.message}${code && !cause.message.includes(code) ? ` (${code})` : ""}.`,
    {
      machine: target.machine,
      cause,
      hint,
      details: { transient, notStarted: true, reason: code || "socket", host: target.host, port: target.port },
    },
  );
}
