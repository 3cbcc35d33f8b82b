import type { FediEvents } from "../events.js";
import type { MachinePool, SshTarget } from "../machine/index.js";
import { sleep } from "../machine/retry.js";
import type { Plan } from "../plan/types.js";
import type { HealthCheck } from "../plugin/types.js";
import { type CheckResult, runHealthCheck } from "./health-checks.js";
import { storageRuntimeInput } from "./storage-input.js";
import type { DeployerOptions } from "./types.js";

/** What {@link verifyDeployment} runs with. */
export interface VerificationSources {
  /** Registry (the storage runtime's S3 round trip), secret store, SSH and the verification timing. */
  options: Pick<DeployerOptions, "registry" | "secrets" | "ssh" | "verify">;
  /** SSH connections. */
  pool: MachinePool;
  /** The SSH target of each planned machine. */
  targets: ReadonlyMap<string, SshTarget>;
  /** Where each result is reported (`verify.check`). */
  events: FediEvents;
  /** Cancels the checks. */
  signal?: AbortSignal;
}

/** Which checks {@link verifyDeployment} runs, and how. */
export interface VerificationScope {
  /** Only the checks of these machines (status: the reachable ones). Default: every machine. */
  only?: ReadonlySet<string>;
  /** Also the storage runtime's S3 round trip per bucket. Default true. */
  withStorage?: boolean;
  /**
   * Retry a failing check every `verify.intervalMs` (5 s) until `verify.timeoutMs` (120 s): services need a moment
   * after a switch (apply). Default false: each check runs once (status).
   */
  wait?: boolean;
}

/**
 * Runs the health checks of every instance and storage node of the plan on their machines (units, HTTP, commands)
 * and, with storage, an S3 round trip per bucket; reports each result as a `verify.check` event.
 */
export async function verifyDeployment(
  plan: Plan,
  sources: VerificationSources,
  scope: VerificationScope = {},
): Promise<CheckResult[]> {
  const { pool, targets, signal, events } = sources;
  const { only, withStorage = true, wait = false } = scope;
  const checks: Array<{ machine: string; owner: string; check: HealthCheck }> = [];
  for (const inst of plan.instances) {
    if (only && !only.has(inst.machine)) continue;
    for (const check of inst.checks) checks.push({ machine: inst.machine, owner: inst.name, check });
  }
  for (const { machine, check } of plan.storage.checks) {
    if (!only || only.has(machine)) checks.push({ machine, owner: "storage", check });
  }
  // Services need a moment after a switch: a failing check is tried again until the deadline (apply only).
  const { timeoutMs, intervalMs } = { timeoutMs: 0, intervalMs: 5_000, ...(wait ? sources.options.verify : {}) };
  const deadline = Date.now() + (wait ? timeoutMs || 120_000 : 0);
  const runOne = async (c: (typeof checks)[number]): Promise<CheckResult> => {
    for (;;) {
      const r = await runHealthCheck(pool, targets.get(c.machine)!, c.owner, c.check, {
        ...(signal ? { signal } : {}),
        acmeStaging: plan.deployment.acme?.staging === true,
      });
      if (r.ok || Date.now() + intervalMs > deadline || signal?.aborted) return r;
      await sleep(intervalMs, signal);
    }
  };
  const results = await Promise.all(checks.map(runOne));
  const storage = sources.options.registry.storage(plan.storage.kind);
  if (withStorage && storage?.runtime && plan.buckets.length > 0) {
    const verified = await storage.runtime.verify(await storageRuntimeInput(plan, sources));
    for (const v of verified) {
      results.push({
        machine: plan.storage.nodes[0]?.machine ?? "",
        owner: "storage",
        check: `S3 round trip ${v.bucket}`,
        ok: v.ok,
        detail: v.detail,
      });
    }
  }
  for (const r of results)
    events.report(
      "verify.check",
      { check: r.check, ok: r.ok, detail: r.detail },
      { level: r.ok ? "info" : "error", machine: r.machine, ...(r.owner !== "storage" ? { service: r.owner } : {}) },
    );
  return results;
}
