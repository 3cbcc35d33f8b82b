import { type ConnectOptions, connectOnce, IdentityKeyCache, type SshConnection } from "./connection.js";
import type { MachineEventListener } from "./events.js";
import type { ExecCheckedOptions, ExecOptions, ExecResult } from "./exec.js";
import { ConcurrencyLimiter } from "./limiter.js";
import { type RetryOptions, retryTransient } from "./retry.js";
import type { ReadFileOptions, RemoveFileOptions, UploadOptions } from "./sftp.js";
import type { SshTarget } from "./target.js";
import type { Tunnel, TunnelOptions } from "./tunnel.js";

/** Options of a {@link MachinePool}. */
export interface MachinePoolOptions {
  /** Maximum simultaneous operations across all machines (probes have their own limit). Default 8. */
  concurrency?: number;
  /**
   * Maximum simultaneous probes ({@link WithMachineOptions.probe}, e.g. preflight) across all machines. Default
   * {@link DEFAULT_PROBE_CONCURRENCY}, or {@link MachinePoolOptions.concurrency} when that is higher.
   */
  probeConcurrency?: number;
  /** Retry policy for transient SSH failures. Default: see {@link DEFAULT_RETRY}. */
  retry?: RetryOptions;
  /** Receives progress events of every connection and operation. */
  onEvent?: MachineEventListener;
  /** Connect timeout per attempt. Default 15000 ms. */
  connectTimeoutMs?: number;
  /** SSH keepalive interval. Default 10000 ms. */
  keepaliveIntervalMs?: number;
}

/** Options of {@link MachinePool.withMachine}. */
export interface WithMachineOptions {
  /** What is being done, for messages and `retrying` events, e.g. `upload /run/x`. Default `operation`. */
  operation?: string;
  /**
   * The operation may safely run again after the connection dropped in the middle of it (it is idempotent).
   * Otherwise only failures before it started (connecting) are retried. Default false.
   */
  idempotent?: boolean;
  /** Cancels waiting for a slot, connecting and waiting between attempts. */
  signal?: AbortSignal;
  /**
   * The operation is a probe: connect and one short read-only command, bound by network latency rather than by
   * bandwidth or the deployer's CPU (preflight's facts). It holds a slot of the probe limit
   * ({@link MachinePoolOptions.probeConcurrency}) instead of the main one, so a fleet larger than the main limit is
   * probed in one round of round trips instead of several. Default false.
   */
  probe?: boolean;
}

/**
 * Default limit of simultaneous probes. A probe costs the deployer one socket and about 5 ms of CPU (handshake, key
 * authentication and one command, measured by bench/preflight.bench.ts) spread over ~6 network round trips of
 * waiting (the benchmark's 50 ms round trip adds ~300 ms to one machine's preflight), and the pool keeps one
 * connection per machine open afterwards whatever the limit; each machine's sshd sees one connection. At 64 the
 * deployer's CPU (64 × ~5 ms) about fills the ~0.3 s those round trips take at 50 ms, so more would gain little.
 */
export const DEFAULT_PROBE_CONCURRENCY = 64;

/**
 * Connections to many machines with a global concurrency limit. One connection per machine is opened on first use
 * and reused by later operations; a lost connection is dropped and reopened by the next attempt. Transient failures
 * are retried (see {@link WithMachineOptions.idempotent}). Call {@link MachinePool.closeAll} when done.
 */
export class MachinePool {
  readonly #options: MachinePoolOptions;
  readonly #limiter: ConcurrencyLimiter;
  readonly #probeLimiter: ConcurrencyLimiter;
  readonly #connections = new Map<string, Promise<SshConnection>>();
  /** Identity keys parsed once for all connections of the pool (see {@link IdentityKeyCache}). */
  readonly #keys = new IdentityKeyCache();

  /** @param options - Concurrency, retry policy and progress listener. */
  constructor(options: MachinePoolOptions = {}) {
    this.#options = options;
    this.#limiter = new ConcurrencyLimiter(options.concurrency ?? 8);
    this.#probeLimiter = new ConcurrencyLimiter(
      options.probeConcurrency ?? Math.max(DEFAULT_PROBE_CONCURRENCY, this.#limiter.limit),
    );
  }

  /** The concurrency limit. */
  get concurrency(): number {
    return this.#limiter.limit;
  }

  /** The limit of simultaneous probes (see {@link WithMachineOptions.probe}). */
  get probeConcurrency(): number {
    return this.#probeLimiter.limit;
  }

  /** How many operations hold a slot of the main limit right now. */
  get inFlight(): number {
    return this.#limiter.active;
  }

  /** How many probes hold a slot of the probe limit right now. */
  get probesInFlight(): number {
    return this.#probeLimiter.active;
  }

  /** How many connections are open or opening. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Connect options of shared connections (no caller's signal: one caller's abort must not fail the others). */
  #connectOptions(): ConnectOptions {
    const options: ConnectOptions = { keyCache: this.#keys };
    if (this.#options.onEvent) options.onEvent = this.#options.onEvent;
    if (this.#options.connectTimeoutMs !== undefined) options.connectTimeoutMs = this.#options.connectTimeoutMs;
    if (this.#options.keepaliveIntervalMs !== undefined)
      options.keepaliveIntervalMs = this.#options.keepaliveIntervalMs;
    return options;
  }

  /** The shared connection of `target`, opened (one attempt) when there is none. */
  async #connection(target: SshTarget, attempt: number): Promise<SshConnection> {
    const key = JSON.stringify([
      target.machine,
      target.host,
      target.port,
      target.user,
      target.hostPublicKey,
      target.identityFile ?? "",
      target.agent ?? "",
    ]);
    const existing = this.#connections.get(key);
    if (existing) {
      const conn = await existing.catch(() => undefined);
      if (conn && !conn.closed) return conn;
      if (this.#connections.get(key) === existing) this.#connections.delete(key);
      // Another caller may already be reconnecting.
      const replacement = this.#connections.get(key);
      if (replacement) return this.#connection(target, attempt);
    }
    const opening = connectOnce(target, this.#connectOptions(), attempt);
    this.#connections.set(key, opening);
    try {
      const conn = await opening;
      conn.onClose(() => {
        if (this.#connections.get(key) === opening) this.#connections.delete(key);
      });
      return conn;
    } catch (error) {
      if (this.#connections.get(key) === opening) this.#connections.delete(key);
      throw error;
    }
  }

  /**
   * Runs `fn` with the machine's connection while holding one of the pool's slots (of the probe limit for a
   * {@link WithMachineOptions.probe}). Transient failures are retried with backoff (the slot is released while
   * waiting); after the last attempt `SSH_FAILED` names the machine, its address, the attempts and the last error.
   */
  withMachine<T>(
    target: SshTarget,
    fn: (conn: SshConnection) => Promise<T>,
    options: WithMachineOptions = {},
  ): Promise<T> {
    const { signal } = options;
    const limiter = options.probe ? this.#probeLimiter : this.#limiter;
    return retryTransient(
      (attempt) =>
        limiter.run(async () => {
          const conn = await this.#connection(target, attempt);
          return await fn(conn);
        }, signal),
      {
        target,
        operation: options.operation ?? "operation",
        retry: this.#options.retry,
        idempotent: options.idempotent,
        onEvent: this.#options.onEvent,
        signal,
      },
    );
  }

  /** Runs a command on the machine (retried only if it could not start); see {@link SshConnection.exec}. */
  exec(target: SshTarget, command: string, options: ExecOptions & { idempotent?: boolean } = {}): Promise<ExecResult> {
    return this.withMachine(target, (conn) => conn.exec(command, options), this.#commandOptions(command, options));
  }

  /** Runs a command and throws `SSH_COMMAND_FAILED` on failure; see {@link SshConnection.execChecked}. */
  execChecked(
    target: SshTarget,
    command: string,
    options: ExecCheckedOptions & { idempotent?: boolean } = {},
  ): Promise<ExecResult> {
    return this.withMachine(
      target,
      (conn) => conn.execChecked(command, options),
      this.#commandOptions(command, options),
    );
  }

  #commandOptions(command: string, options: ExecOptions & { idempotent?: boolean }): WithMachineOptions {
    const label = options.label ?? (options.sensitive ? "(sensitive command)" : command);
    const result: WithMachineOptions = { operation: `command "${label}"`, idempotent: options.idempotent ?? false };
    if (options.signal) result.signal = options.signal;
    return result;
  }

  /** Uploads a file atomically (retried: the upload is idempotent); see {@link uploadFile}. */
  uploadFile(target: SshTarget, remotePath: string, data: Buffer | string, options: UploadOptions = {}): Promise<void> {
    return this.withMachine(target, (conn) => conn.uploadFile(remotePath, data, options), {
      operation: `upload ${remotePath}`,
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Reads a small remote file, `undefined` when missing (retried); see {@link readRemoteFile}. */
  readFile(target: SshTarget, remotePath: string, options?: ReadFileOptions): Promise<Buffer | undefined> {
    return this.withMachine(target, (conn) => conn.readFile(remotePath, options), {
      operation: `read ${remotePath}`,
      idempotent: true,
    });
  }

  /** Removes a remote file (retried); see {@link removeRemoteFile}. */
  removeFile(target: SshTarget, remotePath: string, options?: RemoveFileOptions): Promise<boolean> {
    return this.withMachine(target, (conn) => conn.removeFile(remotePath, options), {
      operation: `remove ${remotePath}`,
      idempotent: true,
    });
  }

  /**
   * Opens a local port forward through the machine's connection (connecting with retries). The tunnel does not hold
   * a concurrency slot; it closes when the connection closes (e.g. on {@link MachinePool.closeAll}).
   */
  openTunnel(target: SshTarget, options: TunnelOptions): Promise<Tunnel> {
    return retryTransient((attempt) => this.#connection(target, attempt), {
      target,
      operation: `tunnel to port ${options.remotePort}`,
      retry: this.#options.retry,
      onEvent: this.#options.onEvent,
    }).then((conn) => conn.openTunnel(options));
  }

  /** Closes every connection (and the tunnels through them) and forgets the parsed keys. The pool can be used again. */
  async closeAll(): Promise<void> {
    const pending = [...this.#connections.values()];
    this.#connections.clear();
    this.#keys.clear();
    await Promise.all(pending.map((opening) => opening.then((conn) => conn.close()).catch(() => {})));
  }
}
