import { Client } from "ssh2";
import { FediError } from "../errors.js";
import { blobKeyType, fingerprintSha256, HOST_KEY_TYPES, type HostKeyType, hostKeyAlgorithmsFor } from "./host-key.js";
import { socketError } from "./ssh-errors.js";
import { hostPort } from "./target.js";

/** Options of {@link keyscan}. */
export interface KeyscanOptions {
  /** Time allowed for the connection and key exchange. Default 10000 ms. */
  timeoutMs?: number;
  /** Key types to ask for, most preferred first. Default: ed25519, then ECDSA, then RSA. */
  preferredTypes?: readonly HostKeyType[];
}

/** What {@link keyscan} found. */
export interface KeyscanResult {
  /** The host key as an OpenSSH line (`type base64`), ready for `ssh.hostPublicKey`. */
  line: string;
  /** Its key type. */
  type: string;
  /** Its SHA-256 fingerprint (`SHA256:...`), to compare out of band with `ssh-keygen -lf` on the machine. */
  fingerprint: string;
}

/**
 * Connects to an SSH server, captures the host key it offers (preferring ed25519), and aborts the handshake before
 * authenticating. Like `ssh-keyscan`, this proves nothing about the key's authenticity: compare the fingerprint
 * with the one shown on the machine itself before pinning it.
 */
export async function keyscan(host: string, port = 22, options: KeyscanOptions = {}): Promise<KeyscanResult> {
  const types = options.preferredTypes ?? HOST_KEY_TYPES;
  const algorithms = [...new Set(types.flatMap((type) => hostKeyAlgorithmsFor(type)))];
  const target = { machine: hostPort({ host, port }), host, port, user: "", hostPublicKey: "" };
  const client = new Client();
  return await new Promise<KeyscanResult>((resolve, reject) => {
    let settled = false;
    let captured: Buffer | undefined;
    const settle = () => {
      if (settled) return;
      settled = true;
      client.removeAllListeners("ready");
      client.on("error", () => {});
      client.destroy();
    };
    const done = () => {
      if (settled) return;
      settle();
      if (!captured) return;
      const type = blobKeyType(captured) ?? "unknown";
      resolve({ line: `${type} ${captured.toString("base64")}`, type, fingerprint: fingerprintSha256(captured) });
    };
    const fail = (error: FediError) => {
      if (settled) return;
      settle();
      reject(error);
    };
    client.on("error", (err: Error & { level?: string; code?: unknown }) => {
      if (captured) return done();
      if (err.level === "client-socket" || err.level === "client-dns") {
        return fail(socketError(target, err as NodeJS.ErrnoException, "scan the SSH host key"));
      }
      fail(
        new FediError("SSH_FAILED", `Could not read the SSH host key of ${hostPort({ host, port })}: ${err.message}`, {
          cause: err,
          hint: "Check that an SSH server listens there and offers one of: " + types.join(", "),
          details: { host, port },
        }),
      );
    });
    client.on("close", () => {
      if (captured) return done();
      fail(
        new FediError("SSH_FAILED", `${hostPort({ host, port })} closed the connection before offering a host key.`, {
          hint: "Check that an SSH server (not another service) listens there.",
          details: { host, port },
        }),
      );
    });
    client.on("ready", () => fail(new FediError("INTERNAL", "keyscan unexpectedly authenticated.")));
    try {
      client.connect({
        host,
        port,
        username: "fedi-keyscan",
        readyTimeout: options.timeoutMs ?? 10_000,
        algorithms: { serverHostKey: algorithms as never },
        hostVerifier: (key: Buffer) => {
          captured = Buffer.from(key);
          setImmediate(done);
          return false;
        },
      });
    } catch (cause) {
      fail(new FediError("INTERNAL", `keyscan could not start: ${(cause as Error).message}`, { cause }));
    }
  });
}
