/**
 * Starts a real S3 server (s3rver 3.7) on 127.0.0.1 with a random port and a temporary directory.
 * s3rver accepts only access keys registered on its account (S3RVER/S3RVER by default); the tests register the
 * Garage-format keys of their buckets. It checks AWS signature v2 only and does not enforce per-bucket permissions.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import S3rver from "s3rver";
import AWSAccount from "s3rver/lib/models/account.js";

/** A running s3rver. */
export interface RunningS3rver {
  /** S3 endpoint URL. */
  endpoint: string;
  /** Stops it and removes its directory. */
  close(): Promise<void>;
}

/** Starts s3rver with the given buckets and keys. */
export async function startS3rver(opts: {
  buckets: string[];
  keys: Array<{ accessKeyId: string; secretAccessKey: string }>;
}): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), "s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: opts.buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  for (const key of opts.keys) AWSAccount.DUMMY_ACCOUNT.createKeyPair(key.accessKeyId, key.secretAccessKey);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const key of opts.keys) AWSAccount.DUMMY_ACCOUNT.revokeAccessKey(key.accessKeyId);
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
