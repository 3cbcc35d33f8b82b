import { cancelledError } from "./retry.js";

/** A counting semaphore: at most `limit` holders at once, the others wait in FIFO order. */
export class ConcurrencyLimiter {
  /** The maximum number of simultaneous holders. */
  readonly limit: number;
  #active = 0;
  readonly #waiting: Array<() => void> = [];

  /** @param limit - At least 1. */
  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  /** How many holders are active now. */
  get active(): number {
    return this.#active;
  }

  /** Waits for a free slot. Rejects with `CANCELLED` if `signal` aborts first. Pair with {@link release}. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelledError());
    if (this.#active < this.limit) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener("abort", onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = () => {
        const index = this.#waiting.indexOf(grant);
        if (index >= 0) this.#waiting.splice(index, 1);
        reject(cancelledError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiting.push(grant);
    });
  }

  /** Frees a slot taken by {@link acquire}. */
  release(): void {
    this.#active = Math.max(0, this.#active - 1);
    const next = this.#waiting.shift();
    if (next) next();
  }

  /** Runs `fn` while holding a slot. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
