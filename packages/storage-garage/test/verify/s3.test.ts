import { PutBucketCorsCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BucketSpec,
  type CorsRule,
  createGarageAdminClient,
  defaultS3Factory,
  type GarageAdminClient,
  httpTransport,
  provisionBuckets,
  readBucketCors,
  s3Settings,
  toS3CorsRules,
  verifyBuckets,
} from "../../src/runtime.js";
import { type GarageAdminDouble, startGarageAdminDouble } from "../doubles/garage-admin-double.js";
import { freshKey, freshToken, nodeId } from "../support/fixtures.js";
import { recordingS3Factory } from "../support/recording-s3.js";
import { type RunningS3rver, startS3rver } from "../support/s3rver.js";

const MEDIA_CORS: CorsRule[] = [
  { allowedHeaders: ["*"], allowedMethods: ["GET", "HEAD"], allowedOrigins: ["*"], maxAgeSeconds: 3000 },
];

describe("provisioning and verification through a real S3 server (s3rver)", () => {
  const token = freshToken();
  const mediaKey = freshKey("media");
  const plainKey = freshKey("plain");
  const driftKey = freshKey("drift");
  const buckets: BucketSpec[] = [
    { name: "media", public: true, cors: MEDIA_CORS, key: mediaKey },
    { name: "plain", public: false, key: plainKey },
  ];
  let s3rver: RunningS3rver;
  let double: GarageAdminDouble;
  let client: GarageAdminClient;

  beforeAll(async () => {
    s3rver = await startS3rver({ buckets: ["media", "plain", "drift"], keys: [mediaKey, plainKey, driftKey] });
    double = await startGarageAdminDouble({ token, nodes: [{ id: nodeId(1) }] });
    client = createGarageAdminClient({ transport: httpTransport(double.url), token });
  });
  afterAll(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
    await s3rver.close();
  });

  it("sets CORS exactly once, with the bucket's own owner key, in Garage's region and path style", async () => {
    const s3 = { endpoint: s3rver.endpoint };
    const first = recordingS3Factory();
    const report = await provisionBuckets(client, first.factory, buckets, { s3 });
    expect(report.buckets[0]?.actions).toEqual([
      "bucket-created",
      "key-imported",
      "permissions-granted",
      "website-enabled",
      "cors-set",
    ]);
    expect(first.commands).toEqual(["GetBucketCors", "PutBucketCors"]);
    expect(first.settings).toEqual([
      {
        endpoint: s3rver.endpoint,
        region: "garage",
        forcePathStyle: true,
        credentials: { accessKeyId: mediaKey.accessKeyId, secretAccessKey: mediaKey.secretAccessKey },
      },
    ]);
    expect(double.keyPermissions(mediaKey.accessKeyId, "media")).toEqual({ read: true, write: true, owner: true });
    expect(double.keyPermissions(plainKey.accessKeyId, "plain")).toEqual({ read: true, write: true, owner: false });

    const stored = defaultS3Factory(s3Settings(s3, mediaKey));
    expect(await readBucketCors(stored, "media")).toEqual(MEDIA_CORS.map((r) => ({ ...r })));
    stored.destroy();

    double.clearCalls();
    const second = recordingS3Factory();
    const again = await provisionBuckets(client, second.factory, buckets, { s3 });
    expect(again.changed).toBe(false);
    expect(second.commands).toEqual(["GetBucketCors"]);
    expect(double.writeCalls()).toEqual([]);
  });

  it("verifies with a canary round trip and matching CORS, without secrets in the report", async () => {
    const report = await verifyBuckets(defaultS3Factory, buckets, { s3: { endpoint: s3rver.endpoint } });
    expect(report.ok).toBe(true);
    expect(report.buckets.map((b) => [b.bucket, b.ok, b.checks.map((c) => `${c.name}:${c.ok}`)])).toEqual([
      ["media", true, ["put-object:true", "get-object:true", "delete-object:true", "cors:true"]],
      ["plain", true, ["put-object:true", "get-object:true", "delete-object:true"]],
    ]);
    const text = JSON.stringify(report);
    expect(text).not.toContain(mediaKey.secretAccessKey);
    expect(text).not.toContain(plainKey.secretAccessKey);
  });

  it("reports not ok for a bucket whose CORS differs from the wanted rules", async () => {
    const s3 = { endpoint: s3rver.endpoint };
    const drifted = defaultS3Factory(s3Settings(s3, driftKey));
    await drifted.send(
      new PutBucketCorsCommand({
        Bucket: "drift",
        CORSConfiguration: {
          CORSRules: toS3CorsRules([{ allowedOrigins: ["https://evil.example"], allowedMethods: ["PUT"] }]),
        },
      }),
    );
    drifted.destroy();
    const spec: BucketSpec = { name: "drift", public: false, cors: MEDIA_CORS, key: driftKey };
    const report = await verifyBuckets(defaultS3Factory, [spec], { s3 });
    expect(report.ok).toBe(false);
    const bucket = report.buckets[0];
    expect(bucket?.ok).toBe(false);
    expect(bucket?.checks.filter((c) => !c.ok)).toEqual([
      { name: "cors", ok: false, message: "CORS differs from the wanted rules (1 rule(s) set, 1 wanted)" },
    ]);
  });

  it("reports a failed canary write with the S3 error and no secret", async () => {
    const stranger = freshKey("stranger");
    const spec: BucketSpec = { name: "plain", public: false, key: stranger };
    const report = await verifyBuckets(defaultS3Factory, [spec], { s3: { endpoint: s3rver.endpoint } });
    expect(report.ok).toBe(false);
    const checks = report.buckets[0]?.checks ?? [];
    expect(checks[0]).toMatchObject({ name: "put-object", ok: false });
    expect(checks[0]?.message).toContain("InvalidAccessKeyId");
    expect(checks.slice(1).map((c) => c.message)).toEqual([
      "not run: the canary object could not be written",
      "not run: the canary object could not be written",
    ]);
    expect(JSON.stringify(report)).not.toContain(stranger.secretAccessKey);
  });

  it("turns an S3 failure during provisioning into STORAGE_FAILED naming the step, without the secret", async () => {
    const stranger = freshKey("stranger2");
    const spec: BucketSpec = { name: "media", public: true, cors: MEDIA_CORS, key: stranger };
    const error = await provisionBuckets(client, defaultS3Factory, [spec], { s3: { endpoint: s3rver.endpoint } }).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).toBe("STORAGE_FAILED");
    expect(error?.message).toContain('S3 GetBucketCors on bucket "media" failed: InvalidAccessKeyId');
    expect(error?.message).not.toContain(stranger.secretAccessKey);
  });
});
