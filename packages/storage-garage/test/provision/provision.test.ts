import { FediError } from "@fediversity/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type BucketSpec,
  createGarageAdminClient,
  type GarageAdminClient,
  httpTransport,
  provisionBuckets,
  type S3Factory,
} from "../../src/runtime.js";
import { type GarageAdminDouble, startGarageAdminDouble } from "../doubles/garage-admin-double.js";
import { freshKey, freshToken, nodeId } from "../support/fixtures.js";

/** These buckets have no `cors`, so S3 must never be used. */
const noS3: S3Factory = () => {
  throw new Error("S3 must not be used for buckets without CORS");
};
const opts = { s3: { endpoint: "http://127.0.0.1:9" } };

async function rejection(promise: Promise<unknown>): Promise<FediError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FediError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("provisionBuckets against the admin double", () => {
  const token = freshToken();
  let double: GarageAdminDouble;
  let client: GarageAdminClient;

  beforeEach(async () => {
    double = await startGarageAdminDouble({ token, nodes: [{ id: nodeId(1) }] });
    client = createGarageAdminClient({ transport: httpTransport(double.url), token });
  });
  afterEach(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
  });

  it("creates buckets and keys once; a second run changes nothing and makes no write call", async () => {
    const media = freshKey("mastodon-media");
    const backups = freshKey("backups");
    const buckets: BucketSpec[] = [
      { name: "mastodon-media", public: true, quotas: { maxSize: 10_000_000 }, key: media },
      { name: "backups", public: false, key: backups },
    ];
    const first = await provisionBuckets(client, noS3, buckets, opts);
    expect(first.changed).toBe(true);
    expect(first.buckets.map((b) => [b.bucket, b.actions])).toEqual([
      [
        "mastodon-media",
        ["bucket-created", "key-imported", "permissions-granted", "website-enabled", "quotas-updated"],
      ],
      ["backups", ["bucket-created", "key-imported", "permissions-granted"]],
    ]);
    expect(double.bucket("mastodon-media")).toMatchObject({
      website: { indexDocument: "index.html", errorDocument: null },
      quotas: { maxSize: 10_000_000, maxObjects: null },
    });
    expect(double.bucket("backups")?.website).toBeNull();
    expect(double.keyPermissions(media.accessKeyId, "mastodon-media")).toEqual({
      read: true,
      write: true,
      owner: false,
    });
    expect(double.keyPermissions(media.accessKeyId, "backups")).toEqual({ read: false, write: false, owner: false });
    const imported = double.writeCalls().filter((c) => c.operation === "ImportKey");
    expect(imported.map((c) => (c.body as { name: string }).name)).toEqual(["mastodon-media", "backups"]);

    double.clearCalls();
    const second = await provisionBuckets(client, noS3, buckets, opts);
    expect(second.changed).toBe(false);
    expect(second.buckets.every((b) => !b.changed && b.actions.length === 0)).toBe(true);
    expect(second.buckets.map((b) => b.bucketId)).toEqual(first.buckets.map((b) => b.bucketId));
    expect(double.writeCalls()).toEqual([]);
    expect(double.calls.map((c) => c.operation)).toEqual([
      "GetBucketInfo",
      "GetKeyInfo",
      "GetBucketInfo",
      "GetKeyInfo",
    ]);
    expect(JSON.stringify([first, second])).not.toContain(media.secretAccessKey);
  });

  it("converges a bucket changed by hand: website off, quotas removed, extra permission revoked, key renamed", async () => {
    const key = freshKey("app");
    const spec: BucketSpec = { name: "app-data", public: true, quotas: { maxObjects: 5 }, key };
    await provisionBuckets(client, noS3, [spec], opts);
    const bucketId = double.bucket("app-data")?.id as string;
    await client.allowBucketKey({ bucketId, accessKeyId: key.accessKeyId, permissions: { owner: true } });
    await client.updateKey(key.accessKeyId, { name: "renamed by hand" });
    double.clearCalls();

    const report = await provisionBuckets(client, noS3, [{ ...spec, public: false, quotas: undefined }], opts);
    expect(report.buckets[0]?.actions).toEqual([
      "key-renamed",
      "permissions-revoked",
      "website-disabled",
      "quotas-updated",
    ]);
    expect(double.bucket("app-data")).toMatchObject({ website: null, quotas: { maxSize: null, maxObjects: null } });
    expect(double.keyPermissions(key.accessKeyId, "app-data")).toEqual({ read: true, write: true, owner: false });
    const update = double.writeCalls().find((c) => c.operation === "UpdateBucket");
    expect(update?.query).toEqual({ id: bucketId });
    expect(update?.body).toEqual({ websiteAccess: { enabled: false }, quotas: { maxSize: null, maxObjects: null } });
  });

  it("shares one key between buckets and imports it once", async () => {
    const key = freshKey("shared");
    const report = await provisionBuckets(
      client,
      noS3,
      [
        { name: "one-bucket", public: false, key },
        { name: "two-bucket", public: false, key },
      ],
      opts,
    );
    expect(report.buckets.map((b) => b.actions)).toEqual([
      ["bucket-created", "key-imported", "permissions-granted"],
      ["bucket-created", "permissions-granted"],
    ]);
  });

  it("refuses a key that exists with another secret, without revealing either secret", async () => {
    const key = freshKey("taken");
    const other = freshKey("other").secretAccessKey;
    double.seedKey(key.accessKeyId, other, "taken");
    const error = await rejection(provisionBuckets(client, noS3, [{ name: "taken-bucket", public: false, key }], opts));
    expect(error.code).toBe("STORAGE_FAILED");
    expect(error.message).toContain(key.accessKeyId);
    expect(error.message).toContain("different secret");
    const text = JSON.stringify({ m: error.message, h: error.hint, d: error.describe() });
    expect(text).not.toContain(key.secretAccessKey);
    expect(text).not.toContain(other);
  });

  it("explains that Garage never reuses a deleted key id", async () => {
    const key = freshKey("gone");
    await client.importKey({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey });
    await client.deleteKey(key.accessKeyId);
    const error = await rejection(provisionBuckets(client, noS3, [{ name: "gone-bucket", public: false, key }], opts));
    expect(error.code).toBe("STORAGE_FAILED");
    expect(error.message).toContain("a deleted key id is never reused");
    expect(error.hint).toMatch(/new credentials/);
  });

  it("rejects invalid bucket specs before any call, listing every field and never a secret", async () => {
    const good = freshKey("k");
    const badSecret = `not-hex-${"z".repeat(56)}`;
    const error = await rejection(
      provisionBuckets(
        client,
        noS3,
        [
          { name: "Bad_Name", public: false, key: { ...good, secretAccessKey: badSecret } },
          {
            name: "ok-name",
            public: false,
            quotas: { maxSize: -1 },
            key: { ...good, accessKeyId: "AKIAIOSFODNN7EXAMPLE" },
          },
          { name: "cors-bucket", public: true, cors: [{ allowedOrigins: [], allowedMethods: ["FETCH"] }], key: good },
        ],
        opts,
      ),
    );
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual([
      "buckets[0].name",
      "buckets[0].key.secretAccessKey",
      "buckets[1].key.accessKeyId",
      "buckets[1].quotas.maxSize",
      "buckets[2].cors[0].allowedOrigins",
      "buckets[2].cors[0].allowedMethods",
    ]);
    expect(JSON.stringify(error.toJSON())).not.toContain(badSecret);
    expect(double.calls).toEqual([]);
  });
});
