import { FediError } from "../errors.js";

/** What an environment variable name may look like in every format of this folder (bash, systemd, phpdotenv). */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot be an environment variable name, or undefined. */
export function envNameProblem(name: string): string | undefined {
  return ENV_NAME_PATTERN.test(name)
    ? undefined
    : "is not a valid environment variable name (A-Z, a-z, 0-9 and '_', not starting with a digit)";
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `value` cannot be written as UTF-8 text (a lone UTF-16 surrogate would be written as U+FFFD and so read back
 * different), or undefined.
 */
export function textProblem(value: string): string | undefined {
  return !LONE_SURROGATE.test(value) ? undefined : "contains a lone UTF-16 surrogate, which UTF-8 text cannot hold";
}

/**
 * Why systemd would refuse `value` as not UTF-8, or undefined: besides lone surrogates, systemd's `utf8_is_valid()`
 * (src/basic/utf8.c, `unichar_is_valid`) rejects the Unicode noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF of
 * every plane, and then ignores the whole assignment.
 */
export function systemdTextProblem(value: string): string | undefined {
  for (const c of value) {
    const cp = c.codePointAt(0)!;
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) {
      return "contains a Unicode noncharacter (U+FDD0-U+FDEF or U+xFFFE/U+xFFFF), which systemd refuses as invalid UTF-8";
    }
  }
  return textProblem(value);
}

/**
 * The error an encoder throws when it must refuse a value: code `VALUE_UNREPRESENTABLE`, one issue at `field` (the
 * spec path of the value when the caller knows it, else the variable name). Never includes the value.
 */
export function unrepresentable(format: string, field: string, problem: string): FediError {
  return new FediError("VALUE_UNREPRESENTABLE", `A value cannot be written into ${format}: ${field} ${problem}.`, {
    issues: [{ path: field, message: problem }],
    hint: "Change the value so that it avoids the characters named above.",
  });
}
