import type { z } from "zod";
import type { ServicePluginsOf, StoragePluginsOf } from "../plugin/typed-spec.js";
import type { CorsRule, DurableItem, HealthCheck, Plugin, ServiceRequirements } from "../plugin/types.js";
import type { SecretDeclaration, SecretFile } from "../secrets/types.js";
import type { MachineBase } from "./deployable.js";
import type { DnsRecord } from "./dns.js";

/** Schema version of {@link Plan}. Bumped on any incompatible change. */
export const PLAN_SCHEMA_VERSION = 1;

/** Where secret files are uploaded (root only) and where the installer puts them for the services. */
export const SECRET_DIRS = {
  /** Upload target on the machine: root-owned, 0700. */
  upload: "/var/lib/fediversity/secrets",
  /** Installed files, with the owner and mode each service needs. */
  installed: "/run/fediversity/secrets",
} as const;

/** A resource amount. */
export interface ResourceAmount {
  /** CPU cores. */
  cpus: number;
  /** Memory in MiB. */
  memoryMiB: number;
  /** Disk in GiB. */
  diskGiB: number;
}

/** A secret file on a machine (content by reference only). */
export interface PlannedSecretFile extends SecretFile {
  /** Absolute path where the installer puts it. */
  path: string;
  /** Who declared it: an instance name, or `storage`. */
  declaredBy: string;
  /** Units restarted (when running) after the file changed, sorted (the plugin's `restartUnits`, else `neededBy`). */
  restartUnits: string[];
  /** Oneshot units run again after the file changed, sorted. */
  rerunUnits: string[];
}

/** One machine in the plan. */
export interface PlannedMachine {
  /** Name. */
  name: string;
  /** Address. */
  host: string;
  /** Nix system. */
  system: string;
  /** Zone, if any. */
  zone?: string;
  /** SSH access (host key is public). */
  ssh: { user: string; port: number; hostPublicKey: string; identityFile?: string };
  /** What the base system module (`nix/fediversity-base.nix`) is given: host name, stateVersion, sshd, boot. */
  base: MachineBase;
  /** Effective roles. */
  roles: Array<"storage" | "services">;
  /** What the machine offers. */
  resources: ResourceAmount;
  /** What the plan uses of it (instances, storage, reserve). */
  used: ResourceAmount;
  /** Instance names on the machine, sorted. */
  instances: string[];
  /** Whether the machine is a storage node. */
  storageNode: boolean;
  /** Firewall TCP ports open to everyone, sorted. */
  tcpPorts: number[];
  /** Secret files on the machine, sorted by name. */
  secretFiles: PlannedSecretFile[];
  /**
   * Module files the machine imports: `source` as given in the spec (relative to the config's folder), `file` where
   * the renderer puts a copy in the deployment directory, `sha256` of the text the plan was made with.
   */
  nixosImports: Array<{ source: string; file: string; sha256: string }>;
  /** The machine's NixOS module (Nix text from the printer). */
  nixosModule: string;
  /** SHA-256 of `nixosModule` (what changed between plans). */
  configHash: string;
}

/** A bucket in the plan. */
export interface PlannedBucket {
  /** Global bucket name. */
  name: string;
  /** Plugin-local id. */
  id: string;
  /** Owning instance. */
  instance: string;
  /** Publicly readable. */
  public: boolean;
  /** Public URL base, when public. */
  publicUrl?: string;
  /** CORS rules. */
  cors?: CorsRule[];
  /** Virtual-host style access. */
  virtualHost?: boolean;
  /** Quotas. */
  quotas?: { maxSizeBytes?: number; maxObjects?: number };
  /** Name of the S3 key allowed on it. */
  key: string;
}

/** An S3 key in the plan (credentials by secret name). */
export interface PlannedKey {
  /** Key name in the storage backend. */
  name: string;
  /** Owning instance. */
  instance: string;
  /** Secret holding the access key id. */
  accessKeyIdSecret: string;
  /** Secret holding the secret access key. */
  secretKeySecret: string;
  /** Buckets it may use. */
  buckets: string[];
}

/**
 * One service instance in the plan. In a {@link Plan} typed by its plugins, `kind` is the plugin's literal kind and
 * `options` its options schema's output, so narrowing on `kind` types `options`.
 */
export interface PlannedInstance<Kind extends string = string, Options = unknown> {
  /** Name. */
  name: string;
  /** Plugin kind. */
  kind: Kind;
  /** Index in `spec.services` (for messages). */
  specIndex: number;
  /** Machine it runs on. */
  machine: string;
  /** Validated plugin options (non-secret by contract). */
  options: Options;
  /** What the plugin asked for. */
  requirements: ServiceRequirements;
  /** Domains. */
  domains: string[];
  /** Buckets (names). */
  buckets: string[];
  /** S3 key name, if any. */
  key?: string;
  /** How the instance reaches S3 (decided by the storage plugin for its machine), when it has buckets. */
  s3?: { endpoint: string; region: string; forcePathStyle: boolean; virtualHostRoot?: string };
  /** Secrets (global names). */
  secrets: string[];
  /** Health checks. */
  checks: HealthCheck[];
  /** Hash of the instance's contribution (options + module); changes when the instance changes. */
  fingerprint: string;
  /** Why the instance is where it is: `pinned`, `kept` (sticky), `placed`, `moved`. */
  placement: "pinned" | "kept" | "placed" | "moved";
  /** When moved: from where and why. */
  move?: { from: string; reason: string };
}

/** Something a removal leaves behind that the SDK will not delete on its own. */
export interface Leftover {
  /** What it is. */
  kind: "bucket" | "key" | "secret" | "data";
  /** Its name (a bucket, key or secret name; for data, the machine and service). */
  name: string;
  /** Machine, for data. */
  machine?: string;
  /**
   * The removed instance that left it (absent in states written before this was recorded, and for what a storage
   * node left: see `storage`).
   */
  instance?: string;
  /**
   * For what a machine kept when it stopped being a storage node (`StorageRequirements.keeps`): the storage plugin's
   * kind, e.g. `garage`. Such a leftover has `machine` and `durable` and no `instance`.
   */
  storage?: string;
  /** For data the plugin declared (`ServiceRequirements.keeps`): which database or directory it is. */
  durable?: DurableItem;
  /** For people: what is left and how to remove it. */
  note: string;
}

/** Difference between a plan and the previously applied state. */
export interface PlanDiff {
  /** True when nothing differs from what was applied. */
  upToDate: boolean;
  /** Instances that are new. */
  added: string[];
  /** Instances that are gone, with what they leave behind. */
  removed: Array<{ instance: string; kind: string; machine: string; leftovers: Leftover[] }>;
  /** Instances whose options or generated module changed. */
  changed: string[];
  /** Instances that move to another machine. */
  moved: Array<{ instance: string; from: string; to: string; reason: string }>;
  /** Machines whose NixOS configuration changed (the NixOps4 members to apply). */
  machinesChanged: string[];
  /** Machines that are new to the deployment. */
  machinesAdded: string[];
  /** Machines that left the spec (NixOps4 forgets them; nothing is undone on them). */
  machinesRemoved: string[];
  /**
   * Changes to which machines hold the storage backend's data, against the last apply (empty for a new deployment).
   * A plan has any only when storage changes were allowed (`PlanInput.allowStorageChanges`); apply asks first.
   */
  storageChanges: StorageChange[];
}

/** A machine that starts or stops holding the storage backend's data. */
export interface StorageChange {
  /** `node-added`: the machine becomes a storage node; `node-removed`: it stops being one (its data stays on it). */
  kind: "node-added" | "node-removed";
  /** The machine. */
  machine: string;
  /** For people: what happens to the data. */
  note: string;
  /**
   * For `node-removed` when the state records what the storage nodes keep (`StorageRequirements.keeps`): the
   * machine's metadata and data directories, which stay on it; the state records them (as leftovers with `storage`)
   * until `fedi prune` deletes them.
   */
  leftovers?: Leftover[];
}

/** The storage backend in the plan: kind, validated options, nodes. Typed like {@link PlannedInstance}. */
export interface PlannedStorage<Kind extends string = string, Options = unknown> {
  /** Storage plugin kind. */
  kind: Kind;
  /** Validated storage options. */
  options: Options;
  /** Storage nodes. */
  nodes: Array<{ machine: string; zone: string; capacityBytes: number }>;
  /** Storage nodes host no services. */
  exclusive: boolean;
  /** How many copies of each object the cluster keeps, when the backend reports it. */
  replicationFactor?: number;
  /** What every storage node keeps on its machine, when the plugin declares it (`StorageRequirements.keeps`). */
  keeps?: DurableItem[];
  /** Health checks per node. */
  checks: Array<{ machine: string; check: HealthCheck }>;
}

/**
 * A planned instance or storage of a plugin (distributes over a union of plugins): narrowed to the plugin's literal
 * kind with its validated options type, or the untyped form for a plugin whose kind is just `string`. Used by
 * {@link PlannedInstanceOf} and {@link PlannedStorageOf}.
 */
export type PlannedOf<S, Typed extends "instance" | "storage"> = S extends {
  readonly kind: infer K extends string;
  readonly options: infer Schema;
}
  ? string extends K
    ? Typed extends "instance"
      ? PlannedInstance
      : PlannedStorage
    : Schema extends z.ZodType
      ? Typed extends "instance"
        ? PlannedInstance<K, z.output<Schema>>
        : PlannedStorage<K, z.output<Schema>>
      : never
  : never;

/** The planned instance type of a list of plugins: a union discriminated by `kind` (see {@link Plan}). */
export type PlannedInstanceOf<P extends readonly Plugin[]> = PlannedOf<ServicePluginsOf<P>, "instance">;

/** The planned storage type of a list of plugins: a union discriminated by `kind`. */
export type PlannedStorageOf<P extends readonly Plugin[]> = PlannedOf<StoragePluginsOf<P>, "storage">;

/**
 * The plan: pure data, JSON-serialisable, deterministic, without any secret value.
 *
 * `P` is the plugins the plan was made with, when known ({@link createPlan} with a registry from
 * `createRegistry([garage, mastodon])`): `plan.instances[i]` narrowed by `kind` then has that plugin's validated
 * options type. The default (`readonly Plugin[]`) is the untyped plan: kinds are strings and options `unknown`.
 */
export interface Plan<P extends readonly Plugin[] = readonly Plugin[]> {
  /** {@link PLAN_SCHEMA_VERSION}. */
  schemaVersion: typeof PLAN_SCHEMA_VERSION;
  /** Deployment-wide settings. */
  deployment: {
    name: string;
    acme?: { email: string; staging: boolean };
    pins: { nixpkgs: string; nixops4: string; nixops4Nixos: string; flakeParts: string };
  };
  /** Storage backend: kind, options, nodes. */
  storage: PlannedStorageOf<P>;
  /** Machines sorted by name. */
  machines: PlannedMachine[];
  /** Instances sorted by name. */
  instances: PlannedInstanceOf<P>[];
  /** Buckets sorted by name. */
  buckets: PlannedBucket[];
  /** S3 keys sorted by name. */
  keys: PlannedKey[];
  /** Secret values the deployment needs (names and generators only), sorted by name. */
  secrets: SecretDeclaration[];
  /** DNS records the deployment needs (service domains, storage names), sorted by name, type and value. */
  dns: DnsRecord[];
  /** Difference against the previous state. */
  diff: PlanDiff;
}
