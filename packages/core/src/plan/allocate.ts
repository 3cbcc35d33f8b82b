import { createHash } from "node:crypto";

/** Largest bucket name S3 allows. */
const MAX_BUCKET = 63;

/**
 * A valid, stable S3 bucket name (3–63 of `a-z0-9-`, starting and ending alphanumeric) for a deployment, instance and
 * bucket id. Long names are shortened with a hash suffix so they stay unique.
 */
export function bucketName(deployment: string, instance: string, id: string): string {
  const raw = `${deployment}-${instance}-${id}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (raw.length <= MAX_BUCKET) return raw.length >= 3 ? raw : `${raw}-bucket`;
  const hash = createHash("sha256").update(raw).digest("hex").slice(0, 8);
  return `${raw.slice(0, MAX_BUCKET - 9).replace(/-+$/, "")}-${hash}`;
}

/** True when `name` is a valid S3 bucket name under the rules the SDK uses. */
export function isValidBucketName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(name);
}

/** Global secret name of an instance's secret (`<instance>.<id>`), or of the storage backend (`storage.<id>`). */
export function secretName(owner: string, id: string): string {
  return `${owner}.${id}`;
}

/** File name on the machine of a secret file (`<owner>-<id>`). */
export function secretFileName(owner: string, id: string): string {
  return `${owner}-${id}`;
}

/** Stable SHA-256 hex of a JSON-serialisable value (keys in insertion order). */
export function hashOf(value: unknown): string {
  return createHash("sha256")
    .update(typeof value === "string" ? value : JSON.stringify(value))
    .digest("hex");
}
