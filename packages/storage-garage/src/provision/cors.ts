import {
  type CORSRule,
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { s3ErrorName, s3ErrorStatus } from "./s3-client.js";
import type { CorsRule } from "./types.js";

/** HTTP methods S3 accepts in a CORS rule. */
export const CORS_METHODS = ["GET", "PUT", "POST", "DELETE", "HEAD"] as const;

/** The S3 SDK form of CORS rules. */
export function toS3CorsRules(rules: readonly CorsRule[]): CORSRule[] {
  return rules.map((r) => ({
    AllowedOrigins: [...r.allowedOrigins],
    AllowedMethods: [...r.allowedMethods],
    ...(r.allowedHeaders?.length ? { AllowedHeaders: [...r.allowedHeaders] } : {}),
    ...(r.exposeHeaders?.length ? { ExposeHeaders: [...r.exposeHeaders] } : {}),
    ...(r.maxAgeSeconds !== undefined ? { MaxAgeSeconds: r.maxAgeSeconds } : {}),
  }));
}

/** CORS rules from their S3 SDK form. */
export function fromS3CorsRules(rules: readonly CORSRule[] | undefined): CorsRule[] {
  return (rules ?? []).map((r) => ({
    allowedOrigins: [...(r.AllowedOrigins ?? [])],
    allowedMethods: [...(r.AllowedMethods ?? [])],
    ...(r.AllowedHeaders?.length ? { allowedHeaders: [...r.AllowedHeaders] } : {}),
    ...(r.ExposeHeaders?.length ? { exposeHeaders: [...r.ExposeHeaders] } : {}),
    ...(r.MaxAgeSeconds !== undefined ? { maxAgeSeconds: r.MaxAgeSeconds } : {}),
  }));
}

function normalized(rule: CorsRule): string {
  const sorted = (xs: readonly string[] | undefined, f: (s: string) => string = (s) => s) =>
    [...new Set((xs ?? []).map(f))].sort();
  return JSON.stringify([
    sorted(rule.allowedOrigins),
    sorted(rule.allowedMethods, (m) => m.toUpperCase()),
    sorted(rule.allowedHeaders, (h) => h.toLowerCase()),
    sorted(rule.exposeHeaders, (h) => h.toLowerCase()),
    rule.maxAgeSeconds ?? null,
  ]);
}

/**
 * True when two rule lists mean the same: same rules in the same order (the first matching rule wins); inside a
 * rule, origins, methods and headers compare as sets (methods and header names case-insensitively).
 */
export function sameCors(a: readonly CorsRule[], b: readonly CorsRule[]): boolean {
  return a.length === b.length && a.every((rule, i) => normalized(rule) === normalized(b[i] as CorsRule));
}

/** Reads a bucket's CORS rules; no configuration gives `[]` (Garage answers 204, AWS and s3rver 404). */
export async function readBucketCors(s3: S3Client, bucket: string): Promise<CorsRule[]> {
  try {
    const out = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    return fromS3CorsRules(out.CORSRules);
  } catch (error) {
    if (s3ErrorName(error) === "NoSuchCORSConfiguration" || s3ErrorStatus(error) === 204) return [];
    throw error;
  }
}

/** Sets a bucket's CORS rules, or deletes its CORS configuration when `rules` is empty. */
export async function writeBucketCors(s3: S3Client, bucket: string, rules: readonly CorsRule[]): Promise<void> {
  if (rules.length === 0) {
    await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    return;
  }
  await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: toS3CorsRules(rules) } }));
}
