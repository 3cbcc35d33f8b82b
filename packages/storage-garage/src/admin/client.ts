import { FediError, isFediError } from "@fediversity/core";
import {
  GARAGE_ADMIN_OPERATIONS,
  type GarageAdminOperationId,
  type GarageAdminOperations,
  type GarageAdminSchemas,
} from "./generated-types.js";
import { redactSecrets } from "./redact.js";
import type { GarageAdminTransport } from "./transport.js";

type Schemas = GarageAdminSchemas;

/** What the client reports about each request it made (never headers, bodies or secrets). */
export interface GarageAdminEvent {
  /** The operationId, e.g. `GetClusterLayout`. */
  operation: GarageAdminOperationId;
  /** HTTP method. */
  method: "GET" | "POST";
  /** HTTP status, or 0 when the transport failed. */
  status: number;
  /** Time the request took. */
  durationMs: number;
}

/** Options of {@link createGarageAdminClient}. */
export interface GarageAdminClientOptions {
  /** How requests reach Garage, e.g. {@link httpTransport}. */
  transport: GarageAdminTransport;
  /** The admin token (`admin_token` in garage.toml). Sent as a bearer token; never included in errors or events. */
  token: string;
  /** Called after every request, e.g. for a debug log. */
  onEvent?: (event: GarageAdminEvent) => void;
}

/** Selects a bucket for GetBucketInfo: by id, by global alias, or by search string. */
export type GarageBucketRef =
  | {
      /** Bucket id (64 hex characters). */
      id: string;
    }
  | {
      /** Global alias (bucket name). */
      globalAlias: string;
    }
  | {
      /** Partial id or alias. */
      search: string;
    };

/** Selects a key for GetKeyInfo: by access key id or by search string. */
export type GarageKeyRef =
  | {
      /** Access key id. */
      id: string;
    }
  | {
      /** Partial id or name. */
      search: string;
    };

/**
 * A typed client for the Garage admin API v2. Every method calls one operation of the API and resolves with its
 * JSON answer; any non-2xx answer rejects with `FediError("STORAGE_FAILED")` naming the operation and Garage's
 * error code and message (see {@link garageErrorCode}).
 */
export interface GarageAdminClient {
  /** Calls any operation by operationId (escape hatch for operations without a dedicated method). */
  call<K extends GarageAdminOperationId>(
    operation: K,
    input?: { params?: GarageAdminOperations[K]["params"]; body?: GarageAdminOperations[K]["body"] },
  ): Promise<GarageAdminOperations[K]["response"]>;
  /** GetClusterStatus: known nodes, whether they are up, their roles. */
  getClusterStatus(): Promise<Schemas["GetClusterStatusResponse"]>;
  /** GetClusterHealth: counts of connected and healthy storage nodes and partitions. */
  getClusterHealth(): Promise<Schemas["GetClusterHealthResponse"]>;
  /** ConnectClusterNodes: asks the node to connect to peers given as `<node id>@<host>:<rpc port>`. */
  connectClusterNodes(peers: Schemas["ConnectClusterNodesRequest"]): Promise<Schemas["ConnectClusterNodesResponse"]>;
  /** GetNodeInfo: node id and version of one node (`self` by default, or a node id, or `*`). */
  getNodeInfo(node?: string): Promise<Schemas["MultiResponse_LocalGetNodeInfoResponse"]>;
  /** GetClusterLayout: the current layout version, roles, parameters and staged changes. */
  getClusterLayout(): Promise<Schemas["GetClusterLayoutResponse"]>;
  /** UpdateClusterLayout: stages role changes and/or parameters. */
  updateClusterLayout(request: Schemas["UpdateClusterLayoutRequest"]): Promise<Schemas["UpdateClusterLayoutResponse"]>;
  /** PreviewClusterLayoutChanges: computes the layout the staged changes would give, without applying it. */
  previewClusterLayoutChanges(): Promise<Schemas["PreviewClusterLayoutChangesResponse"]>;
  /** ApplyClusterLayout: applies the staged changes; `version` must be the current version + 1. */
  applyClusterLayout(request: Schemas["ApplyClusterLayoutRequest"]): Promise<Schemas["ApplyClusterLayoutResponse"]>;
  /** RevertClusterLayout: drops all staged changes. */
  revertClusterLayout(): Promise<Schemas["RevertClusterLayoutResponse"]>;
  /** ListBuckets. */
  listBuckets(): Promise<Schemas["ListBucketsResponse"]>;
  /** GetBucketInfo by id, global alias or search string. */
  getBucketInfo(ref: GarageBucketRef): Promise<Schemas["GetBucketInfoResponse"]>;
  /** CreateBucket. */
  createBucket(request: Schemas["CreateBucketRequest"]): Promise<Schemas["CreateBucketResponse"]>;
  /** UpdateBucket: website access and quotas of the bucket `id`. */
  updateBucket(id: string, body: Schemas["UpdateBucketRequestBody"]): Promise<Schemas["UpdateBucketResponse"]>;
  /** DeleteBucket (the bucket must be empty). */
  deleteBucket(id: string): Promise<void>;
  /** AddBucketAlias: a global alias, or a local alias of a key. */
  addBucketAlias(request: Schemas["AddBucketAliasRequest"]): Promise<Schemas["AddBucketAliasResponse"]>;
  /** RemoveBucketAlias. */
  removeBucketAlias(request: Schemas["RemoveBucketAliasRequest"]): Promise<Schemas["RemoveBucketAliasResponse"]>;
  /** ListKeys. */
  listKeys(): Promise<Schemas["ListKeysResponse"]>;
  /** GetKeyInfo; the secret is only returned with `showSecretKey: true`. */
  getKeyInfo(ref: GarageKeyRef, options?: { showSecretKey?: boolean }): Promise<Schemas["GetKeyInfoResponse"]>;
  /** CreateKey: Garage generates the access key id and secret. */
  createKey(request: Schemas["CreateKeyRequest"]): Promise<Schemas["CreateKeyResponse"]>;
  /** ImportKey: registers a key whose id and secret were generated elsewhere. Refused for an id Garage ever saw. */
  importKey(request: Schemas["ImportKeyRequest"]): Promise<Schemas["ImportKeyResponse"]>;
  /** UpdateKey: name, expiration, create-bucket permission. */
  updateKey(id: string, body: Schemas["UpdateKeyRequestBody"]): Promise<Schemas["UpdateKeyResponse"]>;
  /** DeleteKey. */
  deleteKey(id: string): Promise<void>;
  /** AllowBucketKey: grants the flags set to true in `permissions`. */
  allowBucketKey(request: Schemas["AllowBucketKeyRequest"]): Promise<Schemas["AllowBucketKeyResponse"]>;
  /** DenyBucketKey: revokes the flags set to true in `permissions`. */
  denyBucketKey(request: Schemas["DenyBucketKeyRequest"]): Promise<Schemas["DenyBucketKeyResponse"]>;
}

/** Garage's JSON error body (`{code, message, path, region}`), as far as it is present. */
interface GarageErrorBody {
  code?: string;
  message?: string;
}

function errorBody(body: unknown): GarageErrorBody {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const { code, message } = body as Record<string, unknown>;
    return {
      ...(typeof code === "string" ? { code } : {}),
      ...(typeof message === "string" ? { message } : {}),
    };
  }
  return typeof body === "string" && body.trim() !== "" ? { message: body.trim().slice(0, 500) } : {};
}

function hintFor(status: number): string {
  if (status === 401 || status === 403) {
    return "Check the Garage admin token: it must equal admin_token in the node's garage.toml.";
  }
  if (status === 404) return "The bucket, key or node does not exist in Garage.";
  if (status === 400 || status === 409) return "Garage refused the request as given; see its message.";
  return "Check the Garage service and its logs on the storage node (journalctl -u garage).";
}

/** Collects `secretAccessKey` values found anywhere in a request body, so errors can never echo them. */
function secretsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) secretsIn(item, out);
  else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if ((key === "secretAccessKey" || key === "secretToken") && typeof item === "string") out.push(item);
      else secretsIn(item, out);
    }
  }
  return out;
}

/**
 * Garage's error code (e.g. `NoSuchBucket`, `NoSuchAccessKey`, `KeyAlreadyExists`, `InvalidRequest`) carried by an
 * error from the admin client, or undefined for any other error.
 */
export function garageErrorCode(error: unknown): string | undefined {
  if (!isFediError(error) || error.code !== "STORAGE_FAILED") return undefined;
  const code = error.details.garageCode;
  return typeof code === "string" ? code : undefined;
}

/** The HTTP status of a failed admin API call, or undefined for any other error. */
export function garageErrorStatus(error: unknown): number | undefined {
  if (!isFediError(error) || error.code !== "STORAGE_FAILED") return undefined;
  const status = error.details.status;
  return typeof status === "number" ? status : undefined;
}

function toQuery(params: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!params) return undefined;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    query[name] = String(value);
  }
  return Object.keys(query).length > 0 ? query : undefined;
}

/** Creates a typed admin API v2 client over the given transport. */
export function createGarageAdminClient(options: GarageAdminClientOptions): GarageAdminClient {
  const { transport, token, onEvent } = options;
  if (typeof token !== "string" || token.trim() === "") {
    throw new FediError("STORAGE_FAILED", "The Garage admin token is empty.", {
      hint: "Pass the admin_token of the Garage cluster (from the deployment's secrets).",
    });
  }

  async function call<K extends GarageAdminOperationId>(
    operation: K,
    input: { params?: GarageAdminOperations[K]["params"]; body?: GarageAdminOperations[K]["body"] } = {},
  ): Promise<GarageAdminOperations[K]["response"]> {
    const facts = GARAGE_ADMIN_OPERATIONS[operation];
    const secrets = [token, ...secretsIn(input.body)];
    const query = toQuery(input.params as Record<string, unknown> | undefined);
    const started = performance.now();
    let status = 0;
    try {
      const response = await transport({
        method: facts.method,
        path: facts.path,
        ...(query ? { query } : {}),
        ...(input.body === undefined ? {} : { body: input.body }),
        headers: { authorization: `Bearer ${token}` },
      });
      status = response.status;
      if (status >= 200 && status < 300) return response.body as GarageAdminOperations[K]["response"];
      const { code, message } = errorBody(response.body);
      const text = redactSecrets(
        `Garage admin API ${operation} failed with HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : "."}`,
        secrets,
      );
      throw new FediError("STORAGE_FAILED", text, {
        hint: hintFor(status),
        details: { operation, status, ...(code ? { garageCode: code } : {}) },
      });
    } catch (error) {
      if (isFediError(error)) {
        if (error.details.operation === operation) throw error;
        // A transport error: name the operation, keep its code and hint, and make sure no secret leaks.
        throw new FediError(error.code, redactSecrets(`${operation}: ${error.message}`, secrets), {
          ...(error.hint ? { hint: redactSecrets(error.hint, secrets) } : {}),
          details: { operation, status: 0 },
        });
      }
      const reason = error instanceof Error ? error.message : String(error);
      throw new FediError("STORAGE_FAILED", redactSecrets(`Garage admin API ${operation} failed: ${reason}`, secrets), {
        hint: "Check that the Garage admin API is reachable.",
        details: { operation, status: 0 },
      });
    } finally {
      onEvent?.({ operation, method: facts.method, status, durationMs: performance.now() - started });
    }
  }

  return {
    call,
    getClusterStatus: () => call("GetClusterStatus"),
    getClusterHealth: () => call("GetClusterHealth"),
    connectClusterNodes: (peers) => call("ConnectClusterNodes", { body: peers }),
    getNodeInfo: (node = "self") => call("GetNodeInfo", { params: { node } }),
    getClusterLayout: () => call("GetClusterLayout"),
    updateClusterLayout: (request) => call("UpdateClusterLayout", { body: request }),
    previewClusterLayoutChanges: () => call("PreviewClusterLayoutChanges"),
    applyClusterLayout: (request) => call("ApplyClusterLayout", { body: request }),
    revertClusterLayout: () => call("RevertClusterLayout"),
    listBuckets: () => call("ListBuckets"),
    getBucketInfo: (ref) => call("GetBucketInfo", { params: ref }),
    createBucket: (request) => call("CreateBucket", { body: request }),
    updateBucket: (id, body) => call("UpdateBucket", { params: { id }, body }),
    deleteBucket: async (id) => {
      await call("DeleteBucket", { params: { id } });
    },
    addBucketAlias: (request) => call("AddBucketAlias", { body: request }),
    removeBucketAlias: (request) => call("RemoveBucketAlias", { body: request }),
    listKeys: () => call("ListKeys"),
    getKeyInfo: (ref, opts = {}) =>
      call("GetKeyInfo", { params: { ...ref, ...(opts.showSecretKey ? { showSecretKey: true } : {}) } }),
    createKey: (request) => call("CreateKey", { body: request }),
    importKey: (request) => call("ImportKey", { body: request }),
    updateKey: (id, body) => call("UpdateKey", { params: { id }, body }),
    deleteKey: async (id) => {
      await call("DeleteKey", { params: { id } });
    },
    allowBucketKey: (request) => call("AllowBucketKey", { body: request }),
    denyBucketKey: (request) => call("DenyBucketKey", { body: request }),
  };
}
