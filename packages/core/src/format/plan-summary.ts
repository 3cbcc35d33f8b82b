import type { Plan, PlannedMachine } from "../plan/index.js";
import type { WriteReport } from "../render/index.js";
import type { DeploymentState } from "../state/index.js";
import { plainStyle, type TextStyle } from "./style.js";
import { num, textTable as table } from "./table.js";

/** What the summary says about where things were read and written. */
export interface SummaryContext {
  /** The state the plan was made against. */
  state: DeploymentState;
  /** Path of the state file, for people. */
  stateFile: string;
  /** Path of the deployment directory and what was written there, when files were written. */
  written?: { dir: string; report: WriteReport };
}

function usage(used: number, total: number, unit: string, style: TextStyle): string {
  const text = `${num(used)}/${num(total)}${unit}`;
  return used > total ? style.red(text) : used / total >= 0.9 ? style.yellow(text) : text;
}

function machineLines(m: PlannedMachine, plan: Plan, style: TextStyle): string[] {
  const roles = m.storageNode ? `${m.roles.join("+")}, storage node` : m.roles.join("+");
  const head = `  ${style.bold(m.name)}  ${m.host}${m.zone ? `  zone ${m.zone}` : ""}  ${style.dim(`${m.system}, ${roles}`)}`;
  const resources = `    cpu ${usage(m.used.cpus, m.resources.cpus, "", style)}  memory ${usage(m.used.memoryMiB / 1024, m.resources.memoryMiB / 1024, " GiB", style)}  disk ${usage(m.used.diskGiB, m.resources.diskGiB, " GiB", style)}  ${style.dim("(used/total, with the OS reserve)")}`;
  const kinds = new Map(plan.instances.map((i) => [i.name, i.kind]));
  const instances = m.instances.length
    ? m.instances.map((name) => `${name} (${kinds.get(name) ?? "?"})`).join(", ")
    : style.dim(m.storageNode ? "none (storage only)" : "none");
  const lines = [head, resources, `    instances: ${instances}`];
  if (m.tcpPorts.length) lines.push(`    open ports: ${m.tcpPorts.join(", ")}`);
  if (m.secretFiles.length)
    lines.push(
      `    secret files: ${m.secretFiles.length} ${style.dim("(installed from the secrets below, never in the Nix store)")}`,
    );
  return lines;
}

/**
 * The readable summary of `fedi plan`: machines with their instances and resource use, instances, buckets, S3 keys,
 * secret names, the changes against the last apply (with what removals leave behind) and the files written.
 */
export function planSummary(plan: Plan, ctx: SummaryContext, style: TextStyle = plainStyle): string {
  const h = (text: string) => style.bold(text);
  const lines: string[] = [];
  const nodes = plan.storage.nodes;
  lines.push(
    `${h("Deployment")} ${style.cyan(plan.deployment.name)}: ${plan.machines.length} machine${plan.machines.length === 1 ? "" : "s"}, ${plan.instances.length} instance${plan.instances.length === 1 ? "" : "s"}, ${plan.storage.kind} storage on ${nodes.length} node${nodes.length === 1 ? "" : "s"}${plan.storage.exclusive ? " (dedicated)" : ""}`,
  );
  if (nodes.length) {
    lines.push(
      `  storage nodes: ${nodes.map((n) => `${n.machine} (zone ${n.zone}, ${num(n.capacityBytes / 1024 ** 3)} GiB)`).join(", ")}`,
    );
  }
  if (plan.deployment.acme)
    lines.push(`  ACME: ${plan.deployment.acme.email}${plan.deployment.acme.staging ? " (staging CA)" : ""}`);

  lines.push("", h("Machines"));
  for (const m of plan.machines) lines.push(...machineLines(m, plan, style));

  lines.push("", h("Instances"));
  if (plan.instances.length === 0) lines.push(style.dim("  none"));
  else {
    lines.push(
      ...table(
        plan.instances.map((i) => [
          style.bold(i.name),
          i.kind,
          `on ${i.machine}`,
          i.placement === "moved" && i.move ? style.yellow(`moved from ${i.move.from}`) : style.dim(i.placement),
          i.domains.join(", "),
        ]),
      ),
    );
  }

  lines.push("", h("Buckets"));
  if (plan.buckets.length === 0) lines.push(style.dim("  none"));
  else {
    lines.push(
      ...table(
        plan.buckets.map((b) => [
          style.bold(b.name),
          b.public ? "public" : "private",
          `of ${b.instance}`,
          `key ${b.key}`,
          b.publicUrl ?? "",
        ]),
      ),
    );
  }

  lines.push("", h("S3 keys"));
  if (plan.keys.length === 0) lines.push(style.dim("  none"));
  else
    lines.push(
      ...table(plan.keys.map((k) => [style.bold(k.name), `of ${k.instance}`, `buckets: ${k.buckets.join(", ")}`])),
    );

  lines.push("", `${h("Secrets")} ${style.dim("(names only; values are generated on apply and never shown)")}`);
  if (plan.secrets.length === 0) lines.push(style.dim("  none"));
  else {
    lines.push(
      ...table(
        plan.secrets.map((s) => [
          s.name,
          style.dim(s.generate.kind === "import" ? `import: ${s.generate.description}` : s.generate.kind),
        ]),
      ),
    );
  }

  lines.push(
    "",
    `${h("DNS records")} ${style.dim("(needed before ACME can issue certificates: fedi dns prints them as a zone file, fedi dns check resolves them)")}`,
  );
  lines.push(...dnsLines(plan, style));

  lines.push("", ...changeLines(plan, ctx, style));

  if (ctx.written) {
    const { dir, report } = ctx.written;
    lines.push(
      "",
      `${h("Deployment files")} in ${dir}: ${report.written.length} written, ${report.unchanged.length} unchanged${report.removed.length ? `, ${report.removed.length} removed` : ""}`,
    );
    for (const f of report.written) lines.push(`  ${style.green("written")}    ${f}`);
    for (const f of report.removed) lines.push(`  ${style.red("removed")}    ${f}`);
    if (report.unchanged.length) lines.push(style.dim(`  unchanged  ${report.unchanged.join(", ")}`));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The changes of a plan against the state it was made against (`plan.diff`), as the `Changes` section of
 * {@link planSummary}: instances added, changed, moved and removed (with what each removal leaves behind), machines
 * added, to apply and leaving, and the leftovers of earlier removals.
 */
export function planChanges(
  plan: Plan,
  ctx: Pick<SummaryContext, "state" | "stateFile">,
  style: TextStyle = plainStyle,
): string {
  return `${changeLines(plan, ctx, style).join("\n")}\n`;
}

/** The DNS records of a plan as a table: name, type, value, machine, who needs it. */
function dnsLines(plan: Plan, style: TextStyle): string[] {
  if (plan.dns.length === 0) return [style.dim("  none")];
  return table(
    plan.dns.map((r) => [
      style.bold(r.name),
      r.type,
      r.value,
      `→ ${r.machine}`,
      style.dim(`for ${r.neededBy.join(", ")}`),
    ]),
  );
}

function changeLines(plan: Plan, ctx: Pick<SummaryContext, "state" | "stateFile">, style: TextStyle): string[] {
  const d = plan.diff;
  const applied = ctx.state.appliedAt;
  const lines = [
    `${style.bold("Changes")} ${style.dim(applied ? `since the apply of ${applied} (${ctx.stateFile})` : `(nothing applied yet: ${ctx.stateFile} has no record)`)}`,
  ];
  if (d.upToDate) {
    lines.push(style.green("  Up to date: nothing to apply."));
    return lines;
  }
  const byName = new Map(plan.instances.map((i) => [i.name, i]));
  for (const name of d.added) {
    const i = byName.get(name);
    lines.push(`  ${style.green("+ add")}     ${style.bold(name)}${i ? ` (${i.kind}) on ${i.machine}` : ""}`);
  }
  for (const name of d.changed) {
    const i = byName.get(name);
    lines.push(`  ${style.yellow("~ change")}  ${style.bold(name)}${i ? ` (${i.kind}) on ${i.machine}` : ""}`);
  }
  for (const m of d.moved) {
    lines.push(`  ${style.yellow("> move")}    ${style.bold(m.instance)} from ${m.from} to ${m.to}: ${m.reason}`);
  }
  for (const r of d.removed) {
    lines.push(`  ${style.red("- remove")}  ${style.bold(r.instance)} (${r.kind}) from ${r.machine}; left behind:`);
    for (const l of r.leftovers) lines.push(`      ${style.dim("·")} ${l.note}`);
  }
  // Read defensively: a diff from an older plan.json has no storage changes.
  for (const c of d.storageChanges ?? []) {
    lines.push(`  ${style.yellow("! storage")} ${c.note}${c.leftovers?.length ? "; left behind:" : ""}`);
    for (const l of c.leftovers ?? []) lines.push(`      ${style.dim("·")} ${l.note}`);
  }
  if (d.machinesAdded.length) lines.push(`  new machines: ${d.machinesAdded.join(", ")}`);
  if (d.machinesChanged.length) lines.push(`  machines to apply: ${d.machinesChanged.join(", ")}`);
  if (d.machinesRemoved.length) {
    lines.push(
      `  machines leaving the deployment: ${d.machinesRemoved.join(", ")} ${style.dim("(NixOps4 forgets them; nothing is undone on them)")}`,
    );
  }
  if (ctx.state.leftovers.length) {
    lines.push(`  still left behind by earlier removals: ${ctx.state.leftovers.map((l) => l.name).join(", ")}`);
  }
  return lines;
}
