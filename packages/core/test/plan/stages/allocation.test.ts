import { describe, expect, it } from "vitest";
import { stagesOf } from "./later-stages.js";
import { twoMachines } from "./spec.js";

describe("allocation stage", () => {
  it("allocates each instance's buckets, one S3 key and its secrets, then the storage secrets", () => {
    const { a } = stagesOf(twoMachines());
    expect(a.buckets.map((b) => [b.name, b.instance, b.key, b.publicUrl])).toEqual([
      ["demo-social-media", "social", "demo-social", "http://10.0.0.1:3902/demo-social-media"],
    ]);
    expect(a.keys.map((k) => [k.name, k.buckets])).toEqual([["demo-social", ["demo-social-media"]]]);
    expect(a.secrets.map((s) => s.name)).toEqual([
      "social.app-key",
      "social.s3-access-key-id",
      "social.s3-secret-key",
      "storage.rpc-secret",
    ]);
    expect(a.secretsOf.get("jobs")).toBeUndefined();
    expect(a.instanceBuckets.get("social")?.map((b) => b.id)).toEqual(["media"]);
    expect(a.storageContext.buckets.map((b) => [b.name, b.public])).toEqual([["demo-social-media", true]]);
  });

  it("gives an instance without buckets no key and no S3 secrets", () => {
    const spec = twoMachines();
    spec.services = [spec.services[1]];
    const { a } = stagesOf(spec);
    expect(a.keys).toEqual([]);
    expect(a.buckets).toEqual([]);
    expect(a.secrets.map((s) => s.name)).toEqual(["storage.rpc-secret"]);
  });
});
