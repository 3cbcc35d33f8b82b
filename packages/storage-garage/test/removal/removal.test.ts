// Garage's removal session (fedi prune): buckets are emptied through a real S3 server (s3rver) with the session's
// temporary key and then deleted through the admin API double, which refuses a non-empty bucket as Garage does
// (409 BucketNotEmpty); keys are deleted by exact name; the temporary key does not outlive the session.
import { ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { FediError, type StorageRemovalInput } from "@fediversity/core";
import AWSAccount from "s3rver/lib/models/account.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GarageOptions } from "../../src/options.js";
import {
  createGarageAdminClient,
  type GarageAdminClient,
  httpTransport,
  openGarageRemoval,
  REMOVAL_KEY_PREFIX,
  type S3Factory,
} from "../../src/runtime.js";
import { garageRuntime } from "../../src/runtime-operations.js";
import { type GarageAdminDouble, startGarageAdminDouble } from "../doubles/garage-admin-double.js";
import { freshKey, freshToken, nodeId } from "../support/fixtures.js";
import { recordingS3Factory } from "../support/recording-s3.js";
import { type RunningS3rver, startS3rver } from "../support/s3rver.js";

/** s3rver's built-in account key, for the test's own look at the server. */
const S3RVER_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

describe("Garage removal session", () => {
  const token = freshToken();
  let s3rver: RunningS3rver;
  let double: GarageAdminDouble;
  let admin: GarageAdminClient;
  let look: S3Client;
  /** Secrets of the temporary keys the session created (registered with s3rver as Garage would know them). */
  let tempSecrets: string[];
  let registered: string[];

  let recording: ReturnType<typeof recordingS3Factory>;
  /** The real client (recording its commands), after registering the key with s3rver (Garage knows its own keys). */
  const factory: S3Factory = (settings) => {
    AWSAccount.DUMMY_ACCOUNT.createKeyPair(settings.credentials.accessKeyId, settings.credentials.secretAccessKey);
    registered.push(settings.credentials.accessKeyId);
    tempSecrets.push(settings.credentials.secretAccessKey);
    return recording.factory(settings);
  };

  const objectCount = async (bucket: string) =>
    (await look.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount ?? 0;

  beforeEach(async () => {
    tempSecrets = [];
    registered = [];
    recording = recordingS3Factory();
    s3rver = await startS3rver({ buckets: ["old-media", "keep-me"], keys: [] });
    look = new S3Client({
      endpoint: s3rver.endpoint,
      region: "garage",
      forcePathStyle: true,
      credentials: S3RVER_KEY,
    });
    double = await startGarageAdminDouble({
      token,
      nodes: [{ id: nodeId(1) }],
      // Garage's is_bucket_empty, answered from the real S3 server.
      isBucketEmpty: async (aliases) => (await objectCount(aliases[0]!)) === 0,
    });
    admin = createGarageAdminClient({ transport: httpTransport(double.url), token });
    for (const name of ["old-media", "keep-me"]) await admin.createBucket({ globalAlias: name });
    const k = freshKey("old-social");
    double.seedKey(k.accessKeyId, k.secretAccessKey, "old-social");
    const other = freshKey("old-social-2");
    double.seedKey(other.accessKeyId, other.secretAccessKey, "old-social-2");
    for (let i = 0; i < 7; i++) {
      await look.send(new PutObjectCommand({ Bucket: "old-media", Key: `media/${i}.png`, Body: `object ${i}` }));
    }
    await look.send(new PutObjectCommand({ Bucket: "keep-me", Key: "stays.txt", Body: "stays" }));
  });

  afterEach(async () => {
    expect(double.violations).toEqual([]);
    for (const id of registered) AWSAccount.DUMMY_ACCOUNT.revokeAccessKey(id);
    look.destroy();
    await double.close();
    await s3rver.close();
  });

  const keyNames = async () => (await admin.listKeys()).map((k) => k.name).sort();

  it("empties the bucket page by page, deletes it and the key by exact name; a second run finds both absent", async () => {
    const removal = await openGarageRemoval(admin, {
      s3: { endpoint: s3rver.endpoint },
      s3Factory: factory,
      pageSize: 3,
    });
    expect(await removal.deleteBucket("old-media")).toBe("deleted");
    expect(await removal.deleteKey("old-social")).toBe("deleted");
    expect(double.bucket("old-media")).toBeUndefined();
    expect(double.bucket("keep-me")).toBeDefined();
    expect(await objectCount("old-media")).toBe(0);
    expect(await objectCount("keep-me")).toBe(1);
    // 7 objects in pages of 3: three delete rounds, then a listing that finds nothing; then the upload listing
    // (s3rver has none: NotImplemented, taken as no unfinished upload).
    expect(recording.commands).toEqual([
      ...Array(3).fill(["ListObjects", "DeleteObjects"]).flat(),
      "ListObjects",
      "ListMultipartUploads",
    ]);
    expect(recording.settings.map((x) => x.credentials.accessKeyId)).toEqual([registered[0]]);
    const ops = double.calls.map((c) => c.operation);
    expect(ops.filter((o) => o === "CreateKey")).toHaveLength(1);
    expect(ops.slice(-2)).toEqual(["ListKeys", "DeleteKey"]);
    const allowed = double.calls.find((c) => c.operation === "AllowBucketKey")?.body as { permissions: object };
    expect(allowed.permissions).toEqual({ read: true, write: true, owner: true });

    expect(await removal.deleteBucket("old-media")).toBe("absent");
    expect(await removal.deleteKey("old-social")).toBe("absent");
    expect((await keyNames()).filter((n) => n.startsWith(REMOVAL_KEY_PREFIX))).toHaveLength(1);
    await removal.close();
    await removal.close();
    expect(await keyNames()).toEqual(["old-social-2"]);
  });

  it("deletes the temporary keys an earlier, killed session left", async () => {
    const stale = freshKey("stale");
    double.seedKey(stale.accessKeyId, stale.secretAccessKey, `${REMOVAL_KEY_PREFIX}0123456789ab`);
    const removal = await openGarageRemoval(admin, { s3: { endpoint: s3rver.endpoint }, s3Factory: factory });
    expect(await keyNames()).toEqual(["old-social", "old-social-2"]);
    await removal.close();
    // No bucket was deleted, so no temporary key was ever made.
    expect(double.calls.some((c) => c.operation === "CreateKey")).toBe(false);
  });

  it("says which bucket is still not empty when something keeps writing to it, without a secret", async () => {
    let writes = 0;
    const racing: S3Factory = (settings) => {
      const client = factory(settings);
      const send = client.send.bind(client);
      // A service still writing: after each delete round, one more object appears.
      client.send = (async (command: Parameters<typeof send>[0]) => {
        const out = await send(command);
        if (command.constructor.name === "DeleteObjectsCommand" && writes++ < 1) {
          await look.send(new PutObjectCommand({ Bucket: "old-media", Key: "late.png", Body: "late" }));
        }
        return out;
      }) as typeof client.send;
      return client;
    };
    const removal = await openGarageRemoval(admin, { s3: { endpoint: s3rver.endpoint }, s3Factory: racing });
    // The late object is found by the next listing round and deleted too.
    expect(await removal.deleteBucket("old-media")).toBe("deleted");
    expect(await objectCount("old-media")).toBe(0);
    await removal.close();

    // A bucket that refills between emptying and DeleteBucket: Garage's 409 becomes a clear error.
    const stubborn = await startGarageAdminDouble({ token, nodes: [{ id: nodeId(1) }], isBucketEmpty: () => false });
    try {
      const stubbornAdmin = createGarageAdminClient({ transport: httpTransport(stubborn.url), token });
      await stubbornAdmin.createBucket({ globalAlias: "keep-me" });
      const session = await openGarageRemoval(stubbornAdmin, { s3: { endpoint: s3rver.endpoint }, s3Factory: factory });
      const error = await session.deleteBucket("keep-me").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FediError);
      expect(error).toMatchObject({
        code: "STORAGE_FAILED",
        message: "Bucket 'keep-me' is still not empty after its objects were deleted.",
      });
      for (const secret of [token, ...tempSecrets]) expect(JSON.stringify(error)).not.toContain(secret);
      await session.close();
      expect(stubborn.violations).toEqual([]);
    } finally {
      await stubborn.close();
    }
  });

  it("is the plugin runtime's removal: one admin and one S3 tunnel to the first node, closed with the session", async () => {
    const opened: string[] = [];
    const closed: string[] = [];
    const options = GarageOptions.parse({ ports: { admin: 3903, s3: 3900 } });
    const node = (name: string) => ({
      machine: { name, host: "10.0.0.1", system: "x86_64-linux", cpus: 2, memoryMiB: 4096, diskGiB: 100, roles: [] },
      zone: "z",
      capacityBytes: 1,
    });
    const input: StorageRemovalInput<GarageOptions> = {
      options,
      nodes: [node("st1"), node("st2")],
      secret: async () => token,
      tunnel: async (machine, port) => {
        opened.push(`${machine}:${port}`);
        const url = port === options.ports.admin ? double.url : s3rver.endpoint;
        return { url, close: async () => void closed.push(`${machine}:${port}`) };
      },
      progress: () => {},
    };
    const removal = await garageRuntime().removal!(input);
    expect(opened).toEqual(["st1:3903", "st1:3900"]);
    expect(await removal.deleteKey("old-social")).toBe("deleted");
    await removal.close();
    await removal.close();
    expect(closed.sort()).toEqual(["st1:3900", "st1:3903"]);
  });
});
