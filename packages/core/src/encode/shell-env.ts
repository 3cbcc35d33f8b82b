/**
 * Shell-sourced environment files as nixpkgs' service modules write them from their settings:
 * `${name}="${toString value}"` per variable, the value inserted raw between double quotes
 * (nixos/modules/services/web-apps/mastodon.nix, `envFile`, from `env` which includes `extraConfig`; `mastodon-tootctl`
 * runs `set -a; source "${envFile}"` as root). Since the module inserts the value without escaping, the only safe
 * values are those that bash reads back unchanged inside double quotes: nothing can be escaped, what bash would
 * interpret is refused.
 */
import { envNameProblem, textProblem, unrepresentable } from "./problems.js";

/** Characters bash interprets inside double quotes (bash(1), QUOTING): `$`, `` ` ``, `\`, and `"` that ends them. */
const SHELL_DOUBLE_QUOTE_SPECIAL = /["$`\\]/;

/**
 * Why `value` cannot stand between the double quotes of a module-written `NAME="value"` line and read back
 * unchanged in bash, or undefined: `"` `$` `` ` `` `\` (bash interprets them: `$(...)` and backticks run commands),
 * line breaks and other control characters (a newline starts a new line of the file), lone surrogates.
 */
export function shellEnvValueProblem(value: string): string | undefined {
  if (SHELL_DOUBLE_QUOTE_SPECIAL.test(value)) {
    return "contains one of \" $ ` \\, which the shell that sources the service's environment file would interpret (and could run as a command)";
  }
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    return "contains a line break or another control character, which the service's environment file cannot hold";
  }
  return textProblem(value);
}

/**
 * The value unchanged, once {@link shellEnvValueProblem} found nothing: what to give the module (it adds the quotes).
 * @param field - what to name in the error (a spec path, or the variable name).
 * @throws FediError `VALUE_UNREPRESENTABLE` otherwise.
 */
export function shellEnvValue(value: string, field = "the value"): string {
  const problem = shellEnvValueProblem(value);
  if (problem !== undefined) throw unrepresentable("a shell-sourced environment file", field, problem);
  return value;
}

/**
 * The line the module writes for `name` and `value`: `NAME="value"` (without the newline).
 * @throws FediError `VALUE_UNREPRESENTABLE` for an invalid name or a value {@link shellEnvValueProblem} refuses.
 */
export function shellEnvLine(name: string, value: string, field: string = name): string {
  const nameProblem = envNameProblem(name);
  if (nameProblem !== undefined) throw unrepresentable("a shell-sourced environment file", field, nameProblem);
  return `${name}="${shellEnvValue(value, field)}"`;
}
