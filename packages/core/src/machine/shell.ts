import { posix } from "node:path";
import { FediError } from "../errors.js";

/** Quotes `value` as one word for a POSIX shell (single quotes; embedded single quotes escaped). */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Checks that `path` is a normalized absolute POSIX path without `..`, NUL or newlines, and returns it.
 * @throws FediError `SPEC_INVALID` naming the bad path.
 */
export function checkRemotePath(path: string, what = "remote path"): string {
  const bad =
    typeof path !== "string" ||
    !path.startsWith("/") ||
    path.length < 2 ||
    path.endsWith("/") ||
    /[\0\n\r]/.test(path) ||
    path.split("/").includes("..") ||
    posix.normalize(path) !== path;
  if (bad) {
    throw new FediError("SPEC_INVALID", `The ${what} ${JSON.stringify(path)} is not a normalized absolute file path.`, {
      hint: "Use an absolute path such as /var/lib/fediversity/secrets/mastodon-db-password, without '..' or a trailing slash.",
    });
  }
  return path;
}

/** A user or group name as accepted by useradd/groupadd, or a numeric id. */
export const ACCOUNT_NAME = /^(?:[0-9]+|[A-Za-z_][A-Za-z0-9_.-]*\$?)$/;
