import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import { readFile } from "node:fs/promises";
import ssh2, { type AuthenticationType, Client, type ParsedKey } from "ssh2";
import { FediError, isFediError } from "../errors.js";
import { emitMachineEvent, type MachineEventListener } from "./events.js";
import { type ExecCheckedOptions, type ExecOptions, type ExecResult, runCommand, runCommandChecked } from "./exec.js";
import { fingerprintSha256, hostKeyAlgorithmsFor, parseOpenSshPublicKey } from "./host-key.js";
import { cancelledError, type RetryOptions, retryTransient } from "./retry.js";
import {
  type ReadFileOptions,
  type RemoveFileOptions,
  readRemoteFile,
  removeRemoteFile,
  type UploadOptions,
  uploadFile,
} from "./sftp.js";
import { connectionLostError, socketError } from "./ssh-errors.js";
import type { SftpSession, SshChannel, SshClient } from "./ssh-types.js";
import { describeTarget, hostPort, type SshTarget } from "./target.js";
import { openTunnel, type Tunnel, type TunnelOptions } from "./tunnel.js";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Time allowed for TCP connect + handshake + authentication. Default 15000 ms. */
  connectTimeoutMs?: number;
  /** Interval of SSH keepalive probes on an idle connection (0 disables). Default 10000 ms; 3 missed = lost. */
  keepaliveIntervalMs?: number;
  /** Receives progress events. */
  onEvent?: MachineEventListener;
  /** Cancels connecting (and waiting between attempts). */
  signal?: AbortSignal;
  /** How connection attempts are retried on transient failures. Default: see {@link DEFAULT_RETRY}. */
  retry?: RetryOptions;
  /** Parsed identity keys to reuse between connects (a {@link MachinePool} passes its own). Default: parse each time. */
  keyCache?: IdentityKeyCache;
}

/**
 * An authenticated SSH connection to one machine whose host key matched the pinned one. Create it with
 * {@link connect} (or let a {@link MachinePool} manage it). Several commands, an SFTP session and tunnels can use
 * it at the same time.
 */
export class SshConnection {
  /** The machine this connection reaches. */
  readonly target: SshTarget;
  /** Progress listener given at connect time. */
  readonly onEvent: MachineEventListener | undefined;
  readonly #client: SshClient;
  #closed = false;
  readonly #closeListeners = new Set<() => void>();
  #sftp: Promise<SftpSession> | undefined;

  /** Wraps a ready `ssh2` client (any {@link SshClient}); use {@link connect} instead. */
  constructor(client: SshClient, target: SshTarget, onEvent?: MachineEventListener) {
    this.#client = client;
    this.target = target;
    this.onEvent = onEvent;
    const markClosed = () => {
      if (this.#closed) return;
      this.#closed = true;
      this.#sftp = undefined;
      emitMachineEvent(onEvent, { type: "disconnected", machine: target.machine });
      for (const listener of [...this.#closeListeners]) {
        try {
          listener();
        } catch {
          // Listeners only clean up; their failure must not hide the disconnect from others.
        }
      }
      this.#closeListeners.clear();
    };
    client.on("error", () => {
      // Errors after the handshake (keepalive timeout, reset) end with "close"; operations see the loss there.
    });
    client.on("end", markClosed);
    client.on("close", markClosed);
  }

  /** True once the connection has closed (on purpose or because it was lost). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Calls `listener` once when the connection closes (at once if it already has). Returns an unsubscribe function. */
  onClose(listener: () => void): () => void {
    if (this.#closed) {
      queueMicrotask(listener);
      return () => {};
    }
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Opens a session channel running `command` verbatim (low level; prefer {@link SshConnection.exec}). */
  openExecChannel(command: string): Promise<SshChannel> {
    return this.#open("run a command", (cb) => this.#client.exec(command, cb));
  }

  /** Opens a `direct-tcpip` channel from the machine to `dstHost:dstPort` (low level; see {@link openTunnel}). */
  forwardOut(srcHost: string, srcPort: number, dstHost: string, dstPort: number): Promise<SshChannel> {
    return this.#open(`forward to ${dstHost}:${dstPort}`, (cb) =>
      this.#client.forwardOut(srcHost, srcPort, dstHost, dstPort, cb),
    );
  }

  /** The connection's SFTP session, opened on first use and shared afterwards. */
  sftp(): Promise<SftpSession> {
    if (!this.#sftp) {
      const opening = this.#open<SftpSession>("open an SFTP session", (cb) => this.#client.sftp(cb));
      this.#sftp = opening;
      opening.then(
        (sftp) => {
          sftp.on("close", () => {
            if (this.#sftp === opening) this.#sftp = undefined;
          });
          sftp.on("error", () => {});
        },
        () => {
          if (this.#sftp === opening) this.#sftp = undefined;
        },
      );
    }
    return this.#sftp;
  }

  #open<T>(what: string, start: (cb: (err: Error | undefined, value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const fail = (cause?: unknown) => {
        if (this.#closed || cause === undefined) {
          reject(connectionLostError(this.target, what, cause, true));
          return;
        }
        reject(
          new FediError(
            "SSH_FAILED",
            `Could not ${what} on ${describeTarget(this.target)}: ${(cause as Error).message}`,
            {
              machine: this.target.machine,
              cause,
              hint: "The machine's sshd may limit sessions (MaxSessions) or forbid this; check its sshd settings.",
              details: { transient: true, notStarted: true },
            },
          ),
        );
      };
      if (this.#closed) {
        fail();
        return;
      }
      try {
        start((err, value) => (err ? fail(err) : resolve(value)));
      } catch (cause) {
        fail(cause);
      }
    });
  }

  /** Runs a command and resolves with its exit code and output, whatever the exit code. See {@link ExecOptions}. */
  exec(command: string, options?: ExecOptions): Promise<ExecResult> {
    return runCommand(this, command, options);
  }

  /** Runs a command and throws `SSH_COMMAND_FAILED` (machine, command or label, exit code, stderr tail) on failure. */
  execChecked(command: string, options?: ExecCheckedOptions): Promise<ExecResult> {
    return runCommandChecked(this, command, options);
  }

  /** Uploads a file atomically over SFTP; see {@link uploadFile}. */
  uploadFile(remotePath: string, data: Buffer | string, options?: UploadOptions): Promise<void> {
    return uploadFile(this, remotePath, data, options);
  }

  /** Reads a small remote file; see {@link readRemoteFile}. */
  readFile(remotePath: string, options?: ReadFileOptions): Promise<Buffer | undefined> {
    return readRemoteFile(this, remotePath, options);
  }

  /** Removes a remote file; see {@link removeRemoteFile}. */
  removeFile(remotePath: string, options?: RemoveFileOptions): Promise<boolean> {
    return removeRemoteFile(this, remotePath, options);
  }

  /** Opens a local port forward through this connection; see {@link openTunnel}. */
  openTunnel(options: TunnelOptions): Promise<Tunnel> {
    return openTunnel(this, options);
  }

  /** Closes the connection (and its channels and tunnels). Resolves once closed. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#client.destroy();
        resolve();
      }, 2000);
      this.onClose(() => {
        clearTimeout(timer);
        resolve();
      });
      this.#client.end();
    });
  }
}

/** What {@link connectOnce} authenticates with: the identity file's key (parsed) and/or an agent socket. */
interface Auth {
  key?: ParsedKey;
  agent?: string;
}

/**
 * Parsed identity keys, by file, with the bytes they were parsed from. ssh2 parses the key file on every connect and
 * turns it into PEM text, which Node parses again for each signature (about 1 ms of CPU for an ECDSA key, against
 * 0.06 ms with a parsed key object). With a cache (a {@link MachinePool} keeps one, emptied by `closeAll`), the file is
 * still read on every connect (an edited file is seen) but parsed only when its bytes changed.
 */
export class IdentityKeyCache {
  readonly #keys = new Map<string, { bytes: Buffer; key: unknown }>();

  /**
   * The key `parse` made of `bytes` of `path`: the cached one when the bytes are the same as last time, else parsed
   * now (and kept). The connection code passes its ssh2 key parser.
   */
  parse<Key>(path: string, bytes: Buffer, parse: (bytes: Buffer) => Key): Key {
    const cached = this.#keys.get(path);
    if (cached?.bytes.equals(bytes)) return cached.key as Key;
    const key = parse(bytes);
    this.#keys.set(path, { bytes, key });
    return key;
  }

  /** Forgets every parsed key. */
  clear(): void {
    this.#keys.clear();
  }
}

/**
 * Parses the private key `bytes` for ssh2, with a `sign` that uses a
 * Node key object made once instead of the key's PEM text. It signs the same data with the same key and algorithm
 * (`crypto.sign`, as ssh2 does); only the parsing moves out of each signature.
 */
function parsePrivateKey(bytes: Buffer): ParsedKey {
  const parsed = ssh2.utils.parseKey(bytes);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first instanceof Error || first === undefined) throw first ?? new Error("no key found");
  const pem = first.getPrivatePEM();
  if (!pem) throw new Error("the file does not contain a (valid) private key");
  const hash = defaultHash(first);
  let key = first;
  if (hash !== undefined) {
    let keyObject: KeyObject | undefined;
    key = Object.create(first) as ParsedKey;
    // As ssh2's sign (keyParser.js BaseKey.sign): the named hash, else the key's; errors returned, not thrown.
    key.sign = ((data: Buffer, algo?: string) => {
      try {
        keyObject ??= createPrivateKey(pem);
        return sign(algo || hash, data, keyObject);
      } catch (error) {
        return error as Error;
      }
    }) as ParsedKey["sign"];
  }
  return key;
}

/**
 * The hash ssh2 signs with for `key` when none is named (its key parser keeps it under a symbol: sha256/sha512 for
 * RSA and ECDSA by curve, none for ed25519); `undefined` when this ssh2 version keeps it elsewhere.
 */
function defaultHash(key: ParsedKey): string | null | undefined {
  const symbol = Object.getOwnPropertySymbols(key).find((s) => s.description === "Hash Algorithm");
  if (symbol === undefined) return undefined;
  const value = (key as unknown as Record<symbol, unknown>)[symbol];
  return typeof value === "string" || value === null ? value : undefined;
}

async function loadAuth(target: SshTarget, keys: IdentityKeyCache | undefined): Promise<Auth> {
  const auth: Auth = {};
  if (target.identityFile) {
    let bytes: Buffer;
    try {
      bytes = await readFile(target.identityFile);
    } catch (cause) {
      throw new FediError(
        "SSH_AUTH_FAILED",
        `Cannot read the SSH identity file ${target.identityFile} of machine "${target.machine}": ${(cause as Error).message}`,
        {
          machine: target.machine,
          cause,
          hint: "Check machines[].ssh.identityFile: the path must name a readable private key.",
        },
      );
    }
    try {
      auth.key = keys ? keys.parse(target.identityFile, bytes, parsePrivateKey) : parsePrivateKey(bytes);
    } catch (cause) {
      throw new FediError(
        "SSH_AUTH_FAILED",
        `Cannot use the SSH key of machine "${target.machine}": Cannot parse privateKey: ${(cause as Error).message}`,
        {
          machine: target.machine,
          cause,
          hint: "Passphrase-protected keys are not supported as machines[].ssh.identityFile; load the key into ssh-agent (ssh-add) and remove ssh.identityFile, so the agent of SSH_AUTH_SOCK is used.",
        },
      );
    }
  }
  const agent = target.agent ?? (target.identityFile ? undefined : process.env.SSH_AUTH_SOCK);
  if (agent) auth.agent = agent;
  if (!auth.key && !auth.agent) {
    throw new FediError("SSH_AUTH_FAILED", `Machine "${target.machine}" has no SSH key to authenticate with.`, {
      machine: target.machine,
      hint: "Set machines[].ssh.identityFile (a private key file) in the spec, or load the key into ssh-agent so SSH_AUTH_SOCK is set (a program can pass the socket as `ssh.agent` of the Deployer's options).",
    });
  }
  return auth;
}

/** The authentication methods to try, in order: the identity file's (parsed) key, then the agent's keys. */
function authMethods(
  auth: Auth,
  username: string,
): (AuthenticationType | { type: "publickey"; username: string; key: ParsedKey })[] {
  const methods: (AuthenticationType | { type: "publickey"; username: string; key: ParsedKey })[] = [];
  if (auth.key) methods.push({ type: "publickey", username, key: auth.key });
  if (auth.agent) methods.push("agent");
  return methods;
}

/**
 * Opens one SSH connection (a single attempt): TCP connect, handshake with the pinned host key (anything else is
 * refused with `SSH_HOST_KEY_MISMATCH` showing both fingerprints), then key authentication.
 * Transient failures are marked so {@link retryTransient} may retry them; use {@link connect} for retries.
 */
export async function connectOnce(
  target: SshTarget,
  options: ConnectOptions = {},
  attempt = 1,
): Promise<SshConnection> {
  const pinned = parseOpenSshPublicKey(target.hostPublicKey, `machine "${target.machine}": ssh.hostPublicKey`);
  if (options.signal?.aborted) throw cancelledError(`Connecting to ${describeTarget(target)}`);
  const auth = await loadAuth(target, options.keyCache);
  emitMachineEvent(options.onEvent, {
    type: "connecting",
    machine: target.machine,
    address: hostPort(target),
    attempt,
  });
  const started = Date.now();
  const client = new Client();
  return await new Promise<SshConnection>((resolve, reject) => {
    let settled = false;
    let offered: Buffer | undefined;
    const onAbort = () => fail(cancelledError(`Connecting to ${describeTarget(target)}`));
    const fail = (error: FediError) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      client.removeAllListeners("ready");
      client.on("error", () => {});
      client.destroy();
      reject(error);
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    client.once("ready", () => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      const connection = new SshConnection(client, target, options.onEvent);
      emitMachineEvent(options.onEvent, {
        type: "connected",
        machine: target.machine,
        durationMs: Date.now() - started,
      });
      resolve(connection);
    });
    client.on("error", (err: Error & { level?: string; code?: unknown }) => {
      fail(mapConnectError(target, err, pinned.blob, offered));
    });
    client.on("close", () => {
      fail(
        new FediError(
          "SSH_FAILED",
          `${capitalize(describeTarget(target))} closed the connection during the SSH handshake.`,
          {
            machine: target.machine,
            hint: "sshd may be restarting or limiting new connections (MaxStartups); run again.",
            details: { transient: true, notStarted: true, reason: "closed-during-handshake" },
          },
        ),
      );
    });

    try {
      client.connect({
        host: target.host,
        port: target.port,
        username: target.user,
        ...(auth.agent ? { agent: auth.agent } : {}),
        // The key (then the agent) at once: ssh2's default first tries method "none", which costs a round trip and
        // an authentication request on the machine's sshd and never succeeds on a machine the SDK may deploy to.
        authHandler: authMethods(auth, target.user) as never,
        tryKeyboard: false,
        readyTimeout: options.connectTimeoutMs ?? 15_000,
        keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: 3,
        algorithms: { serverHostKey: hostKeyAlgorithmsFor(pinned.type) as never },
        hostVerifier: (key: Buffer) => {
          offered = Buffer.from(key);
          return offered.equals(pinned.blob);
        },
      });
      skipHostKeysProof(client);
      // SSH's messages here are small requests and answers: without TCP_NODELAY, Nagle's algorithm holds a message
      // back until the previous one is acknowledged, and the machine's delayed ACK makes that up to 40 ms.
      client.once("connect", () => client.setNoDelay(true));
    } catch (cause) {
      fail(
        new FediError(
          "SSH_AUTH_FAILED",
          `Cannot use the SSH key of machine "${target.machine}": ${(cause as Error).message}`,
          {
            machine: target.machine,
            cause,
            hint: "Passphrase-protected keys are not supported as machines[].ssh.identityFile; load the key into ssh-agent (ssh-add) and remove ssh.identityFile, so the agent of SSH_AUTH_SOCK is used.",
          },
        ),
      );
    }
  });
}

/** ssh2's protocol object, as far as {@link skipHostKeysProof} uses it (not part of ssh2's typed API). */
interface Ssh2Protocol {
  _handlers?: Record<string, unknown>;
  requestSuccess(): void;
}

/**
 * After authentication OpenSSH's sshd announces all its host keys (`hostkeys-00@openssh.com`, for ssh's
 * UpdateHostKeys). ssh2 answers every announcement by asking sshd to prove each key (`hostkeys-prove-00@openssh.com`):
 * the machine's sshd signs with each of its host keys and the client verifies each signature (about 0.8 ms of the
 * client's CPU for two keys), only to emit a `hostkeys` event nobody listens to here: the host key is pinned and was
 * checked in the key exchange. This makes the client acknowledge the announcement as ssh2 does (a reply when one is
 * wanted) without asking for the proof, as OpenSSH's ssh does without UpdateHostKeys. Other global requests go to
 * ssh2's handler. Leaves ssh2 alone if its protocol object does not look as expected (another ssh2 version).
 */
function skipHostKeysProof(client: Client): void {
  const protocol = (client as unknown as { _protocol?: Ssh2Protocol })._protocol;
  const handlers = protocol?._handlers;
  const original = handlers?.GLOBAL_REQUEST;
  if (!handlers || typeof original !== "function") return;
  handlers.GLOBAL_REQUEST = (proto: Ssh2Protocol, name: string, wantReply: boolean, data: unknown) => {
    if (name === "hostkeys-00@openssh.com") {
      if (wantReply) proto.requestSuccess();
      return;
    }
    original(proto, name, wantReply, data);
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function mapConnectError(
  target: SshTarget,
  err: Error & { level?: string; code?: unknown },
  pinnedBlob: Buffer,
  offered: Buffer | undefined,
): FediError {
  const expected = fingerprintSha256(pinnedBlob);
  const pinnedType = parseOpenSshPublicKey(target.hostPublicKey).type;
  const hint = `If the machine was reinstalled or its host key rotated, verify the new key out of band (e.g. on its console: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then update ssh.hostPublicKey of machine "${target.machine}". Otherwise someone may be intercepting the connection: do not proceed.`;
  if (offered && !offered.equals(pinnedBlob)) {
    return new FediError(
      "SSH_HOST_KEY_MISMATCH",
      `${capitalize(describeTarget(target))} offered SSH host key ${fingerprintSha256(offered)}, but ssh.hostPublicKey pins ${expected}. Refusing to connect.`,
      {
        machine: target.machine,
        hint,
        details: { expected, offered: fingerprintSha256(offered), host: target.host, port: target.port },
      },
    );
  }
  if (err.level === "handshake" && /no matching host key format/i.test(err.message)) {
    return new FediError(
      "SSH_HOST_KEY_MISMATCH",
      `${capitalize(describeTarget(target))} offered no ${pinnedType} host key, but ssh.hostPublicKey pins ${pinnedType} key ${expected}. Refusing to connect.`,
      { machine: target.machine, hint, details: { expected, offered: null, host: target.host, port: target.port } },
    );
  }
  if (err.level === "client-authentication" || err.level === "agent") {
    const keys = [
      target.identityFile && `identity file ${target.identityFile}`,
      target.agent && `agent ${target.agent}`,
    ]
      .filter(Boolean)
      .join(" and ");
    return new FediError(
      "SSH_AUTH_FAILED",
      `${capitalize(describeTarget(target))} refused SSH authentication as "${target.user}"${keys ? ` with ${keys}` : ""}: ${err.message}`,
      {
        machine: target.machine,
        cause: err,
        hint: `Add the public key to the authorized keys of "${target.user}" on the machine (NixOS: users.users.${target.user}.openssh.authorizedKeys.keys), or set machines[].ssh.identityFile to the matching private key (or load it into ssh-agent).`,
      },
    );
  }
  if (err.level === "client-timeout") {
    return new FediError("SSH_FAILED", `The SSH handshake with ${describeTarget(target)} timed out: ${err.message}.`, {
      machine: target.machine,
      cause: err,
      hint: `Check that ${hostPort(target)} is reachable and that sshd answers there.`,
      details: { transient: true, notStarted: true, reason: "handshake-timeout", host: target.host, port: target.port },
    });
  }
  if (err.level === "client-socket" || err.level === "client-dns" || typeof err.code === "string") {
    return socketError(target, err as NodeJS.ErrnoException, "connect");
  }
  return new FediError("SSH_FAILED", `The SSH handshake with ${describeTarget(target)} failed: ${err.message}.`, {
    machine: target.machine,
    cause: err,
    hint: "The machine's sshd and this client share no algorithm, or the connection was disturbed; check the machine's sshd logs.",
    details: { transient: typeof err.code === "number" ? false : undefined, host: target.host, port: target.port },
  });
}

/**
 * Connects to a machine, retrying transient failures (refused, reset, timed out, handshake timeout) with backoff.
 * Host-key mismatches and authentication failures fail at once. After the last attempt it throws `SSH_FAILED`
 * naming the machine, `host:port`, the attempts and the last error.
 */
export async function connect(target: SshTarget, options: ConnectOptions = {}): Promise<SshConnection> {
  try {
    return await retryTransient((attempt) => connectOnce(target, options, attempt), {
      target,
      operation: "connect",
      retry: options.retry,
      onEvent: options.onEvent,
      signal: options.signal,
    });
  } catch (error) {
    if (isFediError(error)) throw error;
    throw new FediError(
      "INTERNAL",
      `Unexpected error while connecting to ${describeTarget(target)}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}
