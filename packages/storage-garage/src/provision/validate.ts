import { FediError, type FediIssue } from "@fediversity/core";
import { CORS_METHODS } from "./cors.js";
import type { BucketSpec } from "./types.js";

const ACCESS_KEY_ID = /^GK[0-9a-f]{24}$/;
const SECRET_ACCESS_KEY = /^[0-9a-f]{64}$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** True when `name` is a bucket name Garage accepts as a global alias (S3 naming rules, no punycode). */
export function isValidBucketName(name: unknown): name is string {
  return (
    typeof name === "string" &&
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9.-]+$/.test(name) &&
    /^[a-z0-9]/.test(name) &&
    /[a-z0-9]$/.test(name) &&
    !IPV4.test(name) &&
    !name.startsWith("xn--") &&
    !name.includes(".xn--") &&
    !name.endsWith("-s3alias")
  );
}

function validQuota(value: unknown): boolean {
  return value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);
}

/**
 * Checks bucket specs before anything is sent to Garage: bucket names, Garage key formats (`GK` + 24 hex, 64 hex
 * secret), one secret per access key id, quotas, CORS rules. Throws `FediError("PLUGIN_OPTIONS_INVALID")` listing
 * every problem; secret values never appear in it.
 */
export function validateBucketSpecs(buckets: readonly BucketSpec[]): void {
  const issues: FediIssue[] = [];
  const names = new Map<string, number>();
  const secrets = new Map<string, { index: number; secret: string }>();
  buckets.forEach((b, i) => {
    const at = `buckets[${i}]`;
    if (!isValidBucketName(b.name)) {
      issues.push({
        path: `${at}.name`,
        message: "must be 3-63 lowercase letters, digits, dots or dashes, starting and ending with a letter or digit",
      });
    } else if (names.has(b.name)) {
      issues.push({
        path: `${at}.name`,
        message: `bucket "${b.name}" is listed twice (also buckets[${names.get(b.name)}])`,
      });
    } else {
      names.set(b.name, i);
    }
    if (typeof b.public !== "boolean") issues.push({ path: `${at}.public`, message: "must be true or false" });
    const key = b.key;
    if (typeof key?.name !== "string" || key.name.trim() === "") {
      issues.push({ path: `${at}.key.name`, message: "must be a non-empty key name" });
    }
    if (typeof key?.accessKeyId !== "string" || !ACCESS_KEY_ID.test(key.accessKeyId)) {
      issues.push({
        path: `${at}.key.accessKeyId`,
        message: "must be a Garage access key id: GK followed by 24 lowercase hex characters",
      });
    }
    if (typeof key?.secretAccessKey !== "string" || !SECRET_ACCESS_KEY.test(key.secretAccessKey)) {
      issues.push({
        path: `${at}.key.secretAccessKey`,
        message: "must be a Garage secret key: 64 lowercase hex characters",
      });
    } else if (typeof key.accessKeyId === "string") {
      const previous = secrets.get(key.accessKeyId);
      if (previous && previous.secret !== key.secretAccessKey) {
        issues.push({
          path: `${at}.key.secretAccessKey`,
          message: `differs from the secret given for the same access key id in buckets[${previous.index}]`,
        });
      } else if (!previous) {
        secrets.set(key.accessKeyId, { index: i, secret: key.secretAccessKey });
      }
    }
    if (b.quotas !== undefined) {
      if (!validQuota(b.quotas.maxSize))
        issues.push({ path: `${at}.quotas.maxSize`, message: "must be a whole number of bytes ≥ 0" });
      if (!validQuota(b.quotas.maxObjects))
        issues.push({ path: `${at}.quotas.maxObjects`, message: "must be a whole number ≥ 0" });
    }
    if (b.cors !== undefined) {
      if (!Array.isArray(b.cors)) issues.push({ path: `${at}.cors`, message: "must be a list of CORS rules" });
      else {
        b.cors.forEach((rule, j) => {
          const rp = `${at}.cors[${j}]`;
          if (!Array.isArray(rule.allowedOrigins) || rule.allowedOrigins.length === 0) {
            issues.push({ path: `${rp}.allowedOrigins`, message: "must list at least one origin" });
          }
          if (!Array.isArray(rule.allowedMethods) || rule.allowedMethods.length === 0) {
            issues.push({ path: `${rp}.allowedMethods`, message: "must list at least one method" });
          } else {
            for (const m of rule.allowedMethods) {
              if (!(CORS_METHODS as readonly string[]).includes(String(m).toUpperCase())) {
                issues.push({
                  path: `${rp}.allowedMethods`,
                  message: `"${m}" is not one of ${CORS_METHODS.join(", ")}`,
                });
              }
            }
          }
          if (
            rule.maxAgeSeconds !== undefined &&
            !(Number.isSafeInteger(rule.maxAgeSeconds) && rule.maxAgeSeconds >= 0)
          ) {
            issues.push({ path: `${rp}.maxAgeSeconds`, message: "must be a whole number of seconds ≥ 0" });
          }
        });
      }
    }
  });
  if (issues.length > 0) {
    throw new FediError("PLUGIN_OPTIONS_INVALID", "Some Garage buckets to provision are invalid.", {
      issues,
      hint: "Fix the listed fields of the storage buckets.",
    });
  }
}
