import { shellQuote } from "../../machine/index.js";
import type { PlannedMachine } from "../../plan/types.js";
import type { ApplyStepDefinition, UploadedFiles } from "./context.js";

/**
 * The units to restart on a machine after its secret files `files` were uploaded: every unit that needs one of
 * them (`"all"`: any of the machine's files), each once, sorted.
 */
export function unitsToRestart(machine: PlannedMachine, files: UploadedFiles): string[] {
  const changed = machine.secretFiles.filter((f) => files === "all" || files.includes(f.name));
  return [...new Set(changed.flatMap((f) => f.neededBy))].sort();
}

/**
 * The shell command that reinstalls a machine's uploaded secret files (the installer unit of the secrets module) and
 * restarts the units that read them (`try-restart`: a unit that is not running stays stopped). Unit names are
 * shell-quoted.
 */
export function activationCommand(machine: PlannedMachine, files: UploadedFiles): string {
  const units = unitsToRestart(machine, files);
  return [
    "systemctl restart fediversity-secrets.service",
    ...(units.length ? [`systemctl try-restart ${units.map(shellQuote).join(" ")}`] : []),
  ].join(" && ");
}

/**
 * `activate`: on every machine whose secret files changed (in this run, or in an earlier run of the same plan),
 * reinstalls them and restarts the units that read them, after NixOps4 switched the machines. Skipped when no
 * secret file changed.
 */
export const activateStep: ApplyStepDefinition = {
  name: "activate",
  description: "reinstall changed secret files and restart the units that read them",
  resumable: true,
  async run(ctx) {
    if (ctx.uploadedOn.size === 0) return undefined;
    for (const [name, files] of ctx.uploadedOn) {
      const m = ctx.plan.machines.find((x) => x.name === name);
      if (!m) continue;
      await ctx.pool.execChecked(ctx.targets.get(name)!, activationCommand(m, files), {
        idempotent: true,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      });
    }
    return `secrets reinstalled on ${ctx.uploadedOn.size} machine(s)`;
  },
};
