import { FediError } from "../../errors.js";
import type { AllocatedBucket, StorageContext } from "../../plugin/types.js";
import type { SecretDeclaration } from "../../secrets/types.js";
import { bucketName, isValidBucketName, secretName } from "../allocate.js";
import type { PlannedBucket, PlannedKey } from "../types.js";
import type { Placed } from "./placement.js";
import { checkUnique, contract } from "./plugin-call.js";
import type { Requirements } from "./requirements.js";
import type { ValidatedInput } from "./validate.js";

/** What the allocation stage hands on: the buckets, S3 keys and secrets of the deployment. */
export interface Allocation {
  /** Every secret (names and generators), in allocation order (instances in spec order, then storage). */
  secrets: SecretDeclaration[];
  /** Every bucket, in allocation order. */
  buckets: PlannedBucket[];
  /** Every S3 key, one per instance with buckets, in allocation order. */
  keys: PlannedKey[];
  /** The buckets of each instance that has any, as its plugin sees them. */
  instanceBuckets: Map<string, AllocatedBucket[]>;
  /** Secret names by owner (instance name or `storage`). */
  secretsOf: Map<string, string[]>;
  /** The full storage context (with buckets), for the storage plugin's modules, DNS and checks. */
  storageContext: StorageContext;
}

/**
 * Stage 4: allocates each instance's buckets (global names, public URLs), its S3 key and their secrets, and the
 * secrets the plugins declare; checks names are valid and unique.
 * @throws FediError `ALLOCATION_CONFLICT`, `PLUGIN_CONTRACT`.
 */
export function allocationStage(v: ValidatedInput, r: Requirements, p: Placed): Allocation {
  const { spec, storage } = v;
  const secrets: SecretDeclaration[] = [];
  const buckets: PlannedBucket[] = [];
  const keys: PlannedKey[] = [];
  const bucketOwner = new Map<string, string>();
  const instanceBuckets = new Map<string, AllocatedBucket[]>();
  spec.services.forEach((svc, index) => {
    const req = r.services[index]!;
    for (const s of req.secrets ?? []) secrets.push({ name: secretName(svc.name, s.id), generate: s.generate });
    const needs = req.buckets ?? [];
    if (needs.length === 0) return;
    const keyName = `${spec.name}-${svc.name}`;
    const allocated: AllocatedBucket[] = [];
    for (const need of needs) {
      const name = bucketName(spec.name, svc.name, need.id);
      if (!isValidBucketName(name))
        throw contract(`service plugin '${svc.kind}'`, `bucket id '${need.id}' gives invalid name '${name}'`);
      const owner = bucketOwner.get(name);
      if (owner) {
        throw new FediError(
          "ALLOCATION_CONFLICT",
          `Bucket name '${name}' is claimed by '${owner}' and '${svc.name}'.`,
          {
            issues: [{ path: `services[${index}].name`, message: `bucket '${name}' collides` }],
            hint: "Rename one of the instances.",
          },
        );
      }
      bucketOwner.set(name, svc.name);
      const publicUrl = need.public ? storage.plugin.publicUrl(name, storage.options, p.storageContext) : undefined;
      allocated.push({ id: need.id, name, public: need.public, ...(publicUrl ? { publicUrl } : {}) });
      buckets.push({
        name,
        id: need.id,
        instance: svc.name,
        public: need.public,
        ...(publicUrl ? { publicUrl } : {}),
        ...(need.cors ? { cors: need.cors } : {}),
        ...(need.virtualHost ? { virtualHost: true } : {}),
        ...(need.quotas ? { quotas: need.quotas } : {}),
        key: keyName,
      });
    }
    instanceBuckets.set(svc.name, allocated);
    const accessKeyIdSecret = secretName(svc.name, "s3-access-key-id");
    const secretKeySecret = secretName(svc.name, "s3-secret-key");
    secrets.push({ name: accessKeyIdSecret, generate: { kind: "s3-access-key-id" } });
    secrets.push({ name: secretKeySecret, generate: { kind: "s3-secret-key" } });
    keys.push({
      name: keyName,
      instance: svc.name,
      accessKeyIdSecret,
      secretKeySecret,
      buckets: allocated.map((b) => b.name),
    });
  });
  for (const s of r.storage.secrets ?? []) secrets.push({ name: secretName("storage", s.id), generate: s.generate });
  checkUnique(
    secrets.map((s) => s.name),
    "secret",
  );
  const secretsOf = new Map<string, string[]>();
  for (const s of secrets) {
    const owner = s.name.slice(0, s.name.indexOf("."));
    secretsOf.set(owner, [...(secretsOf.get(owner) ?? []), s.name]);
  }
  return {
    secrets,
    buckets,
    keys,
    instanceBuckets,
    secretsOf,
    storageContext: {
      ...p.storageContext,
      buckets: buckets.map((b) => ({
        id: b.id,
        name: b.name,
        public: b.public,
        instance: b.instance,
        ...(b.publicUrl ? { publicUrl: b.publicUrl } : {}),
        ...(b.cors ? { cors: b.cors } : {}),
        ...(b.virtualHost ? { virtualHost: true } : {}),
      })),
    },
  };
}
