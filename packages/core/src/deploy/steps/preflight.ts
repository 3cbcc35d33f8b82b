import { FediError } from "../../errors.js";
import { type FactExpectations, LOCAL_MACHINE, preflight } from "../../machine/index.js";
import type { Plan, PlannedMachine } from "../../plan/types.js";
import type { ApplyContext, ApplyStepDefinition } from "./context.js";
import { sentence } from "./words.js";

/**
 * `preflight`, the first step: the cheap checks, before anything is written, committed or generated. NixOps4 must be
 * found (when this run switches machines), and every machine must answer over SSH with its pinned host key and
 * provide what the plan needs; the problems of all machines are reported together.
 * @throws FediError `NIXOPS4_NOT_FOUND`, `PREFLIGHT_FAILED`, `CANCELLED`.
 */
export const preflightStep: ApplyStepDefinition = {
  name: "preflight",
  description: "check that NixOps4 is installed and every machine over SSH",
  resumable: false,
  async run(ctx) {
    const { plan, signal } = ctx;
    const switching = needsNixOps4(ctx);
    if (switching) await ctx.driver.locate();
    const o = ctx.options;
    const localTools =
      switching && o.localTools !== false
        ? { env: { ...process.env, ...ctx.nixops4Env }, ...(o.localTools ?? {}) }
        : false;
    const machines = plan.machines.map((m) => ({ target: ctx.targets.get(m.name)!, expect: expectations(m, plan) }));
    let checked = 0;
    const r = await preflight(ctx.pool, machines, {
      ...(signal ? { signal } : {}),
      localTools,
      onMachine: (machine, facts) => {
        checked += 1;
        ctx.events.report(
          "step.progress",
          { step: "preflight", done: checked, total: plan.machines.length, message: machine },
          { machine },
        );
        if (facts)
          ctx.events.report(
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
      ctx.events.report(
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
            path: p.machine === LOCAL_MACHINE ? "(this computer)" : `machines.${p.machine}`,
            message: `${p.check}: expected ${p.expected}, found ${sentence(p.actual)} ${sentence(p.hint)}`,
            code: p.code ?? p.check,
          })),
          hint: "Fix every problem listed, then run `fedi apply` again.",
        },
      );
    }
    return `${plan.machines.length} machine(s) ready`;
  },
};

/**
 * Whether preflight must find NixOps4: when this run switches machines, unless an earlier run of the same plan
 * already finished both switching steps.
 */
export function needsNixOps4(ctx: Pick<ApplyContext, "toApply" | "progress">): boolean {
  return ctx.toApply.length > 0 && !(ctx.progress.has("storage-nodes") && ctx.progress.has("nixops4"));
}

/**
 * What preflight expects of a machine: its system, the memory the plan uses, free disk for new instances, the deploy
 * user (a non-root one must have passwordless sudo and be trusted by the machine's Nix daemon) and — for a machine
 * the SDK has not switched yet — the spec's `stateVersion`, which must equal the one the machine has now (after the
 * first switch the machine runs the SDK's configuration, which sets it).
 */
export function expectations(m: PlannedMachine, plan: Plan): FactExpectations {
  const fresh = new Set([...plan.diff.added, ...plan.diff.moved.map((x) => x.instance)]);
  const disk = plan.instances
    .filter((i) => i.machine === m.name && fresh.has(i.name))
    .reduce((s, i) => s + i.requirements.diskGiB, 0);
  return {
    system: m.system,
    memoryMiB: m.used.memoryMiB,
    diskGiB: Math.max(1, disk),
    user: m.ssh.user,
    ...(plan.diff.machinesAdded.includes(m.name) ? { stateVersion: m.base.stateVersion } : {}),
  };
}
