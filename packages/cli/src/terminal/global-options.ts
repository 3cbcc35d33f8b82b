import type { OptionSpec } from "../commands/types.js";

/** Options every command accepts. */
export const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h", description: "show help for the command" },
  version: { type: "boolean", short: "V", description: "print the version of fedi and @fediversity/core" },
  debug: { type: "boolean", description: "show stack traces and causes of errors" },
  quiet: { type: "boolean", short: "q", description: "print no progress on stderr" },
  "no-color": {
    type: "boolean",
    description: "no colours (also: NO_COLOR=1; colours are off when output is not a terminal)",
  },
} as const satisfies Record<string, OptionSpec>;

/** Exit codes of `fedi`. */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** Failure: invalid config, planning error, I/O error. */
  failure: 1,
  /** Usage error: unknown command or option, missing or invalid argument. */
  usage: 2,
} as const;
