import type { Command, OptionSpec } from "../commands/types.js";
import { GLOBAL_OPTIONS } from "../terminal/global-options.js";
import type { Style } from "../terminal/style.js";

const EXIT_CODES = "Exit codes: 0 success, 1 failure (invalid config, planning error, I/O), 2 usage error.";

function optionLines(options: Record<string, OptionSpec>, style: Style): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.type === "string" ? ` ${o.valueName ?? "VALUE"}` : ""}`;
    const choices = o.choices ? ` (${o.choices.join(" | ")})` : "";
    return [flag, `${o.description}${choices}`] as const;
  });
  const width = Math.max(0, ...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${style.bold(flag.padEnd(width))}  ${text}`);
}

/** `fedi --help`: what fedi is, the commands, global options, exit codes. */
export function mainHelp(commands: readonly Command[], version: string, style: Style): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `${style.bold("fedi")} ${version} — plan Fediverse services (Mastodon, Pixelfed, PeerTube) on Garage-backed NixOS machines`,
    "",
    `${style.bold("Usage:")} fedi <command> [options]`,
    "",
    style.bold("Commands:"),
    ...commands.map((c) => `  ${style.bold(c.name.padEnd(width))}  ${c.summary}`),
    `  ${style.bold("help".padEnd(width))}  show help for a command`,
    "",
    style.bold("Global options:"),
    ...optionLines(GLOBAL_OPTIONS, style),
    "",
    `Run ${style.cyan("fedi <command> --help")} for a command's options and examples.`,
    "The config is fedi.config.{ts,mts,mjs,js,cjs,json}, found from the current directory upward, or --config.",
    EXIT_CODES,
    "",
  ].join("\n");
}

/** `fedi <command> --help`. */
export function commandHelp(command: Command, style: Style): string {
  const lines = [
    `${style.bold(`fedi ${command.name}`)} — ${command.summary}`,
    "",
    `${style.bold("Usage:")} ${command.usage}`,
    "",
    command.description,
    "",
  ];
  if (command.positionals?.length) {
    lines.push(style.bold("Arguments:"));
    const width = Math.max(...command.positionals.map((p) => p.name.length));
    for (const p of command.positionals)
      lines.push(`  ${style.bold(p.name.padEnd(width))}  ${p.description}${p.required ? "" : " (optional)"}`);
    lines.push("");
  }
  if (Object.keys(command.options).length)
    lines.push(style.bold("Options:"), ...optionLines(command.options, style), "");
  lines.push(style.bold("Global options:"), ...optionLines(GLOBAL_OPTIONS, style), "");
  lines.push(style.bold("Examples:"));
  for (const example of command.examples)
    lines.push(`  ${style.cyan(`$ ${example.command}`)}`, `      ${example.description}`);
  lines.push("", EXIT_CODES, "");
  return lines.join("\n");
}
