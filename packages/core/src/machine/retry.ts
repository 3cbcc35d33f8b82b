import { FediError, isFediError } from "../errors.js";
import { emitMachineEvent, type MachineEventListener } from "./events.js";
import { failedBeforeStart, isTransientSshError } from "./ssh-errors.js";
import { describeTarget, hostPort, type SshTarget } from "./target.js";

/** How transient SSH failures are retried: exponential backoff with jitter and a bounded number of attempts. */
export interface RetryOptions {
  /** Total attempts, including the first. Default 4. `1` disables retries. */
  attempts?: number;
  /** Delay after the first failure. Default 500 ms. */
  initialDelayMs?: number;
  /** Upper bound of one delay. Default 8000 ms. */
  maxDelayMs?: number;
  /** Growth factor of the delay per failure. Default 2. */
  factor?: number;
  /** Relative jitter: each delay is scaled by a random factor in `[1 - jitter, 1 + jitter]`. Default 0.25. */
  jitter?: number;
  /** Waits between attempts; inject a fake in tests. Rejects when `signal` aborts. Default: a real timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random source in `[0, 1)` for the jitter. Default `Math.random`. */
  random?: () => number;
}

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY = {
  /** Total attempts. */
  attempts: 4,
  /** Delay after the first failure. */
  initialDelayMs: 500,
  /** Cap of one delay. */
  maxDelayMs: 8000,
  /** Growth per failure. */
  factor: 2,
  /** Relative jitter. */
  jitter: 0.25,
} as const;

/** The delay before the attempt after `failedAttempt` (1-based) failed. */
export function backoffDelay(failedAttempt: number, options: RetryOptions = {}): number {
  const initial = options.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs;
  const max = options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs;
  const factor = options.factor ?? DEFAULT_RETRY.factor;
  const jitter = Math.min(Math.max(options.jitter ?? DEFAULT_RETRY.jitter, 0), 1);
  const random = options.random ?? Math.random;
  const base = Math.min(max, initial * factor ** Math.max(0, failedAttempt - 1));
  return Math.max(0, Math.round(base * (1 - jitter + 2 * jitter * random())));
}

/** A timer-based sleep that rejects with a `CANCELLED` error when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The error thrown when an operation is cancelled through its AbortSignal. */
export function cancelledError(what = "The operation"): FediError {
  return new FediError("CANCELLED", `${what} was cancelled.`);
}

/** Options of {@link retryTransient}. */
export interface RetryTransientOptions {
  /** The machine, for messages and events. */
  target: SshTarget;
  /** What is being done, e.g. `connect` or `upload /etc/x`; shown in messages. */
  operation: string;
  /** Backoff settings. */
  retry?: RetryOptions | undefined;
  /** Retry errors from inside the operation (not only connection setup): only for idempotent operations. */
  idempotent?: boolean | undefined;
  /** Receives a `retrying` event before each wait. */
  onEvent?: MachineEventListener | undefined;
  /** Stops waiting and retrying. */
  signal?: AbortSignal | undefined;
}

// Why not p-retry (7.x, the last line for Node 20): its delay is `minTimeout * factor^n` times a random factor in
// [1, 2], computed inside and never shown to a hook, so the `retrying` event could not carry `delayMs`, `jitter` and
// `random` (±jitter, injectable) could not be kept, and `RetryOptions.sleep` could not be injected; its `signal`
// rejects with `signal.reason` instead of `CANCELLED`; it turns thrown non-Errors into a TypeError. Using it would
// mean switching off its backoff and signal and sleeping inside `shouldRetry`: it would only count attempts.
/**
 * Runs `attempt` until it succeeds, retrying transient SSH failures ({@link isTransientSshError}) with exponential
 * backoff. Non-idempotent operations are retried only when the failure happened before anything ran remotely.
 * After the last attempt it throws `SSH_FAILED` naming the machine, its address, the operation, the number of
 * attempts and the last error.
 */
export async function retryTransient<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryTransientOptions,
): Promise<T> {
  const maxAttempts = Math.max(1, Math.floor(options.retry?.attempts ?? DEFAULT_RETRY.attempts));
  const wait = options.retry?.sleep ?? sleep;
  for (let n = 1; ; n++) {
    if (options.signal?.aborted) throw cancelledError();
    try {
      return await attempt(n);
    } catch (error) {
      const retryable = isTransientSshError(error) && (options.idempotent === true || failedBeforeStart(error));
      if (!retryable) throw error;
      if (n >= maxAttempts) throw exhaustedError(options, n, error);
      const delayMs = backoffDelay(n, options.retry);
      emitMachineEvent(options.onEvent, {
        type: "retrying",
        machine: options.target.machine,
        operation: options.operation,
        attempt: n,
        maxAttempts,
        delayMs,
        reason: (error as Error).message,
      });
      await wait(delayMs, options.signal);
    }
  }
}

function exhaustedError(options: RetryTransientOptions, attempts: number, last: unknown): FediError {
  const { target, operation } = options;
  const lastMessage = (last as Error).message;
  const lastHint = isFediError(last) ? last.hint : undefined;
  return new FediError(
    "SSH_FAILED",
    `Gave up on ${operation} on ${describeTarget(target)} after ${attempts} attempt${attempts === 1 ? "" : "s"}; last error: ${lastMessage}`,
    {
      machine: target.machine,
      cause: last,
      hint: lastHint ?? `Check that ${hostPort(target)} is reachable and sshd runs, then run again.`,
      details: {
        attempts,
        operation,
        host: target.host,
        port: target.port,
        lastError: lastMessage,
      },
    },
  );
}
