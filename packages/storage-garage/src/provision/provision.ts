import type { S3Client } from "@aws-sdk/client-s3";
import { FediError, isFediError } from "@fediversity/core";
import {
  type GarageAdminClient,
  type GarageAdminSchemas,
  garageErrorCode,
  garageErrorStatus,
} from "../admin/client.js";
import { readBucketCors, sameCors, writeBucketCors } from "./cors.js";
import { describeS3Error, type S3Endpoint, type S3Factory, s3Settings } from "./s3-client.js";
import type { BucketKeySpec, BucketSpec } from "./types.js";
import { validateBucketSpecs } from "./validate.js";

type BucketInfo = GarageAdminSchemas["GetBucketInfoResponse"];
type Perm = { read: boolean; write: boolean; owner: boolean };

/** Options of {@link provisionBuckets}. */
export interface ProvisionOptions {
  /** Garage's S3 API (for CORS), e.g. a local tunnel to port 3900 of a storage node. */
  s3: S3Endpoint;
  /** Website settings of public buckets. */
  website?: {
    /** Index document. Default `index.html`. */
    indexDocument?: string;
    /** Error document. Default none. */
    errorDocument?: string;
  };
}

/** One thing {@link provisionBuckets} changed. */
export type ProvisionAction =
  | "bucket-created"
  | "key-imported"
  | "key-renamed"
  | "permissions-granted"
  | "permissions-revoked"
  | "website-enabled"
  | "website-disabled"
  | "quotas-updated"
  | "cors-set"
  | "cors-removed";

/** What {@link provisionBuckets} did to one bucket. */
export interface BucketProvisionReport {
  /** Bucket name (global alias). */
  bucket: string;
  /** Garage's bucket id. */
  bucketId: string;
  /** Access key id of the bucket's key. */
  accessKeyId: string;
  /** What was changed, in order; empty when the bucket was already as wanted. */
  actions: ProvisionAction[];
  /** True when anything was changed. */
  changed: boolean;
}

/** What {@link provisionBuckets} did. */
export interface ProvisionReport {
  /** True when any bucket changed. */
  changed: boolean;
  /** One report per bucket, in input order. */
  buckets: BucketProvisionReport[];
}

function isNotFound(error: unknown): boolean {
  return garageErrorStatus(error) === 404;
}

async function ensureBucket(client: GarageAdminClient, name: string, actions: ProvisionAction[]): Promise<BucketInfo> {
  try {
    return await client.getBucketInfo({ globalAlias: name });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const created = await client.createBucket({ globalAlias: name });
  actions.push("bucket-created");
  return created;
}

async function ensureKey(client: GarageAdminClient, key: BucketKeySpec, actions: ProvisionAction[]): Promise<void> {
  let existing: GarageAdminSchemas["GetKeyInfoResponse"] | undefined;
  try {
    existing = await client.getKeyInfo({ id: key.accessKeyId }, { showSecretKey: true });
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!existing) {
    try {
      await client.importKey({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, name: key.name });
    } catch (error) {
      if (garageErrorCode(error) === "KeyAlreadyExists") {
        throw new FediError(
          "STORAGE_FAILED",
          `Garage refuses to import key ${key.accessKeyId}: it knew that key id before (a deleted key id is never reused).`,
          {
            cause: error,
            hint: "Generate new credentials for this bucket's key (a new access key id) and deploy again.",
          },
        );
      }
      throw error;
    }
    actions.push("key-imported");
    return;
  }
  if (existing.secretAccessKey !== key.secretAccessKey) {
    throw new FediError(
      "STORAGE_FAILED",
      `Garage already has key ${key.accessKeyId} with a different secret; Garage cannot change the secret of a key.`,
      {
        hint: "Use the secret stored in the deployment state, or generate a new access key id for this bucket and deploy again.",
      },
    );
  }
  if (existing.name !== key.name) {
    await client.updateKey(key.accessKeyId, { name: key.name });
    actions.push("key-renamed");
  }
}

function currentPerm(info: BucketInfo, accessKeyId: string): Perm {
  const p = info.keys.find((k) => k.accessKeyId === accessKeyId)?.permissions ?? {};
  return { read: p.read === true, write: p.write === true, owner: p.owner === true };
}

async function ensurePermissions(
  client: GarageAdminClient,
  info: BucketInfo,
  accessKeyId: string,
  wanted: Perm,
  actions: ProvisionAction[],
): Promise<void> {
  const has = currentPerm(info, accessKeyId);
  const grant = {
    read: wanted.read && !has.read,
    write: wanted.write && !has.write,
    owner: wanted.owner && !has.owner,
  };
  const revoke = {
    read: !wanted.read && has.read,
    write: !wanted.write && has.write,
    owner: !wanted.owner && has.owner,
  };
  if (grant.read || grant.write || grant.owner) {
    await client.allowBucketKey({ bucketId: info.id, accessKeyId, permissions: grant });
    actions.push("permissions-granted");
  }
  if (revoke.read || revoke.write || revoke.owner) {
    await client.denyBucketKey({ bucketId: info.id, accessKeyId, permissions: revoke });
    actions.push("permissions-revoked");
  }
}

async function ensureBucketSettings(
  client: GarageAdminClient,
  info: BucketInfo,
  spec: BucketSpec,
  options: ProvisionOptions,
  actions: ProvisionAction[],
): Promise<void> {
  const body: GarageAdminSchemas["UpdateBucketRequestBody"] = {};
  const indexDocument = options.website?.indexDocument ?? "index.html";
  const errorDocument = options.website?.errorDocument ?? null;
  if (spec.public) {
    const wc = info.websiteConfig;
    const same =
      info.websiteAccess && wc?.indexDocument === indexDocument && (wc.errorDocument ?? null) === errorDocument;
    if (!same) {
      body.websiteAccess = { enabled: true, indexDocument, errorDocument };
      actions.push("website-enabled");
    }
  } else if (info.websiteAccess) {
    body.websiteAccess = { enabled: false };
    actions.push("website-disabled");
  }
  const wantedQuotas = { maxSize: spec.quotas?.maxSize ?? null, maxObjects: spec.quotas?.maxObjects ?? null };
  if (
    (info.quotas.maxSize ?? null) !== wantedQuotas.maxSize ||
    (info.quotas.maxObjects ?? null) !== wantedQuotas.maxObjects
  ) {
    body.quotas = wantedQuotas;
    actions.push("quotas-updated");
  }
  if (body.websiteAccess !== undefined || body.quotas !== undefined) await client.updateBucket(info.id, body);
}

async function ensureCors(
  s3Factory: S3Factory,
  spec: BucketSpec,
  options: ProvisionOptions,
  actions: ProvisionAction[],
) {
  const wanted = spec.cors;
  if (wanted === undefined) return;
  let s3: S3Client | undefined;
  let step = "GetBucketCors";
  try {
    s3 = s3Factory(s3Settings(options.s3, spec.key));
    const current = await readBucketCors(s3, spec.name);
    if (sameCors(current, wanted)) return;
    step = wanted.length === 0 ? "DeleteBucketCors" : "PutBucketCors";
    await writeBucketCors(s3, spec.name, wanted);
    actions.push(wanted.length === 0 ? "cors-removed" : "cors-set");
  } catch (error) {
    if (isFediError(error)) throw error;
    throw new FediError(
      "STORAGE_FAILED",
      `S3 ${step} on bucket "${spec.name}" failed: ${describeS3Error(error, [spec.key.secretAccessKey])}`,
      {
        hint: "Check the S3 endpoint (and its tunnel), the region (Garage's s3_region) and that the key owns the bucket.",
        details: { bucket: spec.name, step },
      },
    );
  } finally {
    s3?.destroy();
  }
}

/**
 * Makes Garage hold the given buckets, idempotently. For each bucket: creates it under its global alias if missing;
 * imports its key with the SDK-generated credentials (ImportKey; nothing when the key exists with the same secret,
 * an error when the secret differs, since Garage cannot change it); grants the key read and write, plus owner when
 * CORS is managed (revoking flags that are not wanted); enables website access for public buckets (disables it for
 * the others); sets the quotas; and, when `cors` is given, sets CORS through S3 (PutBucketCors with the bucket's own
 * key) only when GetBucketCors shows different rules. A second run with the same input changes nothing, makes no
 * write call, and reports `changed: false`.
 *
 * Invalid input throws `FediError("PLUGIN_OPTIONS_INVALID")` before any call; Garage or S3 failures throw
 * `FediError("STORAGE_FAILED")`. Secrets never appear in reports or errors.
 */
export async function provisionBuckets(
  client: GarageAdminClient,
  s3Factory: S3Factory,
  buckets: readonly BucketSpec[],
  options: ProvisionOptions,
): Promise<ProvisionReport> {
  validateBucketSpecs(buckets);
  const keysDone = new Set<string>();
  const reports: BucketProvisionReport[] = [];
  for (const spec of buckets) {
    const actions: ProvisionAction[] = [];
    const info = await ensureBucket(client, spec.name, actions);
    if (!keysDone.has(spec.key.accessKeyId)) {
      await ensureKey(client, spec.key, actions);
      keysDone.add(spec.key.accessKeyId);
    }
    const wanted: Perm = { read: true, write: true, owner: spec.cors !== undefined };
    await ensurePermissions(client, info, spec.key.accessKeyId, wanted, actions);
    await ensureBucketSettings(client, info, spec, options, actions);
    await ensureCors(s3Factory, spec, options, actions);
    reports.push({
      bucket: spec.name,
      bucketId: info.id,
      accessKeyId: spec.key.accessKeyId,
      actions,
      changed: actions.length > 0,
    });
  }
  return { changed: reports.some((r) => r.changed), buckets: reports };
}
