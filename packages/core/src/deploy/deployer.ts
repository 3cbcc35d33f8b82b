import { FediError, isFediError } from "../errors.js";
import { FediEvents } from "../events.js";
import { MachinePool, preflight } from "../machine/index.js";
import { hashOf } from "../plan/allocate.js";
import { diffAgainstState } from "../plan/diff.js";
import type { Plan } from "../plan/types.js";
import { checkDeploymentDirLocation } from "../render/location.js";
import { type Redact, redactor } from "../secrets/index.js";
import { stateFromPlan } from "../state/from-plan.js";
import { ownValue } from "../util/own.js";
import { APPLY_STEP_DEFINITIONS, ApplyProgressRecorder, createApplyContext, runSteps } from "./steps/index.js";
import { expectations } from "./steps/preflight.js";
import { sshTarget } from "./targets.js";
import type { ApplyOptions, ApplyReport, DeployerOptions, StatusReport } from "./types.js";
import { verifyDeployment } from "./verification.js";

export {
  APPLY_STEPS,
  type ApplyOptions,
  type ApplyReport,
  type ApplyStep,
  type DeployerOptions,
  type StatusReport,
  type StepReport,
} from "./types.js";

/**
 * Applies plans to machines. In order: checks the machines over SSH and that NixOps4 is installed (before anything is
 * written, committed or generated), renders and commits the deployment, generates missing secrets, uploads secret
 * files, switches the storage nodes, provisions storage, switches the other machines with NixOps4, reinstalls changed
 * secrets, and verifies the result — then records the new state. Each step is a module of `deploy/steps/`; every
 * step reports typed events on {@link Deployer.events}, with secret values redacted. A failed or cancelled run
 * records the steps it finished, so the next run of the same plan continues where it stopped.
 */
export class Deployer {
  /** Events of every run (listen with `deployer.events.on("event", ...)`). */
  readonly events: FediEvents;
  readonly #options: DeployerOptions;
  #redact: Redact = (t) => t;

  constructor(options: DeployerOptions) {
    this.#options = options;
    this.events = new FediEvents((t) => this.#redact(t));
    // An outside stream sees the same (already redacted) events.
    const outside = options.events;
    if (outside) this.events.on("event", (e) => outside.emit("event", e));
  }

  /**
   * Applies a plan made by `createPlan` against the current state: under the state lock, diffs the plan against the
   * state, asks `confirm` before removals, moves and storage changes, runs the steps (`APPLY_STEPS`) in order, and writes the new state.
   * @throws FediError: `NIXOPS4_NOT_FOUND`, `PREFLIGHT_FAILED`, `STORAGE_*`, `SSH_*`, `NIXOPS4_*`, `VERIFY_FAILED`,
   * `CANCELLED`, ...
   */
  async apply(plan: Plan, options: ApplyOptions = {}): Promise<ApplyReport> {
    const started = Date.now();
    const o = this.#options;
    this.events.report("run.start", { command: "apply", deployment: plan.deployment.name });
    const report: ApplyReport = { upToDate: false, steps: [], applied: [], checks: [], durationMs: 0 };
    const pool = this.#pool();
    // The lock names this run to another that finds it taken.
    const lockOptions = { command: `apply ${plan.deployment.name}` };
    try {
      // Cheap and local: a deployment directory that would take in the config, the state or the secrets stops here.
      await checkDeploymentDirLocation(o.deployDir, {
        configDir: o.configDir,
        stateDir: o.state.dir,
        secretsDir: o.secrets.dir,
      });
      await o.state.withLock(async () => {
        const prev = await o.state.read(plan.deployment.name);
        const current: Plan = { ...plan, diff: diffAgainstState(plan, prev) };
        const progress = new ApplyProgressRecorder(o.state, prev, hashOf({ ...plan, diff: null }));
        if (current.diff.upToDate && !options.all && progress.empty) {
          report.upToDate = true;
          return;
        }
        await confirmChanges(current, options);
        // Values already in the store are redacted from the first step on (the secrets step adds new ones).
        this.#redact = await redactor(o.secrets);
        const ctx = createApplyContext({
          plan: current,
          options: o,
          apply: options,
          pool,
          progress,
          report,
          events: this.events,
          redact: (t) => this.#redact(t),
          setRedact: (redact) => {
            this.#redact = redact;
          },
        });
        await runSteps(APPLY_STEP_DEFINITIONS, ctx);
        await o.state.write(stateFromPlan(current, prev, new Date()));
      }, lockOptions);
    } catch (error) {
      const message = isFediError(error) ? error.message : String(error);
      this.events.report(
        "run.end",
        { ok: false, durationMs: Date.now() - started, summary: message },
        { level: "error" },
      );
      throw error;
    } finally {
      await pool.closeAll();
    }
    report.durationMs = Date.now() - started;
    this.events.report("run.end", {
      ok: true,
      durationMs: report.durationMs,
      summary: report.upToDate ? "up to date: nothing to do" : `applied ${report.applied.length} machine(s)`,
    });
    return report;
  }

  /** Facts and health of every machine and instance of the plan, read from the machines themselves. */
  async status(plan: Plan, options: { signal?: AbortSignal } = {}): Promise<StatusReport> {
    const o = this.#options;
    this.events.report("run.start", { command: "status", deployment: plan.deployment.name });
    const pool = new MachinePool({
      concurrency: o.ssh?.concurrency ?? 8,
      ...(o.ssh?.retry ? { retry: o.ssh.retry } : {}),
    });
    const targets = new Map(plan.machines.map((m) => [m.name, sshTarget(m, o.ssh)]));
    try {
      const facts = await preflight(
        pool,
        plan.machines.map((m) => ({ target: targets.get(m.name)!, expect: expectations(m, plan) })),
        options.signal ? { signal: options.signal } : {},
      );
      const machines = plan.machines.map((m) => {
        const f = ownValue(facts.facts, m.name);
        const unreachable = facts.problems.find((p) => p.machine === m.name && p.check === "ssh");
        return f
          ? { machine: m.name, reachable: true, facts: { ...f } as Record<string, unknown> }
          : { machine: m.name, reachable: false, problem: unreachable ? `${unreachable.actual}` : "unreachable" };
      });
      const reachable = new Set(machines.filter((m) => m.reachable).map((m) => m.machine));
      const checks = await verifyDeployment(
        plan,
        { options: o, pool, targets, events: this.events, ...(options.signal ? { signal: options.signal } : {}) },
        { only: reachable, withStorage: false },
      );
      return { machines, checks };
    } finally {
      await pool.closeAll();
    }
  }

  /** The SSH connections of one apply: concurrency, retries and connect timeout from the options; retries logged. */
  #pool(): MachinePool {
    const ssh = this.#options.ssh;
    return new MachinePool({
      concurrency: ssh?.concurrency ?? 8,
      ...(ssh?.retry ? { retry: ssh.retry } : {}),
      ...(ssh?.connectTimeoutMs ? { connectTimeoutMs: ssh.connectTimeoutMs } : {}),
      onEvent: (e) => {
        if (e.type === "retrying")
          this.events.report(
            "log",
            { message: `retrying ${e.operation} on ${e.machine} (attempt ${e.attempt})` },
            { level: "warn", machine: e.machine },
          );
      },
    });
  }
}

/**
 * Asks `options.confirm` when the plan removes or moves instances or changes the storage nodes.
 * @throws FediError `CANCELLED` when refused.
 */
async function confirmChanges(plan: Plan, options: ApplyOptions): Promise<void> {
  if (plan.diff.removed.length === 0 && plan.diff.moved.length === 0 && plan.diff.storageChanges.length === 0) return;
  if (!options.confirm || (await options.confirm(plan))) return;
  throw new FediError("CANCELLED", "Nothing was changed: the removals, moves and storage changes were not confirmed.", {
    hint: "Run `fedi apply` again and confirm in the terminal, or pass --yes (from a program: `confirm` returns true).",
  });
}
