import type { FediEvents } from "@fediversity/core";
import type { CliIo } from "../terminal/io.js";
import type { Style } from "../terminal/style.js";

/** A command-line option of a command. */
export interface OptionSpec {
  /** A string takes a value; a boolean is a switch. */
  type: "string" | "boolean";
  /** One-letter alias, e.g. `c` for `-c`. */
  short?: string;
  /** Name of the value in help, e.g. `DIR`. */
  valueName?: string;
  /** What it does (one line). */
  description: string;
  /** Allowed values of a string option. */
  choices?: readonly string[];
}

/** An example shown in a command's help. */
export interface CommandExample {
  /** The command line, without the leading `$ `. */
  command: string;
  /** What it does. */
  description: string;
}

/** What a command's `run` receives. */
export interface CommandContext {
  /** Streams, environment, working directory. */
  io: CliIo;
  /** Parsed option values by long name (`undefined` when not given). */
  flags: Readonly<Record<string, string | boolean | undefined>>;
  /** Positional arguments after the command name. */
  positionals: readonly string[];
  /** Style for stdout. */
  out: Style;
  /** Style for stderr. */
  err: Style;
  /** `--debug` was given. */
  debug: boolean;
  /** Progress events; the CLI prints them on stderr (unless `--quiet`). */
  events: FediEvents;
  /** Module aliases for loading config files (maps `@fediversity/cli` to the running CLI's library entry). */
  configAlias: Record<string, string>;
}

/** One `fedi` command: its help and its implementation. Add a command by adding one of these to the table. */
export interface Command {
  /** Name, e.g. `plan`. */
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Synopsis after `Usage:`, e.g. `fedi plan [options]`. */
  usage: string;
  /** A paragraph or two for `--help`. */
  description: string;
  /** Options (besides the global ones), by long name. */
  options: Record<string, OptionSpec>;
  /** Positional arguments, in order. */
  positionals?: Array<{
    name: string;
    description: string;
    required: boolean;
    /** The last positional may take any number of values. */
    variadic?: boolean;
  }>;
  /** Examples for `--help`. */
  examples: CommandExample[];
  /** Runs the command; resolves to the exit code. Throws FediError on failure. */
  run(ctx: CommandContext): Promise<number>;
}
