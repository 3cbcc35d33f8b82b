/**
 * systemd's `EnvironmentFile=` format (systemd.exec(5)), as systemd's own parser reads it: `load_env_file()` in
 * src/basic/env-file.c, which `exec_context_load_environment()` (src/core/execute.c) calls for every EnvironmentFile=
 * of a unit. The same lines are safe for bash's `source` (nixpkgs' `mastodon-tootctl` sources the files listed in
 * `services.mastodon.extraEnvFiles` as root: nixos/modules/services/web-apps/mastodon.nix, `sourceExtraEnv`).
 */
import { envNameProblem, systemdTextProblem, unrepresentable } from "./problems.js";

/** Values made only of these characters are written unquoted (none is special to systemd or bash). */
const PLAIN_VALUE = /^[A-Za-z0-9_@%+=:,./-]*$/;

/**
 * Why `value` cannot be written into an EnvironmentFile (a line break, CR or NUL; text systemd does not take as
 * UTF-8: lone surrogates, Unicode noncharacters), or undefined.
 */
export function systemdEnvValueProblem(value: string): string | undefined {
  if (value.includes("\n") || value.includes("\r"))
    return "contains a line break, which an EnvironmentFile cannot hold";
  if (value.includes("\0")) return "contains a NUL character, which an EnvironmentFile cannot hold";
  return systemdTextProblem(value);
}

/**
 * The value as written after `NAME=` in an EnvironmentFile. Values of `[A-Za-z0-9_@%+=:,./-]` only stay unquoted;
 * others are double-quoted (which also keeps leading and trailing spaces). Inside double quotes systemd's parser
 * (state `DOUBLE_QUOTE_VALUE_ESCAPE` of `parse_env_file_internal`) drops a backslash before `"`, `\`, `` ` `` and `$`
 * (`SHELL_NEED_ESCAPE`) and keeps every other character verbatim, with no variable expansion; bash inside double
 * quotes drops the same backslashes and expands nothing else that is escaped. So those four are escaped and the
 * value reads back exactly in both.
 * @param field - what to name in the error (a spec path, or the variable name).
 * @throws FediError `VALUE_UNREPRESENTABLE` when {@link systemdEnvValueProblem} finds a problem.
 */
export function systemdEnvValue(value: string, field = "the value"): string {
  const problem = systemdEnvValueProblem(value);
  if (problem !== undefined) throw unrepresentable("a systemd EnvironmentFile", field, problem);
  if (PLAIN_VALUE.test(value)) return value;
  return `"${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

/**
 * One `NAME=value` line of an EnvironmentFile (without the newline), see {@link systemdEnvValue}.
 * @throws FediError `VALUE_UNREPRESENTABLE` for an invalid name or a value that cannot be written.
 */
export function systemdEnvLine(name: string, value: string, field: string = name): string {
  const nameProblem = envNameProblem(name);
  if (nameProblem !== undefined) throw unrepresentable("a systemd EnvironmentFile", field, nameProblem);
  return `${name}=${systemdEnvValue(value, field)}`;
}

/**
 * Why `value` cannot be given to a NixOS unit's `environment` (`systemd.services.<name>.environment`, which NixOS
 * writes as `Environment=${builtins.toJSON "NAME=value"}`: nixos/lib/systemd-lib.nix, `serviceToUnit`) and reach
 * the process unchanged, or undefined. systemd expands `%` specifiers in `Environment=` (systemd.unit(5),
 * "Specifiers"), and NixOS does not escape them, so a `%` is refused; NUL, lone surrogates and Unicode
 * noncharacters (which systemd refuses as invalid UTF-8) cannot be written.
 * Use {@link systemdEnvironmentValue} for values that reach only the unit file.
 */
export function systemdEnvironmentProblem(value: string): string | undefined {
  if (value.includes("%")) {
    return "contains '%', which systemd expands as a unit specifier in the Environment= line NixOS writes";
  }
  if (value.includes("\0")) return "contains a NUL character, which an environment variable cannot hold";
  return systemdTextProblem(value);
}

/**
 * A value for a NixOS unit's `environment` that reaches the process unchanged: `%` doubled (systemd turns `%%` into
 * `%`). Only for values that reach nothing but the unit file (a value that a module also writes elsewhere, such as
 * `services.mastodon.extraConfig`, must avoid `%` instead: see {@link systemdEnvironmentProblem}).
 * @throws FediError `VALUE_UNREPRESENTABLE` for NUL, a lone surrogate or a Unicode noncharacter.
 */
export function systemdEnvironmentValue(value: string, field = "the value"): string {
  const problem = value.includes("\0")
    ? "contains a NUL character, which an environment variable cannot hold"
    : systemdTextProblem(value);
  if (problem !== undefined) throw unrepresentable("a systemd unit's Environment=", field, problem);
  return value.replaceAll("%", "%%");
}
