import pLimit, { type LimitFunction } from "p-limit";
import { cancelledError } from "./retry.js";

/**
 * A concurrency limit (p-limit): at most `limit` operations run at once, the others wait in FIFO order. A caller's
 * `AbortSignal` cancels its wait for a slot (p-limit itself only clears whole queues).
 */
export class ConcurrencyLimiter {
  /** The maximum number of simultaneous operations. */
  readonly limit: number;
  readonly #limit: LimitFunction;

  /** @param limit - At least 1 (smaller or fractional values are rounded up to a valid limit). */
  constructor(limit: number) {
    const whole = Math.floor(limit);
    this.limit = Number.isNaN(whole) ? 1 : Math.max(1, whole);
    this.#limit = pLimit(this.limit);
  }

  /** How many operations run now. */
  get active(): number {
    return this.#limit.activeCount;
  }

  /**
   * Runs `fn` in a slot. If `signal` aborts while it waits, it rejects with `CANCELLED` at once and `fn` never runs
   * (its place in the queue passes on without work); once `fn` runs, stopping it is `fn`'s own business.
   */
  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    if (!signal) return this.#limit(fn);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(cancelledError());
      signal.addEventListener("abort", onAbort, { once: true });
      this.#limit(async (): Promise<T | undefined> => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) return undefined;
        return await fn();
      }).then((value) => resolve(value as T), reject);
    });
  }
}
