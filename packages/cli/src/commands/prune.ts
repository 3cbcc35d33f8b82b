import {
  FediError,
  forgetPruned,
  MachinePool,
  type PruneItem,
  type PruneItemResult,
  type PrunePlan,
  planPrune,
  prune,
  pruneStorage,
  type SshTarget,
  StateStore,
  sshTarget,
  validateSpec,
} from "@fediversity/core";
import { EXIT } from "../terminal/global-options.js";
import { CONFIG_OPTION, listFlag, loadFromFlags, STATE_OPTION, secretStoreFor, withStateLock } from "./shared.js";
import type { Command, CommandContext } from "./types.js";

/** `fedi prune [INSTANCE...]`: deletes what removed instances left behind; a dry run unless `--yes`. */
export const pruneCommand: Command = {
  name: "prune",
  summary: "delete what removed instances left behind (databases, directories, buckets, keys, secrets)",
  usage: "fedi prune [INSTANCE...] [--storage-node MACHINES] [--delete | --yes] [--config FILE] [--state DIR] [--json]",
  description: [
    "Lists the leftovers the state records of removed instances (all, or those of the INSTANCEs named) as a",
    "deletion plan: databases (engine, name, machine), directories, buckets, S3 keys and secrets (names only).",
    "By default this is a dry run that changes nothing. With --delete it asks on the terminal, with --yes it does not",
    "ask; then it drops the databases and deletes the directories over SSH (as root, through sudo -n for another",
    "user), empties and deletes buckets and deletes S3 keys through the storage backend (on the storage nodes the",
    "state records), deletes secrets from the secret store, and forgets them in the state (under the state lock). Items already",
    "gone count as done, so a second run is a no-op. A current instance's name is refused; data a current instance",
    "uses again (after --adopt) or that its plugin did not declare is kept and listed. Exits 1 when an item failed.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    state: STATE_OPTION,
    "storage-node": {
      type: "string",
      valueName: "MACHINES",
      description: "comma-separated former storage nodes whose leftovers to prune (with INSTANCEs: both)",
    },
    delete: { type: "boolean", description: "delete after asking on the terminal (default: a dry run)" },
    yes: { type: "boolean", description: "delete without asking (for scripts)" },
    json: { type: "boolean", description: "print the deletion plan (and with --yes the outcome) as JSON on stdout" },
  },
  positionals: [
    { name: "INSTANCE", description: "removed instances to prune (default: all)", required: false, variadic: true },
  ],
  examples: [
    { command: "fedi prune", description: "what would be deleted (dry run)" },
    { command: "fedi prune old-social --delete", description: "delete what the removed 'old-social' left behind" },
    {
      command: "fedi prune --storage-node store-c",
      description: "what the dropped storage node store-c left (dry run)",
    },
    { command: "fedi prune --yes --json", description: "delete every leftover without asking; the outcome as JSON" },
  ],
  async run(ctx) {
    const loaded = await loadFromFlags(ctx);
    const validated = validateSpec(loaded.config.spec, loaded.registry);
    const { spec } = validated;
    const store = new StateStore(loaded.stateDir);
    const names = ctx.positionals.length > 0 ? [...ctx.positionals] : undefined;
    const nodes = listFlag(ctx.flags, "storage-node");
    const execute = ctx.flags.yes === true || ctx.flags.delete === true;
    const outcome = await withStateLock(loaded.stateDir, "fedi prune", async () => {
      const state = await store.read(spec.name);
      const plan = planPrune(state, {
        ...(names ? { instances: names } : {}),
        ...(nodes.length > 0 ? { storageNodes: nodes } : {}),
      });
      if (!execute || plan.deletions === 0) return { plan };
      if (ctx.flags.yes !== true && !(await confirmDeletion(ctx, plan))) return { plan, declined: true };
      const agent = ctx.io.env.SSH_AUTH_SOCK;
      const ssh = agent !== undefined ? { agent } : {};
      const targets = new Map<string, SshTarget>(spec.machines.map((m) => [m.name, sshTarget(m, ssh)]));
      const pool = new MachinePool();
      const storage = pruneStorage({
        spec,
        storage: validated.storage,
        state,
        secrets: secretStoreFor(loaded.stateDir),
        pool,
        ssh,
        progress: (message) => {
          if (ctx.flags.json !== true) ctx.io.stderr.write(`  ${message}\n`);
        },
      });
      try {
        const report = await prune(plan, {
          secrets: secretStoreFor(loaded.stateDir),
          storage,
          run: (machine, command, options) => {
            const target = targets.get(machine);
            if (!target) {
              throw new FediError("PRUNE_FAILED", `Machine '${machine}' is no longer in the config.`, {
                machine,
                hint: "Add the machine back to reach it, or delete its leftovers by hand.",
              });
            }
            return pool.exec(target, command, options);
          },
          onItem: (r) => {
            if (ctx.flags.json !== true) ctx.io.stderr.write(`${resultLine(r)}\n`);
          },
        });
        await store.write(forgetPruned(state, report));
        return { plan, report };
      } finally {
        await storage.close();
        await pool.closeAll();
      }
    });
    const { plan, report, declined } = outcome as {
      plan: PrunePlan;
      report?: Awaited<ReturnType<typeof prune>>;
      declined?: boolean;
    };
    const ok = (report?.failed ?? 0) === 0;
    if (ctx.flags.json === true) {
      ctx.io.stdout.write(
        `${JSON.stringify({ outputVersion: 1, dryRun: !execute || declined === true, ok, plan, ...(report ? { results: report.results } : {}) }, null, 2)}\n`,
      );
      return ok ? EXIT.ok : EXIT.failure;
    }
    if (plan.deletions === 0 && plan.groups.length === 0) {
      ctx.io.stdout.write("Nothing to prune: no removed instance left anything behind.\n");
      return EXIT.ok;
    }
    const lines: string[] = [];
    for (const g of plan.groups) {
      lines.push(ctx.out.bold(g.label));
      for (const item of g.items) lines.push(`    ${describeItem(item)}`);
    }
    if (declined) {
      lines.push("Nothing deleted: the deletion was not confirmed.");
    } else if (!execute) {
      lines.push(
        plan.deletions === 0
          ? "Nothing to prune: every leftover listed is kept."
          : `Dry run: ${plan.deletions} item(s) would be deleted. Run again with --delete (or --yes) to delete them.`,
      );
    } else if (report) {
      const done = report.results.filter((r) => r.outcome === "deleted" || r.outcome === "already-gone").length;
      lines.push(`${done} item(s) pruned${report.failed > 0 ? `, ${report.failed} failed (kept in the state)` : ""}.`);
    } else {
      lines.push("Nothing to prune: every leftover listed is kept.");
    }
    ctx.io.stdout.write(`${lines.join("\n")}\n`);
    return ok ? EXIT.ok : EXIT.failure;
  },
};

/**
 * Asks on the terminal before deleting: lists the items and asks once. Without a terminal (`ctx.io.confirm` absent) it
 * is a usage error, as for `fedi apply`: scripts say `--yes`.
 */
async function confirmDeletion(ctx: CommandContext, plan: PrunePlan): Promise<boolean> {
  if (!ctx.io.confirm) {
    throw new FediError(
      "USAGE",
      `fedi prune --delete would delete ${plan.deletions} item(s) and needs a terminal to ask.`,
      {
        hint: "Run it in a terminal to confirm, or pass --yes.",
      },
    );
  }
  const items = plan.groups.flatMap((g) =>
    g.items.filter((i) => i.kind !== "manual").map((i) => `  - ${describeItem(i)}\n`),
  );
  ctx.io.stderr.write(`fedi prune will delete, and cannot undo:\n${items.join("")}`);
  return ctx.io.confirm(`Delete these ${plan.deletions} item(s)?`);
}

/** One item of the deletion plan, for people. */
function describeItem(item: PruneItem): string {
  switch (item.kind) {
    case "database":
      return `drop ${item.engine} database '${item.name}' on ${item.machine}`;
    case "directory":
      return `delete directory ${item.path} on ${item.machine}`;
    case "bucket":
      return `delete bucket '${item.name}' and its objects`;
    case "key":
      return `delete S3 key '${item.name}'`;
    case "secret":
      return `delete secret '${item.name}' from the secret store`;
    case "manual":
      return `keep ${item.name}${item.machine ? ` on ${item.machine}` : ""}: ${item.note}`;
  }
}

function resultLine(r: PruneItemResult): string {
  const what = describeItem(r.item);
  switch (r.outcome) {
    case "deleted":
      return `✓ ${what}`;
    case "already-gone":
      return `✓ ${what} (already gone)`;
    case "kept":
      return `- ${what}`;
    case "failed":
      return `✗ ${what}: ${r.error}`;
  }
}
