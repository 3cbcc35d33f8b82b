/**
 * phpdotenv's `.env` format (vlucas/phpdotenv 5, which Laravel and so Pixelfed load). nixpkgs' Pixelfed module writes
 * `services.pixelfed.settings` with `lib.generators.toKeyValue { }`: `NAME=value` lines with string values inserted
 * raw (`mkValueStringDefault`), then appends the secret file (nixos/modules/services/web-apps/pixelfed.nix,
 * `configFile` and the `pixelfed-data-setup` script). So a setting's string must already be a phpdotenv value.
 *
 * Parser rules used (phpdotenv src/Parser): the file is split into lines at `\r\n`, `\n` and `\r` (`Parser`), lines
 * holding `="` without a closing quote are joined with the next ones (`Lines::multilineProcess`), a line is split at
 * its first `=` and both sides trimmed (`EntryParser::splitStringIntoParts`); an unquoted value ends at whitespace and
 * a `#` starts a comment, `${NAME}` is interpolated in unquoted and double-quoted values (`EntryParser::processToken`,
 * `Loader\Resolver`); inside double quotes only `\"`, `\\`, `\$` and `\f \n \r \t \v` are escapes, any other escape is
 * an error.
 */
import { envNameProblem, textProblem, unrepresentable } from "./problems.js";

/** Values made only of these characters are written unquoted (no whitespace, quote, `#`, `$` or `\`). */
const PLAIN_VALUE = /^[A-Za-z0-9_@%+=:,./-]*$/;

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { "\\": "\\\\", '"': '\\"', $: "\\$", "\n": "\\n", "\r": "\\r" };

/** Why `value` cannot be written into a `.env` file (NUL, lone surrogates: phpdotenv reads UTF-8), or undefined. */
export function dotenvValueProblem(value: string): string | undefined {
  if (value.includes("\0")) return "contains a NUL character, which a .env file cannot hold";
  return textProblem(value);
}

/**
 * The value as written after `NAME=` in a `.env` file: unquoted when it is made of `[A-Za-z0-9_@%+=:,./-]` only, else
 * double-quoted with `\`, `"`, `$`, newline and CR escaped (`\\`, `\"`, `\$`, `\n`, `\r`), so the line stays one line,
 * nothing is interpolated, and `#`, quotes and spaces are plain characters. phpdotenv reads back exactly `value`.
 * (Laravel's `env()` then maps the strings `true`, `false`, `null`, `empty` and a value wrapped in quotes to other
 * values; that is Laravel's reading of a value, the same however it is written.)
 * @param field - what to name in the error (a spec path, or the variable name).
 * @throws FediError `VALUE_UNREPRESENTABLE` when {@link dotenvValueProblem} finds a problem.
 */
export function dotenvValue(value: string, field = "the value"): string {
  const problem = dotenvValueProblem(value);
  if (problem !== undefined) throw unrepresentable("a .env file", field, problem);
  if (PLAIN_VALUE.test(value)) return value;
  return `"${value.replace(/[\\"$\n\r]/g, (c) => DOUBLE_QUOTE_ESCAPES[c]!)}"`;
}

/**
 * One `NAME=value` line of a `.env` file (without the newline), see {@link dotenvValue}.
 * @throws FediError `VALUE_UNREPRESENTABLE` for an invalid name or a value that cannot be written.
 */
export function dotenvLine(name: string, value: string, field: string = name): string {
  const nameProblem = envNameProblem(name);
  if (nameProblem !== undefined) throw unrepresentable("a .env file", field, nameProblem);
  return `${name}=${dotenvValue(value, field)}`;
}
