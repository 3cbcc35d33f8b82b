import { FediError, isFediError } from "@fediversity/core";
import type { Style } from "./style.js";

/** Converts anything thrown into a FediError; what is not one already is a bug (`INTERNAL`). */
export function asFediError(error: unknown): FediError {
  if (isFediError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FediError("INTERNAL", `Unexpected error: ${message}`, {
    cause: error,
    hint: "This is a bug in fedi. Run the command again with --debug and report the output.",
  });
}

/**
 * An error as people read it: code and message, one line per issue with its path, the machine or service it concerns,
 * the hint; with `debug`, the stack and the chain of causes.
 */
export function formatError(error: FediError, style: Style, debug: boolean): string {
  const lines = [`${style.red(style.bold("error"))} ${style.bold(error.code)}: ${error.message}`];
  const where = [
    error.machine ? `machine ${error.machine}` : "",
    error.service ? `service ${error.service}` : "",
  ].filter(Boolean);
  if (where.length) lines.push(`  ${style.dim(`(${where.join(", ")})`)}`);
  for (const issue of error.issues) {
    lines.push(`  ${style.red("-")} ${issue.path ? `${style.cyan(issue.path)}: ` : ""}${issue.message}`);
    if (issue.hint) lines.push(`    ${style.yellow("hint")}: ${issue.hint}`);
  }
  if (error.hint) lines.push(`${style.yellow("hint")}: ${error.hint}`);
  if (debug) {
    lines.push(style.dim(error.stack ?? "(no stack)"));
    let cause: unknown = error.cause;
    for (let depth = 0; cause !== undefined && depth < 5; depth++) {
      const text = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
      lines.push(style.dim(`caused by: ${text}`));
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return `${lines.join("\n")}\n`;
}
