import type { FediEvents } from "../../events.js";
import type { MachinePool, SshTarget } from "../../machine/index.js";
import { NixOps4Driver, nixops4SshEnvironment } from "../../nixops4/index.js";
import type { Plan } from "../../plan/types.js";
import type { Redact } from "../../secrets/index.js";
import { sshTarget } from "../targets.js";
import type { ApplyOptions, ApplyReport, ApplyStep, DeployerOptions } from "../types.js";
import type { ApplyProgressRecorder } from "./progress.js";
import { uploadedBefore } from "./upload.js";

/**
 * Secret files uploaded on one machine during this apply: their names, or `"all"` when an earlier run of the same
 * plan uploaded them (its progress records only the machine) and every file of the machine is reinstalled.
 */
export type UploadedFiles = readonly string[] | "all";

/** What every step of an apply runs over: built once per run by the Deployer, after the lock, state read and diff. */
export interface ApplyContext {
  /** The plan, its diff taken against the state read under the lock. */
  readonly plan: Plan;
  /** The Deployer's options (registry, deployment directory, config folder, secret store, SSH, verification). */
  readonly options: DeployerOptions;
  /** Cancels the run; every step passes it on to what it calls. */
  readonly signal?: AbortSignal;
  /** SSH connections, shared by every step (closed by the Deployer when the run ends). */
  readonly pool: MachinePool;
  /** The SSH target of each planned machine, by machine name. */
  readonly targets: ReadonlyMap<string, SshTarget>;
  /** NixOps4 for the deployment directory (`locate` in preflight, `apply` in the switching steps). */
  readonly driver: Pick<NixOps4Driver, "locate" | "apply">;
  /** The environment NixOps4 runs with on top of the process's own (its ssh options, then `nixops4.env`). */
  readonly nixops4Env: Readonly<Record<string, string | undefined>>;
  /** The run's (redacted) event stream. */
  readonly events: FediEvents;
  /** Machines NixOps4 switches in this run: every machine with `ApplyOptions.all`, else those whose config changed. */
  readonly toApply: readonly string[];
  /** Machines that are storage nodes (switched before storage is provisioned). */
  readonly storageNodes: ReadonlySet<string>;
  /** What this run (and an earlier failed run of the same plan) finished, recorded in the state as it goes. */
  readonly progress: ApplyProgressRecorder;
  /** Machines whose secret files changed, with the files (filled by `upload`, read by `activate`). */
  readonly uploadedOn: Map<string, UploadedFiles>;
  /** The report being built (`applied` by the switching steps, `checks` by `verify`). */
  readonly report: ApplyReport;
  /** Replaces the redaction of every later event and NixOps4 line (set once the secret values are known). */
  setRedact(redact: Redact): void;
}

/**
 * One step of an apply. `run` returns a summary for people, or `undefined` when there was nothing to do (the step
 * is then reported as skipped). A resumable step that finished in an earlier run of the same plan is skipped; the
 * others run every time.
 */
export interface ApplyStepDefinition {
  /** The step's name, one of `APPLY_STEPS`. */
  readonly name: ApplyStep;
  /** What the step does, for people (`step.start` events). */
  readonly description: string;
  /** Whether a finished run of the step is recorded, so that a re-run of the same plan skips it. */
  readonly resumable: boolean;
  /** Does the step's work. */
  run(ctx: ApplyContext): Promise<string | undefined>;
}

/** What {@link createApplyContext} builds a run context from. */
export interface ApplyContextInput {
  /** The plan, diffed against the state read under the lock. */
  plan: Plan;
  /** The Deployer's options. */
  options: DeployerOptions;
  /** The options of this apply (`all`, `signal`). */
  apply: Pick<ApplyOptions, "all" | "signal">;
  /** SSH connections of the run. */
  pool: MachinePool;
  /** The run's progress (from the state read under the lock). */
  progress: ApplyProgressRecorder;
  /** The report being built. */
  report: ApplyReport;
  /** The run's event stream (already redacting through `redact`). */
  events: FediEvents;
  /** Applies the current redaction (passed to NixOps4's output and errors). */
  redact: Redact;
  /** Replaces the current redaction. */
  setRedact(redact: Redact): void;
}

/**
 * The run context of one apply: SSH targets of the planned machines (host keys pinned from the spec), a NixOps4 driver
 * for the deployment directory whose lines become `nixops4.line` events, the machines to switch (all with
 * `apply.all`, else those whose configuration changed), and the uploads an earlier run of the same plan recorded.
 */
export function createApplyContext(input: ApplyContextInput): ApplyContext {
  const { plan, options: o, apply, events } = input;
  const nixops4Env = { ...nixops4SshEnvironment(o.ssh), ...o.nixops4?.env };
  const driver = new NixOps4Driver({
    cwd: o.deployDir,
    ...(o.nixops4?.binary ? { binary: o.nixops4.binary } : {}),
    env: nixops4Env,
    hosts: Object.fromEntries(plan.machines.map((m) => [m.name, m.host])),
    redact: input.redact,
    onLine: (line) =>
      events.report(
        "nixops4.line",
        { stream: line.stream, text: line.text },
        { level: "debug", ...(line.machine ? { machine: line.machine } : {}) },
      ),
  });
  return {
    plan,
    options: o,
    ...(apply.signal ? { signal: apply.signal } : {}),
    pool: input.pool,
    targets: new Map(plan.machines.map((m) => [m.name, sshTarget(m, o.ssh)])),
    driver,
    nixops4Env,
    events,
    toApply: apply.all ? plan.machines.map((m) => m.name) : plan.diff.machinesChanged,
    storageNodes: new Set(plan.storage.nodes.map((n) => n.machine)),
    progress: input.progress,
    uploadedOn: uploadedBefore(input.progress.markers()),
    report: input.report,
    setRedact: input.setRedact,
  };
}
