import { FediError, isFediError } from "@fediversity/core";
import createClient, { type Client } from "openapi-fetch";
import type { components, operations, paths } from "./generated-types.js";
import { redactSecrets } from "./redact.js";
import type { GarageAdminRequest, GarageAdminTransport } from "./transport.js";

/** Component schemas of the Garage admin API v2, by name (e.g. `GarageAdminSchemas["GetBucketInfoResponse"]`). */
export type GarageAdminSchemas = components["schemas"];

/** The operationId of an admin API operation, e.g. `GetClusterLayout`. */
export type GarageAdminOperationId = keyof operations;

/**
 * The openapi-fetch client of the admin API (see {@link GarageAdminClient.api}): `GET` and `POST` take a path of the
 * API, e.g. `/v2/GetClusterStatistics`, and its typed `params` and `body`.
 */
export type GarageAdminApi = Client<paths>;

type Schemas = GarageAdminSchemas;

/** What the client reports about each request it made (never headers, bodies or secrets). */
export interface GarageAdminEvent {
  /** The operationId (the path's last segment for `/v2/` operations, e.g. `GetClusterLayout`), or the path. */
  operation: string;
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
  /**
   * The typed openapi-fetch client underneath, for operations without a dedicated method, e.g.
   * `(await client.api.GET("/v2/GetClusterStatistics")).data`. It sends through the same transport with the same
   * token, and a failure rejects with the same `STORAGE_FAILED` error as the methods (it never resolves `error`).
   * Garage reads every parameter from the query string: pass them as `params.query`.
   */
  readonly api: GarageAdminApi;
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

/**
 * The origin openapi-fetch builds request URLs on. It never reaches the network: the client's `fetch` hands only
 * the path and query to the transport, which knows the real admin endpoint.
 */
const TRANSPORT_ORIGIN = "http://garage-admin.invalid";

/** The operation a request path names: `/v2/GetClusterLayout` → `GetClusterLayout`. */
function operationOf(pathname: string): string {
  return pathname.startsWith("/v2/") ? pathname.slice("/v2/".length) : pathname;
}

/** Statuses whose answer cannot carry a body (the `Response` constructor refuses one). */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);

/** Creates a typed admin API v2 client (openapi-fetch over {@link GarageAdminClientOptions.transport}). */
export function createGarageAdminClient(options: GarageAdminClientOptions): GarageAdminClient {
  const { transport, token, onEvent } = options;
  if (typeof token !== "string" || token.trim() === "") {
    throw new FediError("STORAGE_FAILED", "The Garage admin token is empty.", {
      hint: "Pass the admin_token of the Garage cluster (from the deployment's secrets).",
    });
  }

  /** The operation each answer of {@link send} belongs to, for {@link json}'s message. */
  const operationOfAnswer = new WeakMap<Response, string>();

  /** openapi-fetch's `fetch`: hands the request to the transport and turns failures into `STORAGE_FAILED`. */
  async function send(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const operation = operationOf(url.pathname);
    const method = request.method === "GET" ? "GET" : "POST";
    const text = await request.text();
    const body: unknown = text === "" ? undefined : JSON.parse(text);
    const query = Object.fromEntries(url.searchParams);
    const secrets = [token, ...secretsIn(body)];
    const adminRequest: GarageAdminRequest = {
      method,
      path: url.pathname,
      ...(Object.keys(query).length > 0 ? { query } : {}),
      ...(body === undefined ? {} : { body }),
      headers: Object.fromEntries(request.headers),
    };
    const started = performance.now();
    let status = 0;
    try {
      let response: Awaited<ReturnType<GarageAdminTransport>>;
      try {
        response = await transport(adminRequest);
      } catch (error) {
        throw transportError(error, operation, secrets);
      }
      status = response.status;
      if (status >= 200 && status < 300) {
        const empty = response.body === null || response.body === undefined || NULL_BODY_STATUSES.has(status);
        const answer = new Response(empty ? null : JSON.stringify(response.body), {
          status,
          headers: { "content-type": "application/json" },
        });
        operationOfAnswer.set(answer, operation);
        return answer;
      }
      const { code, message } = errorBody(response.body);
      const text = redactSecrets(
        `Garage admin API ${operation} failed with HTTP ${status}${code ? ` ${code}` : ""}${message ? `: ${message}` : "."}`,
        secrets,
      );
      throw new FediError("STORAGE_FAILED", text, {
        hint: hintFor(status),
        details: { operation, status, ...(code ? { garageCode: code } : {}) },
      });
    } finally {
      onEvent?.({ operation, method, status, durationMs: performance.now() - started });
    }
  }

  const api = createClient<paths>({
    baseUrl: TRANSPORT_ORIGIN,
    headers: { authorization: `Bearer ${token}` },
    fetch: send,
  });

  /** The JSON answer of a call; an empty 2xx answer where the spec promises JSON is an error, not `undefined`. */
  async function json<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
    const { data, response } = await call;
    if (data === undefined) {
      const operation = operationOfAnswer.get(response) ?? "call";
      throw new FediError(
        "STORAGE_FAILED",
        `Garage admin API ${operation} answered HTTP ${response.status} with no body.`,
        {
          hint: "Check that the endpoint is a Garage admin API v2 (Garage 2.x), not a proxy or another service.",
          details: { operation, status: response.status },
        },
      );
    }
    return data;
  }

  return {
    api,
    getClusterStatus: () => json(api.GET("/v2/GetClusterStatus")),
    getClusterHealth: () => json(api.GET("/v2/GetClusterHealth")),
    connectClusterNodes: (peers) => json(api.POST("/v2/ConnectClusterNodes", { body: peers })),
    getNodeInfo: (node = "self") => json(api.GET("/v2/GetNodeInfo", { params: { query: { node } } })),
    getClusterLayout: () => json(api.GET("/v2/GetClusterLayout")),
    updateClusterLayout: (request) => json(api.POST("/v2/UpdateClusterLayout", { body: request })),
    previewClusterLayoutChanges: () => json(api.POST("/v2/PreviewClusterLayoutChanges")),
    applyClusterLayout: (request) => json(api.POST("/v2/ApplyClusterLayout", { body: request })),
    revertClusterLayout: () => json(api.POST("/v2/RevertClusterLayout")),
    listBuckets: () => json(api.GET("/v2/ListBuckets")),
    getBucketInfo: (ref) => json(api.GET("/v2/GetBucketInfo", { params: { query: ref } })),
    createBucket: (request) => json(api.POST("/v2/CreateBucket", { body: request })),
    updateBucket: (id, body) => json(api.POST("/v2/UpdateBucket", { params: { query: { id } }, body })),
    deleteBucket: async (id) => {
      await api.POST("/v2/DeleteBucket", { params: { query: { id } } });
    },
    addBucketAlias: (request) => json(api.POST("/v2/AddBucketAlias", { body: request })),
    removeBucketAlias: (request) => json(api.POST("/v2/RemoveBucketAlias", { body: request })),
    listKeys: () => json(api.GET("/v2/ListKeys")),
    getKeyInfo: (ref, opts = {}) =>
      json(
        api.GET("/v2/GetKeyInfo", {
          params: { query: { ...ref, ...(opts.showSecretKey ? { showSecretKey: true } : {}) } },
        }),
      ),
    createKey: (request) => json(api.POST("/v2/CreateKey", { body: request })),
    importKey: (request) => json(api.POST("/v2/ImportKey", { body: request })),
    updateKey: (id, body) => json(api.POST("/v2/UpdateKey", { params: { query: { id } }, body })),
    deleteKey: async (id) => {
      await api.POST("/v2/DeleteKey", { params: { query: { id } } });
    },
    allowBucketKey: (request) => json(api.POST("/v2/AllowBucketKey", { body: request })),
    denyBucketKey: (request) => json(api.POST("/v2/DenyBucketKey", { body: request })),
  };
}

/** A transport's failure, naming the operation and keeping its code and hint, with every secret redacted. */
function transportError(error: unknown, operation: string, secrets: readonly string[]): FediError {
  if (isFediError(error)) {
    return new FediError(error.code, redactSecrets(`${operation}: ${error.message}`, secrets), {
      ...(error.hint ? { hint: redactSecrets(error.hint, secrets) } : {}),
      details: { operation, status: 0 },
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new FediError("STORAGE_FAILED", redactSecrets(`Garage admin API ${operation} failed: ${reason}`, secrets), {
    hint: "Check that the Garage admin API is reachable.",
    details: { operation, status: 0 },
  });
}
