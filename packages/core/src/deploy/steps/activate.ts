import { FediError, type FediIssue } from "../../errors.js";
import { shellQuote } from "../../machine/index.js";
import { type PlannedMachine, type PlannedSecretFile, SECRET_DIRS } from "../../plan/types.js";
import type { ApplyContext, ApplyStepDefinition, UploadedFiles } from "./context.js";

/** The unit that installs the secret file `name` on its machine (`nix/fediversity-secrets.nix`). */
export function secretInstallerUnit(name: string): string {
  return `fediversity-secret-${name}.service`;
}

/** The unit that removes installed secret files no longer declared (`nix/fediversity-secrets.nix`). */
export const SECRETS_CLEANUP_UNIT = "fediversity-secrets.service";

/** The units to restart on a machine after some of its secret files changed (see {@link unitsToRestart}). */
export interface RestartSet {
  /** Oneshot units run again (`systemctl restart`, whether or not they ran before), sorted. */
  rerun: string[];
  /** Long-running units restarted when they are running (a stopped unit stays stopped), sorted; none is in `rerun`. */
  restart: string[];
}

/** The machine's secret files among `files` (`"all"`: every file of the machine), in the plan's order. */
export function changedSecretFiles(machine: PlannedMachine, files: UploadedFiles): PlannedSecretFile[] {
  return machine.secretFiles.filter((f) => files === "all" || files.includes(f.name));
}

/**
 * The units to restart after the secret files `files` of a machine were installed: the `rerunUnits` and the
 * `restartUnits` of each of them, each unit once. Units of the machine's other files are not touched.
 */
export function unitsToRestart(machine: PlannedMachine, files: UploadedFiles): RestartSet {
  const changed = changedSecretFiles(machine, files);
  const rerun = new Set(changed.flatMap((f) => f.rerunUnits));
  const restart = new Set(changed.flatMap((f) => f.restartUnits).filter((u) => !rerun.has(u)));
  return { rerun: [...rerun].sort(), restart: [...restart].sort() };
}

/**
 * The shell command that restarts a {@link RestartSet}, or `undefined` when it is empty. One `systemctl restart`
 * takes the rerun units and those of the long-running units that are active (asked with `systemctl is-active`), so
 * that systemd orders them in one go (a setup unit the restarted units are `After=` runs first, and once, even when
 * they also `Requires=` it). Unit names are shell-quoted.
 */
export function restartCommand(set: RestartSet): string | undefined {
  if (set.rerun.length === 0 && set.restart.length === 0) return undefined;
  const rerun = set.rerun.map(shellQuote).join(" ");
  if (set.restart.length === 0) return `systemctl restart ${rerun}`;
  const active = `set --; for u in ${set.restart.map(shellQuote).join(" ")}; do if systemctl is-active "$u" >/dev/null; then set -- "$@" "$u"; fi; done`;
  return set.rerun.length > 0
    ? `${active}; systemctl restart ${rerun} "$@"`
    : `${active}; if [ "$#" -gt 0 ]; then systemctl restart "$@"; fi`;
}

/** What activating one machine's changed secret files did. */
export interface MachineActivation {
  /** Files whose installer unit succeeded, sorted. */
  installed: string[];
  /** Problems: a file that did not install (its units were not restarted), the cleanup, or the restart. */
  issues: FediIssue[];
  /** The units restarted (or asked to be, when running). */
  units: RestartSet;
}

/**
 * Activates the changed secret files of one machine: restarts each file's installer unit on its own (a file that
 * fails does not stop the others), then the cleanup unit, then — for the files that installed — the units that keep
 * what they read ({@link unitsToRestart}). Failures become issues; nothing is thrown for them.
 */
export async function activateMachine(
  ctx: Pick<ApplyContext, "pool" | "targets" | "signal">,
  machine: PlannedMachine,
  files: UploadedFiles,
): Promise<MachineActivation> {
  const target = ctx.targets.get(machine.name)!;
  const opts = { idempotent: true, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const run = (command: string) => ctx.pool.exec(target, command, opts);
  const issues: FediIssue[] = [];
  const installed: string[] = [];
  const failed: Array<{ file: PlannedSecretFile; unit: string; stderr: string }> = [];
  for (const f of changedSecretFiles(machine, files)) {
    const unit = secretInstallerUnit(f.name);
    const r = await run(`systemctl restart ${shellQuote(unit)}`);
    if (r.code === 0) installed.push(f.name);
    else failed.push({ file: f, unit, stderr: r.stderr });
  }
  const units = unitsToRestart(machine, installed);
  const restarted = new Set([...units.rerun, ...units.restart]);
  for (const { file: f, unit, stderr } of failed) {
    const readers = [...new Set([...f.rerunUnits, ...f.restartUnits])].filter((u) => !restarted.has(u)).sort();
    issues.push({
      path: `machines.${machine.name}.secretFiles.${f.name}`,
      message: `${unit} failed${firstLine(stderr)}; ${readers.length ? `not restarted: ${readers.join(", ")}` : "no unit is restarted for it"}`,
      hint: `See \`journalctl -u ${unit}\` on ${machine.name}: the uploaded file must be in ${SECRET_DIRS.upload} and its owner '${f.owner}' must exist there.`,
    });
  }
  const cleanup = await run(`systemctl restart ${SECRETS_CLEANUP_UNIT}`);
  if (cleanup.code !== 0) {
    issues.push({
      path: `machines.${machine.name}`,
      message: `${SECRETS_CLEANUP_UNIT} (removes secret files no longer declared) failed${firstLine(cleanup.stderr)}`,
      hint: `See \`journalctl -u ${SECRETS_CLEANUP_UNIT}\` on ${machine.name}.`,
    });
  }
  const command = restartCommand(units);
  if (command !== undefined) {
    const r = await run(command);
    if (r.code !== 0) {
      issues.push({
        path: `machines.${machine.name}`,
        message: `restarting ${[...units.rerun, ...units.restart].join(", ")} failed${firstLine(r.stderr)}`,
        hint: `See \`systemctl --failed\` and \`journalctl -xe\` on ${machine.name}.`,
      });
    }
  }
  return { installed: installed.sort(), issues, units };
}

/** `: <first line of stderr>`, or nothing when it is empty. */
function firstLine(stderr: string): string {
  const line = stderr.split("\n").find((l) => l.trim() !== "");
  return line ? `: ${line.trim().slice(0, 300)}` : "";
}

/**
 * `activate`: on every machine whose secret files changed (in this run, or in an earlier run of the same plan),
 * reinstalls each changed file with its own installer unit and restarts exactly the units that keep what those files
 * hold (see {@link activateMachine}), after NixOps4 switched the machines. Every machine is handled; problems of all
 * of them end in one `SECRET_ACTIVATION_FAILED`. Skipped when no secret file changed.
 */
export const activateStep: ApplyStepDefinition = {
  name: "activate",
  description: "reinstall changed secret files and restart the units that read them",
  resumable: true,
  async run(ctx) {
    if (ctx.uploadedOn.size === 0) return undefined;
    const issues: FediIssue[] = [];
    for (const [name, files] of ctx.uploadedOn) {
      const m = ctx.plan.machines.find((x) => x.name === name);
      if (!m) continue;
      const r = await activateMachine(ctx, m, files);
      issues.push(...r.issues);
    }
    if (issues.length > 0) {
      throw new FediError(
        "SECRET_ACTIVATION_FAILED",
        `Secret files could not all be activated:\n${issues.map((i) => `- ${i.path}: ${i.message}`).join("\n")}`,
        {
          hint: "Fix what the issues name on the machine and run `fedi apply` again: it reinstalls the files of these machines.",
          issues,
        },
      );
    }
    return `secrets reinstalled on ${ctx.uploadedOn.size} machine(s)`;
  },
};
