import type { z } from "zod";
import type { NixInput } from "../nix/index.js";
import type { SecretGenerator } from "../secrets/types.js";

/** The plugin API version this core implements. A plugin declares the version it was written for. */
export const PLUGIN_API_VERSION = 1;

/** A CORS rule for a bucket, in S3's PutBucketCors shape. */
export interface CorsRule {
  /** Allowed origins, e.g. `["*"]`. */
  allowedOrigins: string[];
  /** Allowed methods, e.g. `["GET", "HEAD"]`. */
  allowedMethods: Array<"GET" | "HEAD" | "PUT" | "POST" | "DELETE">;
  /** Allowed request headers. */
  allowedHeaders?: string[];
  /** Response headers exposed to the browser. */
  exposeHeaders?: string[];
  /** Seconds a browser may cache the preflight answer. */
  maxAgeSeconds?: number;
}

/** A bucket a service needs. The planner names it and gives the service's key access to it. */
export interface BucketNeed {
  /** Plugin-local id, e.g. `media`; `[a-z0-9-]+`. */
  id: string;
  /** Objects are publicly readable (served through the storage's web endpoint). */
  public: boolean;
  /** CORS rules to set on the bucket. */
  cors?: CorsRule[];
  /** The service addresses the bucket in virtual-host style (`<bucket>.<root-domain>`), e.g. PeerTube. */
  virtualHost?: boolean;
  /** Quotas. */
  quotas?: { maxSizeBytes?: number; maxObjects?: number };
}

/** A secret value a service needs, in the instance's namespace. */
export interface SecretNeed {
  /** Plugin-local id, `[a-z0-9][a-z0-9-]*`, e.g. `secret-key-base`. */
  id: string;
  /** How the value is made (or `import` when the user provides it). */
  generate: SecretGenerator;
}

/**
 * A reference to a secret value from inside a secret file: the instance's own secrets by id, or the S3 credentials
 * the planner made for the instance (`s3-access-key-id`, `s3-secret-key`).
 */
export type SecretValueRef = { secret: string };

/** A file built from secrets, installed on the machine at `ctx.secretPath(id)` with the given owner and mode. */
export interface SecretFileNeed {
  /** Plugin-local id, `[a-z0-9][a-z0-9-]*`, e.g. `env`. */
  id: string;
  /** File content: one secret's value, or an environment file. */
  content:
    | { kind: "value"; secret: string }
    | {
        kind: "env";
        /** `systemd` (default): an EnvironmentFile; `dotenv`: a phpdotenv `.env` fragment. */
        format?: "systemd" | "dotenv";
        entries: Record<string, SecretValueRef | { literal: string }>;
      };
  /** Owning user (exists once the configuration is active). */
  owner: string;
  /** Owning group. */
  group?: string;
  /** Mode, default `"0400"`. */
  mode?: "0400" | "0440";
  /**
   * systemd units (with `.service`) that read the file when they start: the file's installer unit runs before them
   * (`Wants=` + `After=`; restarting the installer restarts none of them).
   */
  neededBy: string[];
  /**
   * Long-running units that keep what they read from the file (its values in their environment or memory, directly
   * or through a file that a setup unit derives from it): restarted, when running, after the file changed. Default:
   * `neededBy`; `[]` when no running unit keeps it (e.g. a password read once by a oneshot unit).
   */
  restartUnits?: string[];
  /**
   * Oneshot units that derive something from the file (e.g. write an environment file from it): run again after the
   * file changed, together with `restartUnits` (which should be ordered after them). Default: none.
   */
  rerunUnits?: string[];
}

/** What a service instance needs from its machine and from the planner. */
export interface ServiceRequirements {
  /** CPU cores. */
  cpus: number;
  /** Memory in MiB. */
  memoryMiB: number;
  /** Local disk in GiB (databases, caches; media goes to buckets). */
  diskGiB: number;
  /** Buckets. Non-empty ⇒ the planner makes one S3 key for the instance with access to all of them. */
  buckets?: BucketNeed[];
  /** Secret values. */
  secrets?: SecretNeed[];
  /** Files built from secrets. */
  secretFiles?: SecretFileNeed[];
  /** Public domains the instance answers on (unique across the deployment). */
  domains?: string[];
  /** TCP ports to open in the firewall. Shared ports (80, 443) may be opened by several instances. */
  tcpPorts?: number[];
  /** The instance needs TLS certificates from ACME (the spec must give `acme.email`). */
  acme?: boolean;
  /**
   * The instance sends mail through a mail server on its machine (Postfix, e.g. `smtp: { mode: "local" }`), as this
   * domain (usually its own). The instances of a machine share one Postfix with one host name: the planner sets it
   * (`machines[].mail.hostName`, default the first such instance's domain in spec order), overriding the host names
   * the service modules would each give it.
   */
  localMailDomain?: string;
  /**
   * What the instance keeps on its machine that outlives the service: its databases (engine and name, as the NixOS
   * module creates them) and directories. Its buckets are declared in `buckets`. A removal lists exactly these as
   * leftovers; without the list a removal can only say "its database and files stay".
   */
  keeps?: DurableItem[];
}

/** Something an instance keeps on its machine; the SDK never deletes it on its own. */
export type DurableItem =
  | {
      /** A database. */
      kind: "database";
      /** The database server. */
      engine: "postgresql" | "mysql" | "redis";
      /** The database name (for redis: the server's name, e.g. `mastodon` for `services.redis.servers.mastodon`). */
      name: string;
    }
  | {
      /** A directory. */
      kind: "directory";
      /** Absolute path on the machine. */
      path: string;
    };

/** A health check, as data; the deploy pipeline runs it. */
export type HealthCheck =
  | { kind: "systemd-unit"; unit: string }
  | {
      kind: "http";
      url: string;
      expectStatus?: number[] /** Resolve the URL's host to the machine's address. */;
      viaMachine?: boolean;
    }
  | { kind: "command"; command: string; description: string };

/** Facts about a machine that plugins may use. */
export interface MachineFacts {
  /** Machine name (also the host name). */
  name: string;
  /** Address. */
  host: string;
  /** Nix system. */
  system: string;
  /** CPU cores. */
  cpus: number;
  /** Memory in MiB. */
  memoryMiB: number;
  /** Disk in GiB. */
  diskGiB: number;
  /** Zone, if any. */
  zone?: string;
  /** Effective roles (a machine without `roles` in the spec has both). */
  roles: Array<"storage" | "services">;
}

/** How a service on a given machine reaches the S3 API and its buckets. Decided by the storage plugin. */
export interface S3Access {
  /** S3 API endpoint URL, e.g. `http://10.0.0.5:3900`. */
  endpoint: string;
  /** S3 region, e.g. `garage`. */
  region: string;
  /** Path-style addressing works. */
  forcePathStyle: boolean;
  /** Root domain for virtual-host style access (`<bucket>.<root>`), when the storage has one. */
  virtualHostRoot?: string;
}

/** A bucket as the planner allocated it for an instance. */
export interface AllocatedBucket {
  /** Plugin-local id from {@link BucketNeed}. */
  id: string;
  /** Global bucket name. */
  name: string;
  /** Publicly readable. */
  public: boolean;
  /** Public base URL of the bucket's objects (no trailing slash), when public. */
  publicUrl?: string;
}

/** What the planner hands a service plugin's generators. Paths only: never a secret value. */
export interface ServiceContext {
  /** Instance name and kind. */
  instance: { name: string; kind: string };
  /** The machine the instance runs on. */
  machine: MachineFacts;
  /** Deployment-wide settings. */
  deployment: { name: string; acmeEmail?: string; acmeStaging: boolean };
  /** Absolute path on the machine of a secret file the plugin declared (by its id). */
  secretPath(id: string): string;
  /** S3 access and the instance's buckets by id; undefined when the instance declared no buckets. */
  s3?: S3Access & { buckets: Record<string, AllocatedBucket> };
}

/**
 * What a service plugin is: options, requirements, NixOS module generator, health checks.
 *
 * `Options` is what the options schema gives (its output), `Kind` the literal kind and `Input` what the schema accepts
 * (its input): {@link defineService} infers all three, so that a typed spec ({@link DeploymentSpecInputOf}) can check
 * a spec's `kind` and `options` against the plugin at compile time.
 */
export interface ServicePlugin<Options = unknown, Kind extends string = string, Input = unknown> {
  /** Discriminator. */
  readonly type: "service";
  /** Kind named in specs, e.g. `mastodon`; `[a-z][a-z0-9-]*`. */
  readonly kind: Kind;
  /** The plugin API version the plugin implements; must equal {@link PLUGIN_API_VERSION}. */
  readonly apiVersion: number;
  /** Semver range of `@fediversity/core` versions the plugin supports, e.g. `^0.1.0`. */
  readonly coreVersion?: string;
  /** Human name, e.g. `Mastodon`. */
  readonly displayName?: string;
  /** Options schema (zod). */
  readonly options: z.ZodType<Options, Input>;
  /** Requirements of one instance with these options. */
  requirements(options: Options): ServiceRequirements;
  /**
   * The NixOS module body for the instance (an attribute set, `config`, `lib` and `pkgs` in scope).
   * Build it with `@fediversity/core/nix` or as plain data.
   */
  nixos(ctx: ServiceContext, options: Options): NixInput;
  /** Health checks after apply. */
  checks(ctx: ServiceContext, options: Options): HealthCheck[];
}

/** A storage node as the storage plugin sees it. */
export interface StorageNode {
  /** Machine facts. */
  machine: MachineFacts;
  /** Zone used for replica placement. */
  zone: string;
  /** Capacity given to the storage system, in bytes. */
  capacityBytes: number;
}

/** Context handed to a storage plugin's generators. */
export interface StorageContext {
  /** Deployment-wide settings. */
  deployment: { name: string; acmeEmail?: string; acmeStaging: boolean };
  /** Every machine of the deployment. */
  machines: MachineFacts[];
  /** The storage nodes (chosen by the plugin's `nodes`). */
  nodes: StorageNode[];
  /** Absolute path on a machine of a secret file the plugin declared (by its id). */
  secretPath(id: string): string;
  /** Every planned bucket (all instances). */
  buckets: Array<AllocatedBucket & { instance: string; cors?: CorsRule[]; virtualHost?: boolean }>;
  /** Machines that host service instances (they need S3 access). */
  serviceMachines: MachineFacts[];
  /** The storage the last apply set up, as given to `requirements` (absent for a new deployment). */
  applied?: AppliedStorage;
}

/**
 * A DNS name a storage backend serves (see {@link StoragePlugin.dns}). Core turns it into records pointing at each
 * machine that serves it: A or AAAA for a machine whose `host` is an IP address, CNAME for a host name.
 */
export interface DnsNameNeed {
  /** Fully qualified name, lower case, without the trailing dot; `*.` first for a wildcard (`*.s3.example.org`). */
  name: string;
  /** Names of the machines that serve it. */
  machines: string[];
  /** Who needs the record: instance names, or `storage`. */
  neededBy: string[];
  /** What the record is for, for people, e.g. `public bucket demo-social-media`. */
  purpose: string;
  /** Spec path of the setting the name comes from (for messages), e.g. `storage.options.webRootDomain`. */
  path: string;
}

/**
 * A domain a storage backend claims for itself: no service domain may be it (`domain`), fall under it
 * (`subdomains`), or either (`domain-and-subdomains`). The planner refuses a service domain that does.
 */
export interface ReservedDomain {
  /** The domain, lower case, without the trailing dot. */
  domain: string;
  /** Which names it covers. */
  covers: "domain" | "subdomains" | "domain-and-subdomains";
  /** Spec path of the setting that claims it, e.g. `storage.options.s3RootDomain`. */
  path: string;
  /** What the storage uses it for, for people, e.g. `virtual-host S3 (<bucket>.s3.example.org)`. */
  what: string;
}

/** The DNS side of a storage backend: the names it serves and the domains it claims. */
export interface StorageDns {
  /** Names that must resolve to the storage machines. */
  names: DnsNameNeed[];
  /** Domains no service may use. */
  reserved?: ReservedDomain[];
}

/** Which machines a storage plugin uses and what each needs. */
export interface StorageRequirements {
  /** Names of the storage node machines. */
  nodes: string[];
  /** Per node resource floor. */
  perNode: { cpus: number; memoryMiB: number; diskGiB: number };
  /** Deployment-wide secrets (shared by all nodes), e.g. the cluster RPC secret. */
  secrets?: SecretNeed[];
  /** Files on every node. */
  secretFiles?: SecretFileNeed[];
  /** Storage nodes must not host services (separation). */
  exclusive: boolean;
  /**
   * Per node overrides of the zone and of the capacity given to the storage system (default zone: the machine's
   * `zone`, else its name; default capacity: its disk minus the deployment's disk reserve).
   */
  layout?: Record<string, { zone?: string; capacityBytes?: number }>;
  /**
   * How many copies of each object the cluster keeps, when the backend has such a setting (Garage's
   * `replication_factor`). Recorded in the state: core refuses a plan that changes it on a running cluster.
   */
  replicationFactor?: number;
}

/**
 * The storage a previous apply set up, as recorded in the state: which machines hold the data and the cluster's
 * replication factor. A plugin that chooses nodes by default keeps these, so that adding a machine moves no data.
 */
export interface AppliedStorage {
  /** Storage node machine names, sorted. */
  nodes: string[];
  /** The replication factor, when the plugin reported one. */
  replicationFactor?: number;
}

/** Result of a storage runtime operation step. */
export interface StorageStepReport {
  /** What was done, for people. */
  summary: string;
  /** Whether anything changed. */
  changed: boolean;
}

/**
 * What a storage plugin is: options, node selection, NixOS generator per node, S3 access, runtime operations.
 * The type parameters are those of {@link ServicePlugin}: options output, literal kind, options input.
 */
export interface StoragePlugin<Options = unknown, Kind extends string = string, Input = unknown> {
  /** Discriminator. */
  readonly type: "storage";
  /** Kind named in specs, e.g. `garage`. */
  readonly kind: Kind;
  /** Plugin API version. */
  readonly apiVersion: number;
  /** Semver range of supported `@fediversity/core` versions. */
  readonly coreVersion?: string;
  /** Human name. */
  readonly displayName?: string;
  /** Options schema (zod). */
  readonly options: z.ZodType<Options, Input>;
  /**
   * Chooses the storage nodes among the machines and validates the options against them. `applied` is the storage
   * the last apply set up (absent for a new deployment): nodes chosen by default should stay those (core refuses a
   * plan that changes the nodes or the replication factor unless the user allows it; see `PlanInput`).
   */
  requirements(options: Options, machines: MachineFacts[], applied?: AppliedStorage): StorageRequirements;
  /** The NixOS module body for one storage node. */
  nixos(ctx: StorageContext, node: StorageNode, options: Options): NixInput;
  /** NixOS module body for a service machine that uses the storage (e.g. firewall or hosts entries); optional. */
  clientNixos?(ctx: StorageContext, machine: MachineFacts, options: Options): NixInput | undefined;
  /** How a service on `machine` reaches S3 and a bucket's public URL. */
  s3Access(ctx: Omit<StorageContext, "buckets">, machine: MachineFacts, options: Options): S3Access;
  /** Public base URL of a public bucket (no trailing slash). */
  publicUrl(bucket: string, options: Options, ctx: Omit<StorageContext, "buckets">): string | undefined;
  /** Health checks for each node. */
  checks(ctx: StorageContext, node: StorageNode, options: Options): HealthCheck[];
  /**
   * The DNS names the storage serves (e.g. public bucket hosts) and the domains it claims for itself; optional
   * (without it the storage adds no DNS record and claims no domain). The planner lists the names in `plan.dns`
   * beside the service domains, and refuses a service domain that collides with either.
   */
  dns?(ctx: StorageContext, options: Options): StorageDns;
  /** Runtime operations (provision, verify), called by the deploy pipeline. */
  readonly runtime?: StorageRuntime<Options>;
}

/** Runtime operations of a storage backend (called by the deploy pipeline through machine tunnels). */
export interface StorageRuntime<Options = unknown> {
  /** Brings the cluster layout, buckets, keys, website access and CORS to what the plan says. */
  provision(input: StorageRuntimeInput<Options>): Promise<StorageStepReport[]>;
  /** Verifies buckets with each service key (canary round trip, CORS). */
  verify(input: StorageRuntimeInput<Options>): Promise<Array<{ bucket: string; ok: boolean; detail: string }>>;
  /**
   * Opens a session that deletes buckets (with every object in them) and S3 keys that removed instances left behind
   * (`fedi prune`). Optional: without it, prune reports bucket and key items as failed and keeps them recorded. The
   * session must be closed; closing it removes anything the session created for itself (e.g. a temporary key).
   */
  removal?(input: StorageRemovalInput<Options>): Promise<StorageRemoval>;
}

/**
 * Input of {@link StorageRuntime.removal}: what {@link StorageRuntimeInput} has, without the current buckets (a prune
 * deletes what is no longer planned) and without the replication factor.
 */
export type StorageRemovalInput<Options = unknown> = Omit<
  StorageRuntimeInput<Options>,
  "buckets" | "replicationFactor"
>;

/**
 * A storage session that deletes removed instances' buckets and keys. Both operations are idempotent: a bucket or key
 * that does not exist is `absent`, not an error. Errors are `FediError`s whose messages carry no secret value.
 */
export interface StorageRemoval {
  /** Deletes a bucket and every object (and unfinished upload) in it; `absent` when there is no such bucket. */
  deleteBucket(name: string): Promise<"deleted" | "absent">;
  /** Deletes the S3 key(s) with this name; `absent` when there is none. */
  deleteKey(name: string): Promise<"deleted" | "absent">;
  /** Ends the session (closes tunnels, deletes what the session created). Safe to call twice. */
  close(): Promise<void>;
}

/** Input of {@link StorageRuntime} operations. */
export interface StorageRuntimeInput<Options = unknown> {
  /** Validated storage options. */
  options: Options;
  /** Storage nodes. */
  nodes: StorageNode[];
  /** The replication factor the plan was made with (`StorageRequirements.replicationFactor`), if any. */
  replicationFactor?: number;
  /** Buckets with their key credentials (values: handle with care, never log). */
  buckets: Array<{
    name: string;
    public: boolean;
    cors?: CorsRule[];
    quotas?: { maxSizeBytes?: number; maxObjects?: number };
    key: { name: string; accessKeyId: string; secretAccessKey: string };
  }>;
  /** Reads a deployment secret's value by the plugin-local id it declared. */
  secret(id: string): Promise<string>;
  /** Opens a tunnel to `127.0.0.1:port` on a node; returns the local URL base (`http://127.0.0.1:<p>`). */
  tunnel(node: string, port: number): Promise<{ url: string; close(): Promise<void> }>;
  /** Reports progress. */
  progress(message: string): void;
  /** Cancellation. */
  signal?: AbortSignal;
}

/** Any plugin. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds plugins of every options type (methods are contravariant in Options)
export type Plugin = ServicePlugin<any, string, any> | StoragePlugin<any, string, any>;
