import { randomBytes } from "node:crypto";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { readBucketCors, sameCors } from "../provision/cors.js";
import { describeS3Error, type S3Endpoint, type S3Factory, s3ErrorStatus, s3Settings } from "../provision/s3-client.js";
import type { BucketSpec } from "../provision/types.js";
import { validateBucketSpecs } from "../provision/validate.js";

/** The checks {@link verifyBuckets} runs on each bucket. */
export type VerifyCheckName = "put-object" | "get-object" | "delete-object" | "cors";

/** The outcome of one check. */
export interface VerifyCheck {
  /** Which check. */
  name: VerifyCheckName;
  /** True when it passed. */
  ok: boolean;
  /** What went wrong (never a secret), or a short note. */
  message?: string;
}

/** The checks of one bucket. */
export interface BucketVerifyReport {
  /** Bucket name. */
  bucket: string;
  /** True when every check passed. */
  ok: boolean;
  /** The checks, in the order they ran. */
  checks: VerifyCheck[];
}

/** The outcome of {@link verifyBuckets}. */
export interface VerifyReport {
  /** True when every bucket passed. */
  ok: boolean;
  /** One report per bucket, in input order. */
  buckets: BucketVerifyReport[];
}

/** Options of {@link verifyBuckets}. */
export interface VerifyOptions {
  /** Garage's S3 API, e.g. a local tunnel to port 3900 of a storage node. */
  s3: S3Endpoint;
  /** Prefix of the canary object key. Default `.fediversity-verify/`. */
  canaryPrefix?: string;
}

async function verifyOne(s3: S3Client, spec: BucketSpec, prefix: string): Promise<VerifyCheck[]> {
  const secrets = [spec.key.secretAccessKey];
  const checks: VerifyCheck[] = [];
  const key = `${prefix}${randomBytes(8).toString("hex")}`;
  const payload = randomBytes(32).toString("hex");
  let written = false;
  try {
    await s3.send(new PutObjectCommand({ Bucket: spec.name, Key: key, Body: payload, ContentType: "text/plain" }));
    written = true;
    checks.push({ name: "put-object", ok: true });
  } catch (error) {
    checks.push({ name: "put-object", ok: false, message: describeS3Error(error, secrets) });
  }
  if (written) {
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: spec.name, Key: key }));
      const body = (await out.Body?.transformToString()) ?? "";
      checks.push(
        body === payload
          ? { name: "get-object", ok: true }
          : {
              name: "get-object",
              ok: false,
              message: `read back ${body.length} bytes that differ from the ${payload.length} written`,
            },
      );
    } catch (error) {
      checks.push({ name: "get-object", ok: false, message: describeS3Error(error, secrets) });
    }
    try {
      await s3.send(new DeleteObjectCommand({ Bucket: spec.name, Key: key }));
      let gone = false;
      try {
        await s3.send(new HeadObjectCommand({ Bucket: spec.name, Key: key }));
      } catch (error) {
        if (s3ErrorStatus(error) === 404) gone = true;
        else throw error;
      }
      checks.push(
        gone
          ? { name: "delete-object", ok: true }
          : { name: "delete-object", ok: false, message: "the canary object is still there after DeleteObject" },
      );
    } catch (error) {
      checks.push({ name: "delete-object", ok: false, message: describeS3Error(error, secrets) });
    }
  } else {
    checks.push({ name: "get-object", ok: false, message: "not run: the canary object could not be written" });
    checks.push({ name: "delete-object", ok: false, message: "not run: the canary object could not be written" });
  }
  if (spec.cors !== undefined) {
    try {
      const current = await readBucketCors(s3, spec.name);
      checks.push(
        sameCors(current, spec.cors)
          ? { name: "cors", ok: true }
          : {
              name: "cors",
              ok: false,
              message: `CORS differs from the wanted rules (${current.length} rule(s) set, ${spec.cors.length} wanted)`,
            },
      );
    } catch (error) {
      checks.push({ name: "cors", ok: false, message: describeS3Error(error, secrets) });
    }
  }
  return checks;
}

/**
 * Checks each bucket through S3 with the bucket's own key: writes a random canary object, reads it back and compares,
 * deletes it and checks it is gone, and, when the bucket has `cors`, compares GetBucketCors with the wanted rules.
 * Never throws for a failed check (failures are in the report); invalid input throws
 * `FediError("PLUGIN_OPTIONS_INVALID")`. Reports never contain secret values.
 */
export async function verifyBuckets(
  s3Factory: S3Factory,
  buckets: readonly BucketSpec[],
  options: VerifyOptions,
): Promise<VerifyReport> {
  validateBucketSpecs(buckets);
  const prefix = options.canaryPrefix ?? ".fediversity-verify/";
  const reports: BucketVerifyReport[] = [];
  for (const spec of buckets) {
    const s3 = s3Factory(s3Settings(options.s3, spec.key));
    try {
      const checks = await verifyOne(s3, spec, prefix);
      reports.push({ bucket: spec.name, ok: checks.every((c) => c.ok), checks });
    } finally {
      s3.destroy();
    }
  }
  return { ok: reports.every((r) => r.ok), buckets: reports };
}
