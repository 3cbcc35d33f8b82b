import { parseArgs } from "node:util";
import { FediError, FediEvents } from "@fediversity/core";
import { COMMANDS, findCommand } from "./commands/index.js";
import type { Command, CommandContext, OptionSpec } from "./commands/types.js";
import { commandHelp, mainHelp } from "./output/help.js";
import { withConsoleOnStderr } from "./terminal/console.js";
import { EXIT, GLOBAL_OPTIONS } from "./terminal/global-options.js";
import type { CliIo } from "./terminal/io.js";
import { printProgress } from "./terminal/progress.js";
import { asFediError, formatError } from "./terminal/report-error.js";
import { createStyle, wantsColor } from "./terminal/style.js";
import { closest } from "./terminal/suggest.js";
import { CLI_VERSION, versionLine } from "./version.js";

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Absolute path of the CLI's library entry (`dist/index.js`); config files' `@fediversity/cli` imports load it. */
  libraryEntry?: string;
}

type ParseConfig = Record<string, { type: "string" | "boolean"; short?: string }>;

function parseConfig(options: Record<string, OptionSpec>): ParseConfig {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
}

/**
 * Runs `fedi` with the arguments after the program name; resolves to the exit code (0 success, 1 failure, 2 usage).
 * Never throws: errors are printed on stderr (and as JSON on stdout with `--json`).
 */
export async function runCli(argv: readonly string[], io: CliIo, options: RunCliOptions = {}): Promise<number> {
  // A lenient first pass finds the command and the global switches, so that even usage errors print with the right
  // colours and detail.
  const { tokens } = parseArgs({
    args: [...argv],
    options: parseConfig(Object.assign({}, ...COMMANDS.map((c) => c.options), GLOBAL_OPTIONS)),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const firstPositional = tokens.find((t) => t.kind === "positional");
  const has = (name: string) => tokens.some((t) => t.kind === "option" && t.name === name);
  const noColor = has("no-color");
  const debug = has("debug");
  const out = createStyle(wantsColor(io.stdout, io.env, noColor));
  const err = createStyle(wantsColor(io.stderr, io.env, noColor));
  const jsonRequested = has("json");

  const fail = (error: unknown): number => {
    const fediError = asFediError(error);
    io.stderr.write(formatError(fediError, err, debug));
    if (jsonRequested && fediError.code !== "USAGE")
      io.stdout.write(`${JSON.stringify({ error: fediError.toJSON() }, null, 2)}\n`);
    return fediError.code === "USAGE" ? EXIT.usage : EXIT.failure;
  };

  try {
    if (!firstPositional) {
      if (has("version")) {
        io.stdout.write(`${versionLine()}\n`);
        return EXIT.ok;
      }
      if (has("help")) {
        io.stdout.write(mainHelp(COMMANDS, CLI_VERSION, out));
        return EXIT.ok;
      }
      const unknown = tokens.find((t) => t.kind === "option" && !Object.hasOwn(GLOBAL_OPTIONS, t.name));
      if (unknown && unknown.kind === "option")
        throw usage(`Unknown option '${unknown.rawName}'.`, "Run `fedi --help` for the options.");
      io.stderr.write(mainHelp(COMMANDS, CLI_VERSION, err));
      throw usage("No command given.", "Name a command, e.g. `fedi plan`.");
    }
    const name = firstPositional.value;
    const rest = [...argv.slice(0, firstPositional.index), ...argv.slice(firstPositional.index + 1)];
    if (name === "help") return helpCommand(rest, io, out);
    const command = findCommand(name);
    if (!command) {
      const guess = closest(name, [...COMMANDS.map((c) => c.name), "help"]);
      throw usage(
        `Unknown command '${name}'.`,
        `${guess ? `Did you mean \`fedi ${guess}\`? ` : ""}Run \`fedi --help\` for the commands.`,
      );
    }
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help === true) {
      io.stdout.write(commandHelp(command, out));
      return EXIT.ok;
    }
    if (values.version === true) {
      io.stdout.write(`${versionLine()}\n`);
      return EXIT.ok;
    }
    const events = new FediEvents();
    const stop = values.quiet === true ? () => {} : printProgress(events, io.stderr, err);
    const ctx: CommandContext = {
      io,
      flags: values,
      positionals,
      out,
      err,
      debug,
      events,
      configAlias: options.libraryEntry ? { "@fediversity/cli": options.libraryEntry } : {},
    };
    try {
      // With --json, stdout carries one JSON document: whatever config or plugin code prints goes to stderr.
      return jsonRequested ? await withConsoleOnStderr(() => command.run(ctx)) : await command.run(ctx);
    } finally {
      stop();
    }
  } catch (error) {
    return fail(error);
  }
}

function usage(message: string, hint: string): FediError {
  return new FediError("USAGE", message, { hint });
}

function helpCommand(rest: readonly string[], io: CliIo, out: ReturnType<typeof createStyle>): number {
  const topic = rest.find((a) => !a.startsWith("-"));
  if (topic === undefined) {
    io.stdout.write(mainHelp(COMMANDS, CLI_VERSION, out));
    return EXIT.ok;
  }
  const command = findCommand(topic);
  if (!command) throw usage(`Unknown command '${topic}'.`, "Run `fedi --help` for the commands.");
  io.stdout.write(commandHelp(command, out));
  return EXIT.ok;
}

function parseCommandArgs(command: Command, args: readonly string[]) {
  const all: Record<string, OptionSpec> = { ...GLOBAL_OPTIONS, ...command.options };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: parseConfig(all),
      strict: true,
      allowPositionals: true,
    }) as typeof parsed;
  } catch (error) {
    throw argsError(command, all, error as Error & { code?: string });
  }
  const max = command.positionals?.at(-1)?.variadic ? Number.POSITIVE_INFINITY : (command.positionals?.length ?? 0);
  if (parsed.positionals.length > max) {
    throw usage(
      `Unexpected argument '${parsed.positionals[max]}' for \`fedi ${command.name}\`.`,
      `Usage: ${command.usage}. Run \`fedi ${command.name} --help\`.`,
    );
  }
  const missing = command.positionals?.find((p, i) => p.required && parsed.positionals[i] === undefined);
  if (missing)
    throw usage(`Missing argument ${missing.name} for \`fedi ${command.name}\`.`, `Usage: ${command.usage}.`);
  for (const [name, spec] of Object.entries(command.options)) {
    const value = parsed.values[name];
    if (spec.choices && typeof value === "string" && !spec.choices.includes(value)) {
      throw usage(
        `--${name} must be one of ${spec.choices.join(", ")} (got '${value}').`,
        `Run \`fedi ${command.name} --help\`.`,
      );
    }
    if (spec.type === "string" && value === "")
      throw usage(`--${name} needs a value.`, `Run \`fedi ${command.name} --help\`.`);
  }
  return parsed;
}

function argsError(command: Command, options: Record<string, OptionSpec>, error: Error & { code?: string }): FediError {
  const hint = `Run \`fedi ${command.name} --help\` for its options.`;
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'([^']+)'/.exec(error.message)?.[1] ?? "?";
    const guess = flag.startsWith("--") ? closest(flag.slice(2), Object.keys(options)) : undefined;
    return usage(
      `Unknown option '${flag}' for \`fedi ${command.name}\`.`,
      guess ? `Did you mean --${guess}? ${hint}` : hint,
    );
  }
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return usage(error.message.replace(/\s+/g, " ").trim(), hint);
  }
  return usage(error.message, hint);
}
