import { EXIT } from "../terminal/global-options.js";
import { CONFIG_OPTION, deployerFor, planFromFlags, STATE_OPTION } from "./shared.js";
import type { Command } from "./types.js";

/** `fedi status`: facts and health of every machine and instance, read from the machines. */
export const statusCommand: Command = {
  name: "status",
  summary: "show facts and health of every machine and instance, from the machines themselves",
  usage: "fedi status [--config FILE] [--state DIR] [--json]",
  description: [
    "Connects to every machine of the plan over SSH (pinned host keys), reads its facts (NixOS, nix, system,",
    "memory, free disk, systemd) and runs the health checks of its instances and storage node (units, HTTP).",
    "Changes nothing. Exits 1 when a machine is unreachable or a check fails.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    state: STATE_OPTION,
    json: { type: "boolean", description: "print the status as JSON on stdout" },
  },
  examples: [{ command: "fedi status", description: "health of the nearest deployment" }],
  async run(ctx) {
    const planned = await planFromFlags(ctx);
    const { plan } = planned;
    const deployer = deployerFor(ctx, planned);
    const status = await deployer.status(plan);
    const ok = status.machines.every((m) => m.reachable) && status.checks.every((c) => c.ok);
    if (ctx.flags.json === true) {
      ctx.io.stdout.write(
        `${JSON.stringify({ outputVersion: 1, deployment: plan.deployment.name, ok, ...status }, null, 2)}\n`,
      );
    } else {
      const lines: string[] = [];
      for (const m of status.machines) {
        const facts = m.facts as
          | { system?: string; memoryMiB?: number; freeDiskGiB?: number; systemd?: string }
          | undefined;
        lines.push(
          m.reachable
            ? `${ctx.out.green("●")} ${ctx.out.bold(m.machine)}  ${facts?.system} · ${facts?.memoryMiB} MiB · ${facts?.freeDiskGiB} GiB free · systemd ${facts?.systemd}`
            : `${ctx.out.red("●")} ${ctx.out.bold(m.machine)}  unreachable: ${m.problem}`,
        );
        for (const c of status.checks.filter((x) => x.machine === m.machine)) {
          lines.push(`    ${c.ok ? ctx.out.green("✓") : ctx.out.red("✗")} ${c.owner}: ${c.check} — ${c.detail}`);
        }
      }
      ctx.io.stdout.write(`${lines.join("\n")}\n`);
    }
    return ok ? EXIT.ok : EXIT.failure;
  },
};
