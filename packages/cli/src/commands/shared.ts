import type { OptionSpec } from "./types.js";

/** `--config`, shared by the commands that read a config. */
export const CONFIG_OPTION = {
  type: "string",
  short: "c",
  valueName: "FILE",
  description: "config file or directory (default: the nearest fedi.config.* from the current directory upward)",
} as const satisfies OptionSpec;

/** `--state`, shared by the commands that plan. */
export const STATE_OPTION = {
  type: "string",
  valueName: "DIR",
  description: "state folder holding state.json (default: .fedi/ next to the config)",
} as const satisfies OptionSpec;

/** `--allow-moves`, shared by the commands that plan. */
export const ALLOW_MOVES_OPTION = {
  type: "boolean",
  description: "let instances move to another machine when they no longer fit where they are (moves their data)",
} as const satisfies OptionSpec;

/** A string flag's value, if given. */
export function stringFlag(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}
