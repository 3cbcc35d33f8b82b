import { EXIT } from "../terminal/global-options.js";
import { count, displayPath } from "../workflow/plan-deployment.js";
import {
  ADOPT_OPTION,
  ALLOW_MOVES_OPTION,
  ALLOW_STORAGE_CHANGES_OPTION,
  CONFIG_OPTION,
  planFromFlags,
  STATE_OPTION,
} from "./shared.js";
import type { Command } from "./types.js";

/** `fedi validate`: checks the config completely (schema, plugin options, placement, allocation) without writing. */
export const validateCommand: Command = {
  name: "validate",
  summary: "check the config and print every problem with its path",
  usage: "fedi validate [--config FILE] [--state DIR] [--allow-moves] [--allow-storage-changes] [--adopt NAMES]",
  description: [
    "Loads the config and checks everything `fedi plan` checks: the deployment schema, every plugin's options,",
    "that the instances fit on the machines (against the last applied state), and that no two of them claim the same",
    "domain or name. Every problem is printed with its path (e.g. services[1].options.domain); the config's own",
    "problems (schema, names, plugin options, unknown kinds) come together, placement and allocation once those pass.",
    "Nothing is written.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    state: STATE_OPTION,
    "allow-moves": ALLOW_MOVES_OPTION,
    "allow-storage-changes": ALLOW_STORAGE_CHANGES_OPTION,
    adopt: ADOPT_OPTION,
  },
  examples: [
    { command: "fedi validate", description: "check the nearest fedi.config.ts" },
    { command: "fedi validate --config examples/all-in-one/fedi.config.ts", description: "check another config" },
  ],
  async run(ctx) {
    const { plan, config } = await planFromFlags(ctx);
    ctx.io.stdout.write(
      `${ctx.out.green("✓")} ${displayPath(ctx.io.cwd, config.path)} is valid: deployment ${ctx.out.bold(plan.deployment.name)}, ${count(plan.machines.length, "machine")}, ${count(plan.instances.length, "instance")}, ${plan.storage.kind} storage on ${count(plan.storage.nodes.length, "node")}.\n`,
    );
    return EXIT.ok;
  },
};
