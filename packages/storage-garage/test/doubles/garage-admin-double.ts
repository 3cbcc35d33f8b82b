/**
 * A stateful test double of the Garage admin API v2 server (Garage 2.x), for tests only.
 *
 * Contract taken from upstream (deuxfleurs-org/garage, branch main-v2): src/api/admin/router_v2.rs (routes; ids are
 * read from the query string), api_server.rs (bearer token check), error.rs and common_error.rs (error codes, HTTP
 * statuses and the `{code, message, path, region}` body), layout.rs and rpc/layout/history.rs (staging, and
 * "Invalid new layout version" when ApplyClusterLayout's version is not current + 1), rpc/layout/version.rs (apply
 * checks), bucket.rs, key.rs (ImportKey refuses any id it knows: KeyAlreadyExists), cluster.rs and rpc/system.rs
 * (status, health, connect). Simplifications: partition assignment is not computed (partitionSize is derived from
 * the smallest capacity, storedPartitions is null), health counts assume every partition is on every storage node,
 * buckets hold no objects (`DeleteBucket` asks the test's `isBucketEmpty`, as upstream bucket.rs asks
 * `is_bucket_empty`, and refuses with 409 `BucketNotEmpty` as common_error.rs does).
 *
 * Every request body and every response body is validated against the spec copy's component schemas; request
 * fields the schema does not know and query parameters the operation does not take are also reported. A mismatch
 * answers HTTP 500 and is recorded in `violations`, which tests assert to be empty.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AdminSpec, loadAdminSpec, unknownFields } from "./garage-admin-double-spec.js";

/** A node of the simulated cluster. The first one is the node that serves the admin API. */
export interface DoubleNodeConfig {
  /** Full node id, 64 hex characters. */
  id: string;
  /** RPC address (`rpc_public_addr`). Default 10.0.0.<n>:3901 (never contacted). */
  addr?: string;
  /** Hostname. Default node<n>. */
  hostname?: string;
  /** Whether the node is running and reachable. Default true. */
  up?: boolean;
  /** Whether the serving node already knows it (false: it must be connected first). Default true. */
  known?: boolean;
}

/** Options of {@link startGarageAdminDouble}. */
export interface GarageAdminDoubleOptions {
  /** The admin token (`admin_token`). */
  token: string;
  /** Nodes of the cluster. */
  nodes: DoubleNodeConfig[];
  /** `replication_factor` of garage.toml. Default 1. */
  replicationFactor?: number;
  /** `s3_region`. Default garage. */
  region?: string;
  /**
   * Whether a bucket (given by its global aliases) holds no objects and no unfinished uploads, for `DeleteBucket`.
   * The double stores no objects; a test with a real S3 server answers from there. Default: always empty.
   */
  isBucketEmpty?: (globalAliases: string[]) => boolean | Promise<boolean>;
}

/** One request the double answered. */
export interface RecordedCall {
  operation: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

type Role = { zone: string; capacity: number | null; tags: string[] };
type ZoneRedundancy = { atLeast: number } | "maximum";
type Perm = { read: boolean; write: boolean; owner: boolean };

interface NodeState {
  id: string;
  addr: string;
  hostname: string;
  up: boolean;
  known: boolean;
}
interface BucketState {
  id: string;
  created: string;
  website: { indexDocument: string; errorDocument: string | null } | null;
  quotas: { maxSize: number | null; maxObjects: number | null };
  localAliases: Array<{ accessKeyId: string; alias: string }>;
}
interface KeyState {
  id: string;
  secret: string;
  name: string;
  created: string;
  deleted: boolean;
  createBucket: boolean;
  /** Per bucket id; entries stay (all false) after a deny, as in Garage. */
  perms: Map<string, Perm>;
}

/** Read-only views of the double's state for assertions. */
export interface GarageAdminDouble {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Every request answered, in order. */
  calls: RecordedCall[];
  /** Spec violations (request or response bodies that do not match the spec). Must stay empty. */
  violations: string[];
  /** Calls that change state (everything except GET operations and PreviewClusterLayoutChanges). */
  writeCalls(): RecordedCall[];
  /** Forgets the recorded calls. */
  clearCalls(): void;
  /** Marks a node up or down. */
  setNodeUp(id: string, up: boolean): void;
  /** The applied layout version and roles. */
  layout(): { version: number; roles: Array<{ id: string } & Role>; staged: number };
  /** A bucket by global alias, with its aliases, website config and quotas. */
  bucket(alias: string): { id: string; website: BucketState["website"]; quotas: BucketState["quotas"] } | undefined;
  /** A key's bucket permissions (by bucket alias), or undefined when the key does not exist. */
  keyPermissions(accessKeyId: string, alias: string): Perm | undefined;
  /** Adds a key directly (as if created earlier by an operator). */
  seedKey(accessKeyId: string, secretAccessKey: string, name: string): void;
  /** Stops the server. */
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (msg: string) => new ApiError(400, "InvalidRequest", `Bad request: ${msg}`);
const internal = (msg: string) => new ApiError(500, "InternalError", `Internal error: ${msg}`);
const noSuchBucket = (what: string) => new ApiError(404, "NoSuchBucket", `Bucket not found: ${what}`);
const noSuchKey = (id: string) => new ApiError(404, "NoSuchAccessKey", `Access key not found: ${id}`);

const READ_ONLY = new Set(["PreviewClusterLayoutChanges"]);
const NB_PARTITIONS = 256;
const GARAGE_VERSION = "v2.0.0";
const INVALID_BUCKET_NAME_MESSAGE =
  "Invalid bucket name. See AWS documentation for constraints on S3 bucket names:\nhttps://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html";

/** Upstream is_valid_bucket_name (allow_punycode = false). */
function isValidBucketName(n: string): boolean {
  return (
    n.length >= 3 &&
    n.length <= 63 &&
    /^[a-z0-9.-]+$/.test(n) &&
    !/^[-.]/.test(n) &&
    !/[-.]$/.test(n) &&
    !/^\d+\.\d+\.\d+\.\d+$/.test(n) &&
    !n.startsWith("xn--") &&
    !n.includes(".xn--") &&
    !n.endsWith("-s3alias")
  );
}

function isHex(s: string, bytes: number): boolean {
  return s.length === bytes * 2 && /^[0-9a-fA-F]*$/.test(s);
}

function sameRole(a: Role | undefined, b: Role): boolean {
  if (a === undefined) return false;
  return a.zone === b.zone && a.capacity === b.capacity && JSON.stringify(a.tags) === JSON.stringify(b.tags);
}

function sameZr(a: ZoneRedundancy, b: ZoneRedundancy): boolean {
  return typeof a === "string" || typeof b === "string" ? a === b : a.atLeast === b.atLeast;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Starts the double on 127.0.0.1 with a random port. */
export async function startGarageAdminDouble(options: GarageAdminDoubleOptions): Promise<GarageAdminDouble> {
  const spec: AdminSpec = loadAdminSpec();
  const rf = options.replicationFactor ?? 1;
  const region = options.region ?? "garage";
  const calls: RecordedCall[] = [];
  const violations: string[] = [];

  const nodes = new Map<string, NodeState>();
  options.nodes.forEach((n, i) => {
    nodes.set(n.id, {
      id: n.id,
      addr: n.addr ?? `10.0.0.${i + 1}:3901`,
      hostname: n.hostname ?? `node${i + 1}`,
      up: n.up ?? true,
      known: i === 0 ? true : (n.known ?? true),
    });
  });
  const self = options.nodes[0]?.id;
  if (!self) throw new Error("the double needs at least one node");

  const layout = {
    version: 0,
    roles: new Map<string, Role>(),
    zoneRedundancy: "maximum" as ZoneRedundancy,
    partitionSize: 0,
  };
  const staging = { roles: new Map<string, Role | null>(), zoneRedundancy: "maximum" as ZoneRedundancy };
  const buckets = new Map<string, BucketState>();
  const aliases = new Map<string, string>();
  const keys = new Map<string, KeyState>();

  // ---- formatting, as upstream's format_cluster_layout / bucket_info_results / key_info_results ----

  const formatRoles = (roles: Map<string, Role>) =>
    [...roles.entries()].map(([id, r]) => ({
      id,
      zone: r.zone,
      tags: [...r.tags],
      capacity: r.capacity,
      storedPartitions: null,
      usableCapacity: null,
    }));

  const formatLayout = () => ({
    version: layout.version,
    roles: formatRoles(layout.roles),
    parameters: { zoneRedundancy: layout.zoneRedundancy },
    partitionSize: layout.partitionSize,
    stagedRoleChanges: [...staging.roles.entries()]
      .filter(([id, v]) => !(layout.roles.has(id) && v !== null && sameRole(layout.roles.get(id), v)))
      .map(([id, v]) =>
        v === null ? { id, remove: true } : { id, zone: v.zone, capacity: v.capacity, tags: [...v.tags] },
      ),
    stagedParameters: sameZr(staging.zoneRedundancy, layout.zoneRedundancy)
      ? null
      : { zoneRedundancy: staging.zoneRedundancy },
  });

  const globalAliasesOf = (bucketId: string) =>
    [...aliases.entries()].filter(([, id]) => id === bucketId).map(([alias]) => alias);

  const bucketInfo = (b: BucketState) => ({
    id: b.id,
    created: b.created,
    globalAliases: globalAliasesOf(b.id),
    websiteAccess: b.website !== null,
    websiteConfig: b.website
      ? { indexDocument: b.website.indexDocument, errorDocument: b.website.errorDocument }
      : null,
    keys: [...keys.values()]
      .filter((k) => !k.deleted && (k.perms.has(b.id) || b.localAliases.some((a) => a.accessKeyId === k.id)))
      .map((k) => ({
        accessKeyId: k.id,
        name: k.name,
        permissions: { ...(k.perms.get(b.id) ?? { read: false, write: false, owner: false }) },
        bucketLocalAliases: b.localAliases.filter((a) => a.accessKeyId === k.id).map((a) => a.alias),
      })),
    objects: 0,
    bytes: 0,
    unfinishedUploads: 0,
    unfinishedMultipartUploads: 0,
    unfinishedMultipartUploadParts: 0,
    unfinishedMultipartUploadBytes: 0,
    quotas: { ...b.quotas },
  });

  const keyInfo = (k: KeyState, showSecret: boolean) => ({
    accessKeyId: k.id,
    created: k.created,
    name: k.name,
    expiration: null,
    expired: false,
    ...(showSecret ? { secretAccessKey: k.secret } : {}),
    permissions: { createBucket: k.createBucket },
    buckets: [...k.perms.keys()]
      .map((id) => buckets.get(id))
      .filter((b): b is BucketState => b !== undefined)
      .map((b) => ({
        id: b.id,
        globalAliases: globalAliasesOf(b.id),
        localAliases: b.localAliases.filter((a) => a.accessKeyId === k.id).map((a) => a.alias),
        permissions: { ...(k.perms.get(b.id) as Perm) },
      })),
  });

  // ---- lookups ----

  const parseBucketId = (id: string) => {
    if (!isHex(id, 32)) throw badRequest("Invalid bucket id");
    return id.toLowerCase();
  };
  const existingBucket = (id: string) => {
    const b = buckets.get(id);
    if (!b) throw noSuchBucket(id);
    return b;
  };
  const existingKey = (id: string) => {
    const k = keys.get(id);
    if (!k || k.deleted) throw noSuchKey(id);
    return k;
  };

  // ---- layout computation (checks of calculate_partition_assignment, no real assignment) ----

  const computeNext = (): {
    roles: Map<string, Role>;
    zr: ZoneRedundancy;
    partitionSize: number;
    message: string[];
  } => {
    const roles = new Map(layout.roles);
    for (const [id, v] of staging.roles) {
      if (v === null) roles.delete(id);
      else roles.set(id, v);
    }
    const storage = [...roles.values()].filter((r) => r.capacity !== null);
    const zones = new Set(storage.map((r) => r.zone));
    const zr = staging.zoneRedundancy;
    const effective = zr === "maximum" ? Math.min(rf, zones.size) : zr.atLeast;
    if (storage.length < rf) {
      throw internal(
        `The number of nodes with positive capacity (${storage.length}) is smaller than the replication factor (${rf}).`,
      );
    }
    if (zones.size < effective) {
      throw internal(
        `The number of zones with non-gateway nodes (${zones.size}) is smaller than the redundancy parameter (${effective})`,
      );
    }
    const minCapacity = Math.min(...storage.map((r) => r.capacity as number));
    const partitionSize = Math.floor((minCapacity * storage.length) / (NB_PARTITIONS * rf));
    return {
      roles,
      zr,
      partitionSize,
      message: [
        "==== COMPUTATION OF A NEW PARTITION ASSIGNATION ====",
        "",
        `Partitions are replicated ${rf} times on at least ${effective} distinct zones.`,
      ],
    };
  };

  const health = () => {
    const known = [...nodes.values()].filter((n) => n.known);
    const storageIds = [...layout.roles.entries()].filter(([, r]) => r.capacity !== null).map(([id]) => id);
    const storageOk = storageIds.filter((id) => nodes.get(id)?.known && nodes.get(id)?.up).length;
    const writeQuorum = rf - Math.ceil(rf / 2) + 1;
    const allOk = storageIds.length > 0 && storageOk === storageIds.length;
    const quorum = storageIds.length > 0 && storageOk >= writeQuorum;
    return {
      status: allOk ? "healthy" : quorum ? "degraded" : "unavailable",
      knownNodes: known.length,
      connectedNodes: known.filter((n) => n.up).length,
      storageNodes: storageIds.length,
      storageNodesOk: storageOk,
      partitions: NB_PARTITIONS,
      partitionsQuorum: quorum ? NB_PARTITIONS : 0,
      partitionsAllOk: allOk ? NB_PARTITIONS : 0,
    };
  };

  // ---- handlers, by operationId ----

  type Ctx = { query: Record<string, string>; body: unknown };
  type Handler = (ctx: Ctx) => unknown | Promise<unknown>;
  const now = () => new Date().toISOString();

  const handlers: Record<string, Handler> = {
    GetClusterStatus: () => {
      const out = new Map<string, Record<string, unknown>>();
      for (const n of nodes.values()) {
        if (!n.known) continue;
        out.set(n.id, {
          id: n.id,
          garageVersion: GARAGE_VERSION,
          addr: n.addr,
          hostname: n.hostname,
          isUp: n.up,
          lastSeenSecsAgo: n.up ? null : 42,
          draining: false,
          ...(n.up
            ? { dataPartition: { available: 1e9, total: 2e9 }, metadataPartition: { available: 1e8, total: 2e8 } }
            : {}),
          role: null,
        });
      }
      for (const [id, r] of layout.roles) {
        const role = { zone: r.zone, capacity: r.capacity, tags: [...r.tags] };
        const entry = out.get(id);
        if (entry) entry.role = role;
        else
          out.set(id, {
            id,
            garageVersion: null,
            addr: null,
            hostname: null,
            isUp: false,
            lastSeenSecsAgo: null,
            draining: false,
            role,
          });
      }
      return {
        layoutVersion: layout.version,
        nodes: [...out.values()].sort((a, b) => String(a.id).localeCompare(String(b.id))),
      };
    },
    GetClusterHealth: () => health(),
    ConnectClusterNodes: ({ body }) =>
      (body as string[]).map((spec) => {
        const match = /^([0-9a-fA-F]{64})@(.+:\d+)$/.exec(spec);
        if (!match) return { success: false, error: `Unable to parse or resolve node specification: ${spec}` };
        const [, id = "", addr = ""] = match;
        const node = nodes.get(id.toLowerCase());
        if (!node?.up) {
          return {
            success: false,
            error: `Error establishing RPC connection to remote node: ${id}@${addr}.\nThis can happen if the remote node is not reachable on the network, but also if the two nodes are not configured with the same rpc_secret.\nConnection refused (os error 111)`,
          };
        }
        node.known = true;
        return { success: true, error: null };
      }),
    GetNodeInfo: ({ query }) => {
      const node = query.node ?? "";
      const ids =
        node === "*" ? [...nodes.values()].filter((n) => n.known).map((n) => n.id) : [node === "self" ? self : node];
      const success: Record<string, unknown> = {};
      const error: Record<string, string> = {};
      for (const id of ids) {
        const n = nodes.get(id);
        if (n?.known && n.up) {
          success[id] = {
            nodeId: id,
            garageVersion: GARAGE_VERSION,
            garageFeatures: ["k2v", "lmdb"],
            rustVersion: "1.82.0",
            dbEngine: "LMDB",
          };
        } else {
          error[id] = "Could not reach node";
        }
      }
      return { success, error };
    },
    GetClusterLayout: () => formatLayout(),
    UpdateClusterLayout: ({ body }) => {
      const req = body as {
        roles?: Array<Record<string, unknown>>;
        parameters?: { zoneRedundancy: ZoneRedundancy } | null;
      };
      const next = new Map(staging.roles);
      for (const change of req.roles ?? []) {
        const id = String(change.id);
        if (!isHex(id, 32)) throw badRequest("Invalid node identifier");
        let role: Role | null;
        if ("remove" in change && !("zone" in change)) {
          if (change.remove !== true) throw badRequest("Invalid layout change");
          role = null;
        } else {
          const capacity = (change.capacity ?? null) as number | null;
          if (capacity !== null && capacity < 1024) throw badRequest("Capacity should be at least 1K (1024)");
          role = { zone: String(change.zone), capacity, tags: (change.tags as string[]).map(String) };
        }
        next.set(id.toLowerCase(), role);
      }
      let zr = staging.zoneRedundancy;
      if (req.parameters) {
        const p = req.parameters.zoneRedundancy;
        if (typeof p !== "string") {
          if (p.atLeast > rf) {
            throw badRequest(`The zone redundancy must be smaller or equal to the replication factor (${rf}).`);
          }
          if (p.atLeast < 1) throw badRequest("The zone redundancy must be at least 1.");
        }
        zr = p;
      }
      staging.roles = next;
      staging.zoneRedundancy = zr;
      return formatLayout();
    },
    PreviewClusterLayoutChanges: () => {
      try {
        const next = computeNext();
        return {
          message: next.message,
          newLayout: {
            version: layout.version + 1,
            roles: formatRoles(next.roles),
            parameters: { zoneRedundancy: next.zr },
            partitionSize: next.partitionSize,
            stagedRoleChanges: [],
            stagedParameters: null,
          },
        };
      } catch (error) {
        if (error instanceof ApiError) return { error: error.message.replace(/^Internal error: /, "") };
        throw error;
      }
    },
    ApplyClusterLayout: ({ body }) => {
      const { version } = body as { version: number };
      // rpc/layout/history.rs apply_staged_changes: Error::Message → InternalError (HTTP 500).
      if (version !== layout.version + 1) throw internal("Invalid new layout version");
      const next = computeNext();
      layout.version = version;
      layout.roles = next.roles;
      layout.zoneRedundancy = next.zr;
      layout.partitionSize = next.partitionSize;
      staging.roles = new Map();
      return { message: next.message, layout: formatLayout() };
    },
    RevertClusterLayout: () => {
      staging.roles = new Map();
      staging.zoneRedundancy = layout.zoneRedundancy;
      return formatLayout();
    },
    ListBuckets: () =>
      [...buckets.values()].map((b) => ({
        id: b.id,
        created: b.created,
        globalAliases: globalAliasesOf(b.id),
        localAliases: b.localAliases.map((a) => ({ ...a })),
      })),
    GetBucketInfo: ({ query }) => {
      const given = ["id", "globalAlias", "search"].filter((p) => query[p] !== undefined);
      if (given.length !== 1) {
        throw badRequest("Either id, globalAlias or search must be provided (but not several of them)");
      }
      if (query.id !== undefined) return bucketInfo(existingBucket(parseBucketId(query.id)));
      if (query.globalAlias !== undefined) {
        const id = aliases.get(query.globalAlias);
        if (!id) throw noSuchBucket(query.globalAlias);
        return bucketInfo(existingBucket(id));
      }
      const search = query.search ?? "";
      const byAlias = aliases.get(search);
      if (byAlias) return bucketInfo(existingBucket(byAlias));
      const candidates = [...buckets.keys()].filter((id) => search.length >= 2 && id.startsWith(search));
      if (candidates.length === 0) throw noSuchBucket(search);
      if (candidates.length > 1) throw badRequest(`Several matching buckets: ${search}`);
      return bucketInfo(existingBucket(candidates[0] as string));
    },
    CreateBucket: ({ body }) => {
      const req = body as {
        globalAlias?: string | null;
        localAlias?: { accessKeyId: string; alias: string; allow?: Partial<Perm> } | null;
      };
      if (req.globalAlias != null) {
        if (!isValidBucketName(req.globalAlias)) throw badRequest(`${req.globalAlias}: ${INVALID_BUCKET_NAME_MESSAGE}`);
        if (aliases.has(req.globalAlias)) throw new ApiError(409, "BucketAlreadyExists", "Bucket already exists");
      }
      const la = req.localAlias ?? null;
      if (la) {
        if (!isValidBucketName(la.alias)) throw badRequest(`${la.alias}: ${INVALID_BUCKET_NAME_MESSAGE}`);
        existingKey(la.accessKeyId);
        for (const b of buckets.values()) {
          if (b.localAliases.some((a) => a.accessKeyId === la.accessKeyId && a.alias === la.alias)) {
            throw badRequest("Local alias already exists");
          }
        }
      }
      const bucket: BucketState = {
        id: randomBytes(32).toString("hex"),
        created: now(),
        website: null,
        quotas: { maxSize: null, maxObjects: null },
        localAliases: [],
      };
      buckets.set(bucket.id, bucket);
      if (req.globalAlias != null) aliases.set(req.globalAlias, bucket.id);
      if (la) {
        bucket.localAliases.push({ accessKeyId: la.accessKeyId, alias: la.alias });
        const allow = {
          read: la.allow?.read === true,
          write: la.allow?.write === true,
          owner: la.allow?.owner === true,
        };
        if (allow.read || allow.write || allow.owner) existingKey(la.accessKeyId).perms.set(bucket.id, allow);
      }
      return bucketInfo(bucket);
    },
    UpdateBucket: ({ query, body }) => {
      const bucket = existingBucket(parseBucketId(query.id ?? ""));
      const req = body as {
        websiteAccess?: { enabled: boolean; indexDocument?: string | null; errorDocument?: string | null } | null;
        quotas?: { maxSize?: number | null; maxObjects?: number | null } | null;
      };
      let website = bucket.website;
      if (req.websiteAccess) {
        const wa = req.websiteAccess;
        if (wa.enabled) {
          if (wa.indexDocument == null) throw badRequest("Please specify indexDocument when enabling website access.");
          website = { indexDocument: wa.indexDocument, errorDocument: wa.errorDocument ?? null };
        } else {
          if (wa.indexDocument != null || wa.errorDocument != null) {
            throw badRequest("Cannot specify indexDocument or errorDocument when disabling website access.");
          }
          website = null;
        }
      }
      bucket.website = website;
      if (req.quotas)
        bucket.quotas = { maxSize: req.quotas.maxSize ?? null, maxObjects: req.quotas.maxObjects ?? null };
      return bucketInfo(bucket);
    },
    DeleteBucket: async ({ query }) => {
      const bucket = existingBucket(parseBucketId(query.id ?? ""));
      // bucket.rs handle_delete_bucket: `if !helper.is_bucket_empty(bucket_id)` → CommonError::BucketNotEmpty,
      // which common_error.rs answers with 409 and code BucketNotEmpty.
      if (!(await (options.isBucketEmpty?.(globalAliasesOf(bucket.id)) ?? true))) {
        throw new ApiError(409, "BucketNotEmpty", "Tried to delete a non-empty bucket");
      }
      for (const k of keys.values()) k.perms.delete(bucket.id);
      for (const [alias, id] of aliases) if (id === bucket.id) aliases.delete(alias);
      buckets.delete(bucket.id);
      return null;
    },
    AddBucketAlias: ({ body }) => {
      const req = body as { bucketId: string; globalAlias?: string; localAlias?: string; accessKeyId?: string };
      const bucket = existingBucket(parseBucketId(req.bucketId));
      if (req.globalAlias !== undefined) {
        if (!isValidBucketName(req.globalAlias)) {
          throw new ApiError(400, "InvalidBucketName", `Invalid bucket name: ${req.globalAlias}`);
        }
        const existing = aliases.get(req.globalAlias);
        if (existing && existing !== bucket.id) {
          throw badRequest(`Alias ${req.globalAlias} already exists and points to different bucket: ${existing}`);
        }
        aliases.set(req.globalAlias, bucket.id);
      } else {
        existingKey(String(req.accessKeyId));
        bucket.localAliases.push({ accessKeyId: String(req.accessKeyId), alias: String(req.localAlias) });
      }
      return bucketInfo(bucket);
    },
    RemoveBucketAlias: ({ body }) => {
      const req = body as { bucketId: string; globalAlias?: string; localAlias?: string; accessKeyId?: string };
      const bucket = existingBucket(parseBucketId(req.bucketId));
      if (req.globalAlias !== undefined) {
        if (aliases.get(req.globalAlias) !== bucket.id)
          throw badRequest(`Bucket ${bucket.id} doesn't have alias ${req.globalAlias}`);
        aliases.delete(req.globalAlias);
      } else {
        bucket.localAliases = bucket.localAliases.filter(
          (a) => !(a.accessKeyId === req.accessKeyId && a.alias === req.localAlias),
        );
      }
      return bucketInfo(bucket);
    },
    ListKeys: () =>
      [...keys.values()]
        .filter((k) => !k.deleted)
        .map((k) => ({ id: k.id, name: k.name, created: k.created, expiration: null, expired: false })),
    GetKeyInfo: ({ query }) => {
      const show = query.showSecretKey === undefined ? false : query.showSecretKey === "true";
      if (query.showSecretKey !== undefined && query.showSecretKey !== "true" && query.showSecretKey !== "false") {
        throw badRequest("Failed to parse query parameter");
      }
      if ((query.id === undefined) === (query.search === undefined)) {
        throw badRequest("Either id or search must be provided (but not both)");
      }
      if (query.id !== undefined) return keyInfo(existingKey(query.id), show);
      const search = query.search ?? "";
      const found = [...keys.values()].filter(
        (k) => !k.deleted && (k.id.startsWith(search) || k.name.includes(search)),
      );
      if (found.length !== 1) throw badRequest(`${found.length} matching keys`);
      return keyInfo(found[0] as KeyState, show);
    },
    CreateKey: ({ body }) => {
      const req = body as { name?: string | null; allow?: { createBucket?: boolean } | null };
      const key: KeyState = {
        id: `GK${randomBytes(12).toString("hex")}`,
        secret: randomBytes(32).toString("hex"),
        name: req.name ?? "Unnamed key",
        created: now(),
        deleted: false,
        createBucket: req.allow?.createBucket === true,
        perms: new Map(),
      };
      keys.set(key.id, key);
      return keyInfo(key, true);
    },
    ImportKey: ({ body }) => {
      const req = body as { accessKeyId: string; secretAccessKey: string; name?: string | null };
      if (keys.has(req.accessKeyId)) {
        throw new ApiError(
          409,
          "KeyAlreadyExists",
          `Key ${req.accessKeyId} already exists in data store. Even if it is deleted, we can't let you create a new key with the same ID. Sorry.`,
        );
      }
      const id = req.accessKeyId;
      if (id.length !== 26 || !id.startsWith("GK") || !isHex(id.slice(2), 12)) {
        throw badRequest(
          "Invalid key format: The specified key ID is not a valid Garage key ID (starts with `GK`, followed by 12 hex-encoded bytes)",
        );
      }
      if (!isHex(req.secretAccessKey, 32)) {
        throw badRequest(
          "Invalid key format: The specified secret key is not a valid Garage secret key (composed of 32 hex-encoded bytes)",
        );
      }
      const key: KeyState = {
        id,
        secret: req.secretAccessKey,
        name: req.name ?? "Imported key",
        created: now(),
        deleted: false,
        createBucket: false,
        perms: new Map(),
      };
      keys.set(id, key);
      return keyInfo(key, false);
    },
    UpdateKey: ({ query, body }) => {
      const key = existingKey(query.id ?? "");
      const req = body as {
        name?: string | null;
        allow?: { createBucket?: boolean } | null;
        deny?: { createBucket?: boolean } | null;
        neverExpires?: boolean;
        expiration?: string | null;
      };
      if (req.neverExpires && req.expiration != null)
        throw badRequest("cannot specify `expiration` and `never_expires`");
      if (req.name != null) key.name = req.name;
      if (req.allow?.createBucket) key.createBucket = true;
      if (req.deny?.createBucket) key.createBucket = false;
      return keyInfo(key, false);
    },
    DeleteKey: ({ query }) => {
      const key = existingKey(query.id ?? "");
      key.deleted = true;
      key.perms.clear();
      return null;
    },
    AllowBucketKey: ({ body }) => changePerm(body, true),
    DenyBucketKey: ({ body }) => changePerm(body, false),
  };

  function changePerm(body: unknown, flag: boolean) {
    const req = body as { bucketId: string; accessKeyId: string; permissions: Partial<Perm> };
    const bucket = existingBucket(parseBucketId(req.bucketId));
    const key = existingKey(req.accessKeyId);
    const perm = { ...(key.perms.get(bucket.id) ?? { read: false, write: false, owner: false }) };
    if (req.permissions.read) perm.read = flag;
    if (req.permissions.write) perm.write = flag;
    if (req.permissions.owner) perm.owner = flag;
    key.perms.set(bucket.id, perm);
    return bucketInfo(bucket);
  }

  // ---- HTTP ----

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body, null, 2));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://double");
    const method = req.method ?? "GET";
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams.entries());
    const raw = await readBody(req);
    const record: RecordedCall = { operation: "?", method, path, query, body: raw === "" ? undefined : raw, status: 0 };
    calls.push(record);
    const reply = (status: number, body: unknown) => {
      record.status = status;
      send(res, status, body);
    };
    const violation = (text: string) => {
      violations.push(text);
      reply(500, { code: "InternalError", message: `Internal error: test double: ${text}`, path, region });
    };
    const fail = (error: ApiError) => {
      const body = { code: error.code, message: error.message, path, region };
      reply(error.status, body);
    };

    if (method === "GET" && path === "/health") {
      record.operation = "Health";
      record.status = 200;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("Garage is fully operational");
      return;
    }
    const op = path.startsWith("/v2/") ? spec.find(method, path) : undefined;
    if (!op || !handlers[op.operationId]) {
      if (op) return violation(`${op.operationId} is not implemented by the double`);
      return fail(badRequest(`Unknown API endpoint: ${method} ${path}`));
    }
    record.operation = op.operationId;

    // Router: query parameters (all read from the query string), then the JSON body.
    const allowed = new Set(op.params.map((p) => p.name));
    const stray = Object.keys(query).filter((name) => !allowed.has(name));
    if (stray.length > 0) {
      return violation(`${op.operationId}: query parameter(s) ${stray.join(", ")} not taken by this operation`);
    }
    for (const p of op.params) {
      if (p.required && query[p.name] === undefined)
        return fail(badRequest(`Missing argument \`${p.name}\` for endpoint`));
    }
    let body: unknown;
    if (op.hasBody) {
      try {
        body = JSON.parse(raw) as unknown;
      } catch (error) {
        return fail(badRequest(`Invalid JSON: ${(error as Error).message}`));
      }
      record.body = body;
      const errors = spec.validateRequest(op.operationId, body);
      if (errors.length > 0) return violation(`${op.operationId} request: ${errors.join("; ")}`);
      const extra = unknownFields(body, spec.knownRequestFields(op.operationId, body));
      if (extra.length > 0) {
        return violation(`${op.operationId} request: field(s) unknown to the spec: ${extra.join(", ")}`);
      }
    } else if (raw.trim() !== "") {
      return violation(`${op.operationId} takes no request body, got ${raw.length} bytes`);
    }

    // Authorization: Bearer <admin_token>.
    const auth = req.headers.authorization;
    if (auth === undefined) {
      return fail(
        new ApiError(403, "AccessDenied", "Forbidden: Bearer token must be provided in Authorization header"),
      );
    }
    if (!auth.startsWith("Bearer "))
      return fail(new ApiError(403, "AccessDenied", "Forbidden: Invalid Authorization header"));
    if (auth.slice("Bearer ".length).trim() !== options.token) {
      return fail(new ApiError(403, "AccessDenied", "Forbidden: Invalid bearer token"));
    }

    let result: unknown;
    try {
      result = await (handlers[op.operationId] as Handler)({ query, body });
    } catch (error) {
      if (error instanceof ApiError) return fail(error);
      throw error;
    }
    if (op.hasResponseSchema) {
      const errors = spec.validateResponse(op.operationId, result);
      if (errors.length > 0) return violation(`${op.operationId} response: ${errors.join("; ")}`);
    }
    reply(200, result);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push(`double crashed: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent)
        send(res, 500, { code: "InternalError", message: "Internal error: double crashed", path: req.url, region });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    violations,
    writeCalls: () =>
      calls.filter((c) => c.operation !== "?" && c.method !== "GET" && !READ_ONLY.has(c.operation) && c.status !== 0),
    clearCalls: () => {
      calls.length = 0;
    },
    setNodeUp: (id, up) => {
      const node = nodes.get(id);
      if (!node) throw new Error(`no node ${id}`);
      node.up = up;
    },
    layout: () => ({
      version: layout.version,
      roles: [...layout.roles.entries()].map(([id, r]) => ({ id, ...r })),
      staged: staging.roles.size,
    }),
    bucket: (alias) => {
      const id = aliases.get(alias);
      const b = id ? buckets.get(id) : undefined;
      return b ? { id: b.id, website: b.website, quotas: { ...b.quotas } } : undefined;
    },
    keyPermissions: (accessKeyId, alias) => {
      const key = keys.get(accessKeyId);
      const id = aliases.get(alias);
      if (!key || key.deleted || !id) return undefined;
      return { ...(key.perms.get(id) ?? { read: false, write: false, owner: false }) };
    },
    seedKey: (accessKeyId, secretAccessKey, name) => {
      keys.set(accessKeyId, {
        id: accessKeyId,
        secret: secretAccessKey,
        name,
        created: now(),
        deleted: false,
        createBucket: false,
        perms: new Map(),
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
