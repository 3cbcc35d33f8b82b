import { createHash, randomBytes } from "node:crypto";
import type { BucketKeySpec } from "../../src/runtime.js";

/** A deterministic full node id (64 hex) for test node `n`. */
export function nodeId(n: number): string {
  return createHash("sha256").update(`node-${n}`).digest("hex");
}

/** Fresh Garage-format key credentials. */
export function freshKey(name: string): BucketKeySpec {
  return {
    name,
    accessKeyId: `GK${randomBytes(12).toString("hex")}`,
    secretAccessKey: randomBytes(32).toString("hex"),
  };
}

/** A random admin token. */
export function freshToken(): string {
  return randomBytes(24).toString("base64url");
}
