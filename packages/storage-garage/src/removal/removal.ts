import { randomBytes } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { FediError } from "@fediversity/core";
import { type GarageAdminClient, garageErrorCode } from "../admin/client.js";
import { describeS3Error, type S3Endpoint, type S3Factory, s3ErrorName, s3Settings } from "../provision/s3-client.js";

/**
 * Name prefix of the temporary keys a removal session creates to empty buckets. Keys with this prefix are the SDK's
 * own: a session deletes those an earlier, killed session left.
 */
export const REMOVAL_KEY_PREFIX = "fedi-prune-";

/** Options of {@link openGarageRemoval}. */
export interface GarageRemovalOptions {
  /** Garage's S3 API (e.g. a tunnel to a node's port 3900). */
  s3: S3Endpoint;
  /** Builds the S3 client for the temporary key. */
  s3Factory: S3Factory;
  /** Objects listed and deleted per request (S3 allows at most 1000). Default 1000. */
  pageSize?: number;
}

/** The session of {@link openGarageRemoval}. */
export interface GarageRemoval {
  /** Empties the bucket through S3 (objects, unfinished multipart uploads), then deletes it; `absent` if none. */
  deleteBucket(name: string): Promise<"deleted" | "absent">;
  /** Deletes every key with exactly this name; `absent` if there is none. */
  deleteKey(name: string): Promise<"deleted" | "absent">;
  /** Deletes the session's temporary key. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens a session that deletes buckets and keys of a Garage cluster through one node's admin API and S3 API.
 *
 * Garage's admin `DeleteBucket` refuses a bucket that holds objects or unfinished multipart uploads (HTTP 409
 * `BucketNotEmpty`: garage src/api/admin/bucket.rs, `handle_delete_bucket` checks `is_bucket_empty`; the status and
 * code in src/api/common/common_error.rs), and the admin API deletes no objects. So a bucket is emptied through S3
 * first, with a temporary key of the session (`CreateKey` named {@link REMOVAL_KEY_PREFIX}…, given read, write and
 * owner on the bucket by `AllowBucketKey`): objects are listed and deleted a page at a time (`DeleteObjects`),
 * unfinished uploads aborted, and the bucket deleted by id. The temporary key is deleted by {@link GarageRemoval.close};
 * opening a session first deletes the temporary keys an earlier session left (killed before it closed).
 * @throws FediError `STORAGE_FAILED` (from the admin client) when the admin API cannot be used.
 */
export async function openGarageRemoval(
  admin: GarageAdminClient,
  options: GarageRemovalOptions,
): Promise<GarageRemoval> {
  const pageSize = Math.min(Math.max(1, options.pageSize ?? 1000), 1000);
  for (const k of await admin.listKeys()) if (k.name.startsWith(REMOVAL_KEY_PREFIX)) await admin.deleteKey(k.id);

  let temp: Promise<{ id: string; s3: S3Client; secret: string }> | undefined;
  const tempKey = () => {
    temp ??= admin.createKey({ name: `${REMOVAL_KEY_PREFIX}${randomBytes(6).toString("hex")}` }).then((key) => {
      if (!key.secretAccessKey) {
        throw new FediError(
          "STORAGE_FAILED",
          "Garage created a temporary key for emptying buckets without its secret.",
          {
            hint: "Check that the admin API is Garage 2.x (CreateKey answers with the new key's secretAccessKey).",
          },
        );
      }
      const credentials = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
      return {
        id: key.accessKeyId,
        s3: options.s3Factory(s3Settings(options.s3, credentials)),
        secret: key.secretAccessKey,
      };
    });
    return temp;
  };

  return {
    async deleteBucket(name) {
      let bucketId: string;
      try {
        bucketId = (await admin.getBucketInfo({ globalAlias: name })).id;
      } catch (error) {
        if (garageErrorCode(error) === "NoSuchBucket") return "absent";
        throw error;
      }
      const key = await tempKey();
      await admin.allowBucketKey({
        bucketId,
        accessKeyId: key.id,
        permissions: { read: true, write: true, owner: true },
      });
      try {
        await emptyBucket(key.s3, name, pageSize);
        await abortUploads(key.s3, name);
      } catch (error) {
        if (error instanceof FediError) throw error;
        throw new FediError(
          "STORAGE_FAILED",
          `Bucket '${name}' could not be emptied: ${describeS3Error(error, [key.secret]).replace(/\.$/, "")}.`,
          {
            hint: "Check the S3 API of the storage node, then run `fedi prune` again (what was deleted stays deleted).",
          },
        );
      }
      try {
        await admin.deleteBucket(bucketId);
      } catch (error) {
        if (garageErrorCode(error) !== "BucketNotEmpty") throw error;
        throw new FediError("STORAGE_FAILED", `Bucket '${name}' is still not empty after its objects were deleted.`, {
          hint: "Something is still writing to it (a service using the bucket?). Stop it, then run `fedi prune` again.",
        });
      }
      return "deleted";
    },
    async deleteKey(name) {
      const matching = (await admin.listKeys()).filter((k) => k.name === name);
      for (const k of matching) await admin.deleteKey(k.id);
      return matching.length > 0 ? "deleted" : "absent";
    },
    async close() {
      const pending = temp;
      temp = undefined;
      if (!pending) return;
      const key = await pending.catch(() => undefined);
      if (!key) return;
      key.s3.destroy();
      await admin.deleteKey(key.id);
    },
  };
}

/**
 * Deletes every object of a bucket, a page at a time. Each round lists from the start (what the last round saw is
 * gone), so no continuation token is needed and the plain ListObjects (v1) does; Garage serves both versions
 * (src/api/s3/list.rs).
 */
async function emptyBucket(s3: S3Client, bucket: string, pageSize: number): Promise<void> {
  for (;;) {
    const page = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: pageSize }));
    const keys = (page.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [{ Key: o.Key }]));
    if (keys.length === 0) return;
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0]!;
      const reason = [first.Code, first.Message].filter(Boolean).join(" ") || "error";
      throw new FediError(
        "STORAGE_FAILED",
        `${failed.length} object(s) of bucket '${bucket}' could not be deleted (first: ${JSON.stringify(first.Key)}: ${reason}).`,
        { hint: "Run `fedi prune` again; if it persists, delete the objects with Garage's own tools." },
      );
    }
  }
}

/** Aborts every unfinished multipart upload of a bucket (they hold data and keep Garage from deleting it). */
async function abortUploads(s3: S3Client, bucket: string): Promise<void> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  for (;;) {
    const page = await s3
      .send(
        new ListMultipartUploadsCommand({
          Bucket: bucket,
          ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
          ...(uploadIdMarker !== undefined ? { UploadIdMarker: uploadIdMarker } : {}),
        }),
      )
      .catch((error: unknown) => {
        // An S3 server without multipart listing has no uploads to abort (Garage has it: src/api/s3/multipart.rs).
        if (s3ErrorName(error) === "NotImplemented") return { Uploads: [], IsTruncated: false } as const;
        throw error;
      });
    for (const u of page.Uploads ?? []) {
      if (u.Key === undefined || u.UploadId === undefined) continue;
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
    }
    if (!page.IsTruncated) return;
    keyMarker = page.NextKeyMarker;
    uploadIdMarker = page.NextUploadIdMarker;
    if (keyMarker === undefined && uploadIdMarker === undefined) return;
  }
}
