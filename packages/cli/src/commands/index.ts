import { adoptCommand } from "./adopt.js";
import { applyCommand } from "./apply.js";
import { dnsCommand } from "./dns.js";
import { graphCommand } from "./graph.js";
import { initCommand } from "./init.js";
import { keyscanCommand } from "./keyscan.js";
import { planCommand } from "./plan.js";
import { pruneCommand } from "./prune.js";
import { secretCommand } from "./secret.js";
import { statusCommand } from "./status.js";
import type { Command } from "./types.js";
import { validateCommand } from "./validate.js";

/**
 * Every `fedi` command, in the order `fedi --help` lists them. A new command is one more {@link Command} here.
 */
export const COMMANDS: readonly Command[] = [
  initCommand,
  validateCommand,
  planCommand,
  graphCommand,
  dnsCommand,
  applyCommand,
  statusCommand,
  keyscanCommand,
  adoptCommand,
  secretCommand,
  pruneCommand,
];

/** The command of a name, if any. */
export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
