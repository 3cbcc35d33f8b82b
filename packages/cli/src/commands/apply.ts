import { FediError, type PlanDiff } from "@fediversity/core";
import { EXIT } from "../terminal/global-options.js";
import { formatDuration } from "../terminal/progress.js";
import {
  ADOPT_OPTION,
  ALLOW_MOVES_OPTION,
  ALLOW_STORAGE_CHANGES_OPTION,
  CONFIG_OPTION,
  deployerFor,
  OVERWRITE_EDITED_OPTION,
  planFromFlags,
  STATE_OPTION,
} from "./shared.js";
import type { Command } from "./types.js";

/** `fedi apply`: plans, then applies the plan to the machines and verifies it (see `Deployer.apply` in core). */
export const applyCommand: Command = {
  name: "apply",
  summary: "apply the plan to the machines with NixOps4 and verify the result",
  usage:
    "fedi apply [--config FILE] [--out DIR] [--state DIR] [--all] [--yes] [--allow-moves] [--allow-storage-changes] [--adopt NAMES] [--overwrite-edited] [--json]",
  description: [
    "Plans (as `fedi plan` does), then runs these steps: preflight (NixOps4 is installed; every machine answers over",
    "SSH — NixOS, nix, architecture, memory, disk, systemd; all problems at once), render (writes and commits the",
    "deployment directory), secrets (generates missing ones), upload (secret files, root-only, 0400), storage-nodes",
    "and nixops4 (`nixops4 apply` for the machines whose configuration changed, every machine with --all; storage",
    "nodes first), storage (cluster layout, buckets, keys, website access, CORS — through SSH tunnels), activate",
    "(reinstalls changed secrets, restarts their units) and verify (units, HTTP endpoints, an S3 round trip).",
    "Nothing is written or generated before preflight passes. The state is written at the end.",
    "",
    "When the plan removes or moves instances, apply asks first (or needs --yes without a terminal). When nothing",
    "changed, nothing runs. A failed or interrupted run (Ctrl-C) records the steps it finished; run apply again to",
    "continue. Secrets live in <state>/secrets (0600); NixOps4 is `nixops4` on PATH, or $FEDI_NIXOPS4.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    out: {
      type: "string",
      short: "o",
      valueName: "DIR",
      description: "deployment directory (default: deploy/ next to the config)",
    },
    state: STATE_OPTION,
    all: { type: "boolean", description: "apply every machine, not only those whose configuration changed" },
    yes: { type: "boolean", short: "y", description: "do not ask before removing or moving instances" },
    "allow-moves": ALLOW_MOVES_OPTION,
    "overwrite-edited": OVERWRITE_EDITED_OPTION,
    "allow-storage-changes": ALLOW_STORAGE_CHANGES_OPTION,
    adopt: ADOPT_OPTION,
    json: { type: "boolean", description: "print the apply report as JSON on stdout" },
  },
  examples: [
    { command: "fedi apply", description: "apply the nearest fedi.config.ts" },
    { command: "fedi apply --yes --json > report.json", description: "non-interactive, for CI" },
    { command: "FEDI_NIXOPS4=/opt/nixops4/bin/nixops4 fedi apply --all", description: "re-apply every machine" },
  ],
  async run(ctx) {
    const planned = await planFromFlags(ctx);
    const { plan } = planned;
    const deployer = deployerFor(ctx, planned);
    const abort = new AbortController();
    const onSignal = () => abort.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      const report = await deployer.apply(plan, {
        all: ctx.flags.all === true,
        signal: abort.signal,
        confirm: async (p) => {
          if (ctx.flags.yes === true) return true;
          const what = confirmationItems(p.diff);
          if (!ctx.io.confirm) {
            throw new FediError("USAGE", `This apply would ${what.join("; ")}.`, {
              hint: "Run it in a terminal to confirm, or pass --yes.",
            });
          }
          ctx.io.stderr.write(`This apply will:\n${what.map((w) => `  - ${w}\n`).join("")}`);
          return ctx.io.confirm("Continue?");
        },
      });
      if (ctx.flags.json === true) {
        ctx.io.stdout.write(
          `${JSON.stringify({ outputVersion: 1, deployment: plan.deployment.name, report }, null, 2)}\n`,
        );
      } else if (report.upToDate) {
        ctx.io.stdout.write(`${ctx.out.green("Up to date")}: nothing to apply for ${plan.deployment.name}.\n`);
      } else {
        const lines = [
          `${ctx.out.bold(`Applied ${plan.deployment.name}`)} in ${formatDuration(report.durationMs)}`,
          ...report.steps.map(
            (s) => `  ${s.status === "done" ? ctx.out.green("✓") : ctx.out.dim("-")} ${s.step.padEnd(9)} ${s.summary}`,
          ),
          `  machines applied: ${report.applied.length ? report.applied.join(", ") : "none"}`,
          `  checks: ${report.checks.filter((c) => c.ok).length}/${report.checks.length} passed`,
        ];
        ctx.io.stdout.write(`${lines.join("\n")}\n`);
      }
      return EXIT.ok;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
  },
};

/**
 * What an apply asks about, one line per change: removed instances (their data stays), moves, and storage node
 * changes with the directories a dropped node keeps until `fedi prune --storage-node` deletes them.
 */
export function confirmationItems(diff: PlanDiff): string[] {
  return [
    ...diff.removed.map(
      (r) =>
        `remove ${r.instance} from ${r.machine} (its data, buckets, key and secrets stay until fedi prune deletes them)`,
    ),
    ...diff.moved.map((m) => `move ${m.instance} from ${m.from} to ${m.to} (${m.reason})`),
    ...diff.storageChanges.map(
      (c) =>
        `change the storage nodes: ${c.note}${
          c.leftovers?.length
            ? ` (stays on ${c.machine} until \`fedi prune --storage-node ${c.machine}\`: ${c.leftovers.map((l) => (l.durable?.kind === "directory" ? l.durable.path : l.name)).join(", ")})`
            : ""
        }`,
    ),
  ];
}
