import { FediError, isFediError } from "../errors.js";
import { FediEvents } from "../events.js";
import { MachinePool, preflight, type RetryOptions, type SshTarget, shellQuote } from "../machine/index.js";
import { sleep } from "../machine/retry.js";
import { NixOps4Driver, prepareDeploymentRepo } from "../nixops4/index.js";
import { hashOf } from "../plan/allocate.js";
import { diffAgainstState } from "../plan/diff.js";
import { machineFacts } from "../plan/plan.js";
import type { Plan, PlannedMachine } from "../plan/types.js";
import type { PluginRegistry } from "../plugin/registry.js";
import type { HealthCheck, StorageNode, StorageRuntimeInput } from "../plugin/types.js";
import { deploymentFiles, memberPath } from "../render/deployment-files.js";
import { readMachineImports } from "../render/machine-imports.js";
import { writeDeploymentDir } from "../render/write.js";
import { ensureSecrets, redactor, type SecretStore } from "../secrets/index.js";
import { stateFromPlan } from "../state/from-plan.js";
import type { StateStore } from "../state/store.js";
import type { DeploymentState } from "../state/types.js";
import { ownValue } from "../util/own.js";
import { type CheckResult, runHealthCheck } from "./health-checks.js";
import { syncSecretFiles } from "./secret-files.js";
import { type SshAuthOptions, sshTarget } from "./targets.js";

/** Steps of {@link Deployer.apply}, in order. */
export const APPLY_STEPS = [
  "render",
  "secrets",
  "preflight",
  "upload",
  "storage-nodes",
  "storage",
  "nixops4",
  "activate",
  "verify",
] as const;
/** A step of {@link Deployer.apply}. */
export type ApplyStep = (typeof APPLY_STEPS)[number];

/** Options of {@link Deployer}. */
export interface DeployerOptions {
  /** Plugins (the storage plugin's runtime operations provision buckets and keys). */
  registry: PluginRegistry;
  /** Where the deployment directory is written (a git repository NixOps4 reads). */
  deployDir: string;
  /** Folder that relative paths in the spec (`machines[].nixosImports`) start from. Default: the working directory. */
  configDir?: string;
  /** The state folder. */
  state: StateStore;
  /** Where secret values live. */
  secrets: SecretStore;
  /** NixOps4: binary (default `nixops4` on PATH) and extra environment. */
  nixops4?: { binary?: string; env?: Record<string, string | undefined> };
  /** SSH: authentication, concurrency (default 8), retries, connect timeout. */
  ssh?: SshAuthOptions & { concurrency?: number; retry?: RetryOptions; connectTimeoutMs?: number };
  /** Verification after apply: failing checks are retried every `intervalMs` (5 s) until `timeoutMs` (120 s). */
  verify?: { timeoutMs?: number; intervalMs?: number };
  /** Another event stream that should see every (redacted) event, e.g. the CLI's. */
  events?: FediEvents;
}

/** Options of {@link Deployer.apply}. */
export interface ApplyOptions {
  /** Apply every machine, not only those whose configuration changed. */
  all?: boolean;
  /** Cancels the run; nothing is left half-written. */
  signal?: AbortSignal;
  /** Asked when the plan removes or moves instances; returning false cancels before anything is changed. */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
}

/** Outcome of one step. */
export interface StepReport {
  /** The step. */
  step: ApplyStep;
  /** `done`, `skipped` (nothing to do, or finished by an earlier run), or `failed`. */
  status: "done" | "skipped" | "failed";
  /** For people. */
  summary: string;
  /** Duration. */
  durationMs: number;
}

/** What {@link Deployer.apply} did. */
export interface ApplyReport {
  /** Nothing needed doing. */
  upToDate: boolean;
  /** Steps in order. */
  steps: StepReport[];
  /** NixOps4 member paths applied. */
  applied: string[];
  /** Health check results. */
  checks: CheckResult[];
  /** Total duration. */
  durationMs: number;
}

/** What {@link Deployer.status} found. */
export interface StatusReport {
  /** Per machine: reachable and facts, or the problem. */
  machines: Array<{ machine: string; reachable: boolean; facts?: Record<string, unknown>; problem?: string }>;
  /** Health checks of every instance and storage node. */
  checks: CheckResult[];
}

/**
 * Applies plans to machines: renders the deployment, generates secrets, checks the machines, provisions storage,
 * uploads secret files, runs NixOps4 for the machines whose configuration changed, and verifies the result — then
 * records the new state. Every step reports typed events on {@link Deployer.events}, with secret values redacted.
 * A failed or cancelled run records the steps it finished, so the next run continues where it stopped.
 */
export class Deployer {
  /** Events of every run (listen with `deployer.events.on("event", ...)`). */
  readonly events: FediEvents;
  readonly #options: DeployerOptions;
  #redact: (text: string) => string = (t) => t;

  constructor(options: DeployerOptions) {
    this.#options = options;
    this.events = new FediEvents((t) => this.#redact(t));
    // An outside stream sees the same (already redacted) events.
    const outside = options.events;
    if (outside) this.events.on("event", (e) => outside.emit("event", e));
  }

  /**
   * Applies a plan made by `createPlan` against the current state.
   * @throws FediError: `PREFLIGHT_FAILED`, `STORAGE_*`, `SSH_*`, `NIXOPS4_*`, `VERIFY_FAILED`, `CANCELLED`, ...
   */
  async apply(plan: Plan, options: ApplyOptions = {}): Promise<ApplyReport> {
    const started = Date.now();
    const { signal } = options;
    const o = this.#options;
    this.events.report("run.start", { command: "apply", deployment: plan.deployment.name });
    const report: ApplyReport = { upToDate: false, steps: [], applied: [], checks: [], durationMs: 0 };
    const pool = new MachinePool({
      concurrency: o.ssh?.concurrency ?? 8,
      ...(o.ssh?.retry ? { retry: o.ssh.retry } : {}),
      ...(o.ssh?.connectTimeoutMs ? { connectTimeoutMs: o.ssh.connectTimeoutMs } : {}),
      onEvent: (e) => {
        if (e.type === "retrying")
          this.events.report(
            "log",
            { message: `retrying ${e.operation} on ${e.machine} (attempt ${e.attempt})` },
            { level: "warn", machine: e.machine },
          );
      },
    });
    // The lock names this run to another that finds it taken.
    const lockOptions = { command: `apply ${plan.deployment.name}` };
    try {
      await o.state.withLock(async () => {
        const prev = await o.state.read(plan.deployment.name);
        const current: Plan = { ...plan, diff: diffAgainstState(plan, prev) };
        const planHash = hashOf({ ...plan, diff: null });
        const done = new Set(prev.progress?.planHash === planHash ? prev.progress.completed : []);
        if (current.diff.upToDate && !options.all && done.size === 0) {
          report.upToDate = true;
          return;
        }
        if (
          (current.diff.removed.length > 0 || current.diff.moved.length > 0) &&
          options.confirm &&
          !(await options.confirm(current))
        ) {
          throw new FediError("CANCELLED", "Nothing was changed: the removals and moves were not confirmed.", {
            hint: "Re-run and confirm, or pass --yes.",
          });
        }
        const progress: DeploymentState = {
          ...prev,
          progress: { planHash, completed: [...done], startedAt: prev.progress?.startedAt ?? new Date().toISOString() },
        };
        const targets = new Map(current.machines.map((m) => [m.name, sshTarget(m, o.ssh)]));
        // Machines whose secret files changed, with the files; a run that resumes after the upload step knows only
        // the machines (recorded as `uploaded:<machine>` in the progress) and reinstalls all their files.
        const uploadedOn = new Map<string, string[] | "all">(
          [...done].filter((d) => d.startsWith("uploaded:")).map((d) => [d.slice("uploaded:".length), "all"]),
        );
        // Records a finished step (or an `uploaded:<machine>` marker) so that a later run of the same plan resumes.
        // Writes are chained, each taking the latest set, so parallel uploads cannot overwrite a newer record.
        let recorded = Promise.resolve();
        const record = (marker: string): Promise<void> => {
          done.add(marker);
          recorded = recorded.then(() => {
            progress.progress = { ...progress.progress!, completed: [...done] };
            return o.state.write(progress);
          });
          return recorded;
        };
        const step = async (name: ApplyStep, fn: () => Promise<string | undefined>, resumable = true) => {
          if (signal?.aborted) throw cancelled();
          if (resumable && done.has(name)) {
            report.steps.push({ step: name, status: "skipped", summary: "finished by an earlier run", durationMs: 0 });
            return;
          }
          const t0 = Date.now();
          this.events.report("step.start", { step: name, description: STEP_DESCRIPTIONS[name] });
          try {
            const summary = await fn();
            const durationMs = Date.now() - t0;
            report.steps.push({
              step: name,
              status: summary === undefined ? "skipped" : "done",
              summary: summary ?? "nothing to do",
              durationMs,
            });
            this.events.report("step.end", {
              step: name,
              ok: true,
              durationMs,
              skipped: summary === undefined,
              summary: summary ?? "nothing to do",
            });
            if (resumable) await record(name);
          } catch (error) {
            const durationMs = Date.now() - t0;
            const message = isFediError(error) ? error.message : String(error);
            report.steps.push({ step: name, status: "failed", summary: message, durationMs });
            this.events.report("step.end", { step: name, ok: false, durationMs, summary: message }, { level: "error" });
            throw error;
          }
        };

        // Storage nodes first: the storage runtime needs them running before it can create buckets and keys.
        const toApply = options.all ? current.machines.map((m) => m.name) : current.diff.machinesChanged;
        const storageNodes = new Set(current.storage.nodes.map((n) => n.machine));
        const driver = new NixOps4Driver({
          cwd: o.deployDir,
          ...(o.nixops4?.binary ? { binary: o.nixops4.binary } : {}),
          ...(o.nixops4?.env ? { env: o.nixops4.env } : {}),
          hosts: Object.fromEntries(current.machines.map((m) => [m.name, m.host])),
          redact: (t) => this.#redact(t),
          onLine: (line) =>
            this.events.report(
              "nixops4.line",
              { stream: line.stream, text: line.text },
              { level: "debug", ...(line.machine ? { machine: line.machine } : {}) },
            ),
        });
        const runNixOps4 = async (machines: string[]) => {
          if (machines.length === 0) return undefined;
          const members = machines.map(memberPath);
          report.applied.push(...members);
          const r = await driver.apply({ members, showTrace: true, ...(signal ? { signal } : {}) });
          return `${machines.length} machine(s) switched in ${Math.round(r.durationMs / 1000)} s`;
        };

        await step(
          "render",
          async () => {
            const files = deploymentFiles(current);
            for (const [path, text] of await readMachineImports(current, o.configDir ?? process.cwd()))
              files.set(path, text);
            const written = await writeDeploymentDir(o.deployDir, files);
            this.events.report("render.written", { dir: o.deployDir, ...written });
            const repo = await prepareDeploymentRepo(o.deployDir, {
              message: `fedi apply: ${current.deployment.name}`,
            });
            return `${written.written.length} file(s) written, ${written.removed.length} removed; commit ${repo.commit.slice(0, 12)}`;
          },
          false,
        );

        await step(
          "secrets",
          async () => {
            const r = await ensureSecrets(o.secrets, current.secrets);
            for (const name of r.created) this.events.report("secret.generated", { name });
            this.#redact = await redactor(o.secrets);
            return `${r.created.length} generated, ${r.kept.length} kept`;
          },
          false,
        );

        await step(
          "preflight",
          async () => {
            const machines = current.machines.map((m) => ({
              target: targets.get(m.name)!,
              expect: expectations(m, current),
            }));
            // NixOps4 missing: stop before anything on the machines changes
            if (toApply.length > 0 && !(done.has("storage-nodes") && done.has("nixops4"))) await driver.locate();
            let checked = 0;
            const r = await preflight(pool, machines, {
              ...(signal ? { signal } : {}),
              onMachine: (machine, facts) => {
                checked += 1;
                this.events.report(
                  "step.progress",
                  { step: "preflight", done: checked, total: current.machines.length, message: machine },
                  { machine },
                );
                if (facts)
                  this.events.report(
                    "preflight.facts",
                    {
                      system: facts.system,
                      memoryMiB: facts.memoryMiB,
                      freeDiskGiB: facts.freeDiskGiB,
                      isNixOS: facts.isNixOS,
                    },
                    { machine },
                  );
              },
            });
            for (const p of r.problems) {
              this.events.report(
                "preflight.problem",
                { check: p.check, expected: p.expected, actual: p.actual, hint: p.hint },
                { level: "error", machine: p.machine },
              );
            }
            if (!r.ok) {
              throw new FediError(
                "PREFLIGHT_FAILED",
                `${r.problems.length} problem(s) on ${new Set(r.problems.map((p) => p.machine)).size} machine(s); nothing was changed.`,
                {
                  issues: r.problems.map((p) => ({
                    path: `machines.${p.machine}`,
                    message: `${p.check}: expected ${p.expected}, found ${p.actual}. ${p.hint}`,
                    code: p.code ?? p.check,
                  })),
                  hint: "Fix every problem listed, then run apply again.",
                },
              );
            }
            return `${current.machines.length} machine(s) ready`;
          },
          false,
        );

        await step("upload", async () => {
          let synced = 0;
          const results = await Promise.all(
            current.machines.map(async (m) => {
              const r = await syncSecretFiles(pool, targets.get(m.name)!, m, o.secrets, {
                ...(signal ? { signal } : {}),
                onUpload: (file, path) => this.events.report("secret.uploaded", { file, path }, { machine: m.name }),
              });
              if (r.uploaded.length > 0 || r.removed.length > 0) {
                uploadedOn.set(m.name, r.uploaded);
                await record(`uploaded:${m.name}`); // kept even if another machine's upload fails
              }
              synced += 1;
              this.events.report(
                "step.progress",
                { step: "upload", done: synced, total: current.machines.length, message: m.name },
                { machine: m.name },
              );
              return r;
            }),
          );
          const up = results.reduce((n, r) => n + r.uploaded.length, 0);
          const rm = results.reduce((n, r) => n + r.removed.length, 0);
          return up + rm === 0 ? undefined : `${up} file(s) uploaded, ${rm} removed`;
        });

        await step("storage-nodes", () => runNixOps4(toApply.filter((m) => storageNodes.has(m))));

        await step("storage", async () => {
          const storage = o.registry.storage(current.storage.kind);
          if (!storage?.runtime) return undefined;
          const steps = await storage.runtime.provision(await this.#storageInput(current, pool, signal));
          for (const s of steps) this.events.report("storage.step", s);
          return steps.map((s) => s.summary).join("; ") || "storage up to date";
        });

        await step("nixops4", () => runNixOps4(toApply.filter((m) => !storageNodes.has(m))));

        await step("activate", async () => {
          if (uploadedOn.size === 0) return undefined;
          for (const [name, files] of uploadedOn) {
            const m = current.machines.find((x) => x.name === name);
            if (!m) continue;
            const units = [
              ...new Set(
                m.secretFiles.filter((f) => files === "all" || files.includes(f.name)).flatMap((f) => f.neededBy),
              ),
            ].sort();
            const command = [
              "systemctl restart fediversity-secrets.service",
              ...(units.length ? [`systemctl try-restart ${units.map(shellQuote).join(" ")}`] : []),
            ].join(" && ");
            await pool.execChecked(targets.get(name)!, command, { idempotent: true, ...(signal ? { signal } : {}) });
          }
          return `secrets reinstalled on ${uploadedOn.size} machine(s)`;
        });

        await step("verify", async () => {
          report.checks = await this.#verify(current, pool, targets, signal, undefined, true, true);
          const failed = report.checks.filter((c) => !c.ok);
          if (failed.length > 0) {
            throw new FediError(
              "VERIFY_FAILED",
              `${failed.length} of ${report.checks.length} check(s) failed after apply.`,
              {
                issues: failed.map((c) => ({ path: `${c.machine}/${c.owner}`, message: `${c.check}: ${c.detail}` })),
                hint: "Look at the failing units with `journalctl -u <unit>` on the machine; re-run apply to verify again.",
              },
            );
          }
          return `${report.checks.length} check(s) passed`;
        });

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
      const checks = await this.#verify(plan, pool, targets, options.signal, reachable, false);
      return { machines, checks };
    } finally {
      await pool.closeAll();
    }
  }

  async #verify(
    plan: Plan,
    pool: MachinePool,
    targets: Map<string, SshTarget>,
    signal: AbortSignal | undefined,
    only?: Set<string>,
    withStorage = true,
    wait = false,
  ): Promise<CheckResult[]> {
    const checks: Array<{ machine: string; owner: string; check: HealthCheck }> = [];
    for (const inst of plan.instances) {
      if (only && !only.has(inst.machine)) continue;
      for (const check of inst.checks) checks.push({ machine: inst.machine, owner: inst.name, check });
    }
    for (const { machine, check } of plan.storage.checks) {
      if (!only || only.has(machine)) checks.push({ machine, owner: "storage", check });
    }
    // Services need a moment after a switch: a failing check is tried again until the deadline (apply only).
    const { timeoutMs, intervalMs } = { timeoutMs: 0, intervalMs: 5_000, ...(wait ? this.#options.verify : {}) };
    const deadline = Date.now() + (wait ? timeoutMs || 120_000 : 0);
    const runOne = async (c: (typeof checks)[number]): Promise<CheckResult> => {
      for (;;) {
        const r = await runHealthCheck(pool, targets.get(c.machine)!, c.owner, c.check, signal ? { signal } : {});
        if (r.ok || Date.now() + intervalMs > deadline || signal?.aborted) return r;
        await sleep(intervalMs, signal);
      }
    };
    const results = await Promise.all(checks.map(runOne));
    const storage = this.#options.registry.storage(plan.storage.kind);
    if (withStorage && storage?.runtime && plan.buckets.length > 0) {
      const verified = await storage.runtime.verify(await this.#storageInput(plan, pool, signal));
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
      this.events.report(
        "verify.check",
        { check: r.check, ok: r.ok, detail: r.detail },
        { level: r.ok ? "info" : "error", machine: r.machine, ...(r.owner !== "storage" ? { service: r.owner } : {}) },
      );
    return results;
  }

  async #storageInput(plan: Plan, pool: MachinePool, signal: AbortSignal | undefined): Promise<StorageRuntimeInput> {
    const o = this.#options;
    const byName = new Map(plan.machines.map((m) => [m.name, m]));
    const nodes: StorageNode[] = plan.storage.nodes.map((n) => ({
      machine: machineFacts(byName.get(n.machine)!),
      zone: n.zone,
      capacityBytes: n.capacityBytes,
    }));
    const read = async (name: string) => {
      const value = await o.secrets.get(name);
      if (value === undefined)
        throw new FediError("SECRET_FAILED", `Secret '${name}' is missing from the secret store.`, {
          hint: "Run apply again: it generates missing secrets.",
        });
      return value;
    };
    const keys = new Map(plan.keys.map((k) => [k.name, k]));
    const buckets = await Promise.all(
      plan.buckets.map(async (b) => {
        const key = keys.get(b.key)!;
        return {
          name: b.name,
          public: b.public,
          ...(b.cors ? { cors: b.cors } : {}),
          ...(b.quotas ? { quotas: b.quotas } : {}),
          key: {
            name: key.name,
            accessKeyId: await read(key.accessKeyIdSecret),
            secretAccessKey: await read(key.secretKeySecret),
          },
        };
      }),
    );
    return {
      options: plan.storage.options,
      nodes,
      buckets,
      secret: (id) => read(`storage.${id}`),
      tunnel: async (node, port) => {
        const target = sshTarget(byName.get(node)!, o.ssh);
        const t = await pool.openTunnel(target, { remotePort: port });
        return { url: `http://127.0.0.1:${t.localPort}`, close: () => t.close() };
      },
      progress: (message) => this.events.report("log", { message }),
      ...(signal ? { signal } : {}),
    };
  }
}

const STEP_DESCRIPTIONS: Record<ApplyStep, string> = {
  render: "write the deployment directory and commit it",
  secrets: "generate missing secrets",
  preflight: "check every machine over SSH",
  "storage-nodes": "apply the storage nodes' NixOS configurations with NixOps4",
  storage: "provision storage: layout, buckets, keys, website access, CORS",
  upload: "upload secret files",
  nixops4: "apply the other machines' NixOS configurations with NixOps4",
  activate: "reinstall changed secret files and restart the units that read them",
  verify: "verify units, HTTP endpoints and S3",
};

/** What preflight expects of a machine: its system, the memory the plan uses, and free disk for new instances. */
function expectations(m: PlannedMachine, plan: Plan): { system: string; memoryMiB: number; diskGiB: number } {
  const fresh = new Set([...plan.diff.added, ...plan.diff.moved.map((x) => x.instance)]);
  const disk = plan.instances
    .filter((i) => i.machine === m.name && fresh.has(i.name))
    .reduce((s, i) => s + i.requirements.diskGiB, 0);
  return { system: m.system, memoryMiB: m.used.memoryMiB, diskGiB: Math.max(1, disk) };
}

function cancelled(): FediError {
  return new FediError("CANCELLED", "The run was cancelled; finished steps are recorded and the next run continues.", {
    hint: "Run apply again to continue.",
  });
}
