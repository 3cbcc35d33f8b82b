import { describe, expect, it } from "vitest";
import { FediError, hasErrorCode } from "../../src/errors.js";
import { backoffDelay, type MachineEvent, retryTransient, type SshTarget } from "../../src/machine/index.js";
import { ConcurrencyLimiter } from "../../src/machine/limiter.js";
import { connectionLostError } from "../../src/machine/ssh-errors.js";

const target: SshTarget = { machine: "web1", host: "192.0.2.7", port: 2222, user: "root", hostPublicKey: "unused" };

function refused(): FediError {
  return new FediError("SSH_FAILED", "connect ECONNREFUSED 192.0.2.7:2222", {
    details: { transient: true, notStarted: true },
  });
}

describe("backoffDelay", () => {
  it("grows exponentially up to the cap", () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("applies jitter within ±jitter of the base delay", () => {
    const options = { initialDelayMs: 1000, jitter: 0.25 };
    expect(backoffDelay(1, { ...options, random: () => 0 })).toBe(750);
    expect(backoffDelay(1, { ...options, random: () => 0.999999 })).toBe(1250);
    expect(backoffDelay(1, { ...options, random: () => 0.5 })).toBe(1000);
  });
});

describe("retryTransient", () => {
  it("retries transient failures with the injected sleep, then succeeds", async () => {
    const delays: number[] = [];
    const events: MachineEvent[] = [];
    let calls = 0;
    const result = await retryTransient(
      async () => {
        calls++;
        if (calls < 3) throw refused();
        return "ok";
      },
      {
        target,
        operation: "connect",
        retry: { attempts: 5, initialDelayMs: 10, jitter: 0, sleep: async (ms) => void delays.push(ms) },
        onEvent: (e) => events.push(e),
      },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(delays).toEqual([10, 20]);
    expect(events.map((e) => e.type === "retrying" && [e.attempt, e.maxAttempts])).toEqual([
      [1, 5],
      [2, 5],
    ]);
  });

  it("gives up after the last attempt naming machine, address, operation, attempts and last error", async () => {
    let calls = 0;
    const error = await retryTransient(
      async () => {
        calls++;
        throw refused();
      },
      { target, operation: "upload /run/x", retry: { attempts: 3, sleep: async () => {} } },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(hasErrorCode(error, "SSH_FAILED")).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('machine "web1"');
    expect(message).toContain("192.0.2.7:2222");
    expect(message).toContain("upload /run/x");
    expect(message).toContain("after 3 attempts");
    expect(message).toContain("ECONNREFUSED");
    expect((error as FediError).details.attempts).toBe(3);
  });

  it("does not retry permanent failures", async () => {
    let calls = 0;
    const mismatch = new FediError("SSH_HOST_KEY_MISMATCH", "bad key");
    await expect(
      retryTransient(
        async () => {
          calls++;
          throw mismatch;
        },
        { target, operation: "connect", retry: { attempts: 5, sleep: async () => {} } },
      ),
    ).rejects.toBe(mismatch);
    expect(calls).toBe(1);
  });

  it("retries a connection lost mid-operation only when the operation is idempotent", async () => {
    const lost = connectionLostError(target, "command");
    let calls = 0;
    const once = async () => {
      calls++;
      throw lost;
    };
    await expect(
      retryTransient(once, { target, operation: "command", retry: { attempts: 3, sleep: async () => {} } }),
    ).rejects.toBe(lost);
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      retryTransient(once, {
        target,
        operation: "command",
        idempotent: true,
        retry: { attempts: 3, sleep: async () => {} },
      }),
    ).rejects.toThrow(/after 3 attempts/);
    expect(calls).toBe(3);
  });
});

describe("ConcurrencyLimiter", () => {
  it("never lets more than the limit run and serves waiters in order", async () => {
    const limiter = new ConcurrencyLimiter(2);
    let running = 0;
    let max = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.run(async () => {
          running++;
          max = Math.max(max, running);
          order.push(i);
          await new Promise((r) => setTimeout(r, 5));
          running--;
        }),
      ),
    );
    expect(max).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.active).toBe(0);
  });

  it("rejects a waiter whose signal aborts at once, never runs it, and passes its place on", async () => {
    const limiter = new ConcurrencyLimiter(1);
    let releaseHolder!: () => void;
    const holder = limiter.run(() => new Promise<void>((resolve) => (releaseHolder = resolve)));
    const controller = new AbortController();
    let ran = false;
    const waiting = limiter.run(async () => {
      ran = true;
    }, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toSatisfy((e: unknown) => hasErrorCode(e, "CANCELLED"));
    expect(limiter.active).toBe(1);
    releaseHolder();
    await holder;
    await expect(limiter.run(async () => "next")).resolves.toBe("next");
    expect(ran).toBe(false);
    expect(limiter.active).toBe(0);
  });

  it("rejects at once for an already aborted signal, and lets a running operation finish after an abort", async () => {
    const limiter = new ConcurrencyLimiter(1);
    let calls = 0;
    const count = async () => {
      calls++;
    };
    await expect(limiter.run(count, AbortSignal.abort())).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, "CANCELLED"),
    );
    const controller = new AbortController();
    const running = limiter.run(async () => {
      controller.abort();
      await new Promise((r) => setTimeout(r, 5));
      return "done";
    }, controller.signal);
    await expect(running).resolves.toBe("done");
    expect(calls).toBe(0);
  });

  it("turns a limit below 1, fractional or NaN into a valid one", () => {
    expect([0, -3, 2.7, Number.NaN].map((n) => new ConcurrencyLimiter(n).limit)).toEqual([1, 1, 2, 1]);
  });
});
