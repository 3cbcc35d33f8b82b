import { FediError } from "../errors.js";

/** What a secret name (and a secret file name) looks like: it is also a file name, so no `/` and no leading dot. */
export const SECRET_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** Longest accepted secret name (leaves room for temporary-file suffixes within the 255-byte file-name limit). */
export const SECRET_NAME_MAX_LENGTH = 200;

/** Why `name` is not a valid secret name, or undefined when it is. Never includes more than 80 characters of it. */
export function secretNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return `must be a string, got ${name === null ? "null" : typeof name}`;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.length === 0) return "must not be empty";
  if (name.length > SECRET_NAME_MAX_LENGTH) return `${shown} is longer than ${SECRET_NAME_MAX_LENGTH} characters`;
  if (!SECRET_NAME_PATTERN.test(name)) {
    return `${shown} must match [a-z0-9][a-z0-9._-]* (lowercase letters, digits, '.', '_', '-'; no '/' and no leading '.')`;
  }
  return undefined;
}

/** Throws FediError `SECRET_FAILED` naming `field` when `name` is not a valid secret name. */
export function assertSecretName(name: unknown, field = "name"): asserts name is string {
  const problem = secretNameProblem(name);
  if (problem !== undefined) {
    throw new FediError("SECRET_FAILED", `Invalid secret name in ${field}: ${problem}.`, {
      hint: "Secret names are global within a deployment, e.g. mastodon.secret-key-base or s3.mastodon-media.secret-key.",
      issues: [{ path: field, message: problem }],
    });
  }
}
