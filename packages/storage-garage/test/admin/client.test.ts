import { FediError, hasErrorCode } from "@fediversity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGarageAdminClient,
  type GarageAdminEvent,
  type GarageAdminRequest,
  type GarageAdminTransport,
  garageErrorCode,
  garageErrorStatus,
  httpTransport,
} from "../../src/runtime.js";
import { type GarageAdminDouble, startGarageAdminDouble } from "../doubles/garage-admin-double.js";
import { freshKey, freshToken, nodeId } from "../support/fixtures.js";

async function rejection(promise: Promise<unknown>): Promise<FediError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FediError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

function everything(error: FediError): string {
  return JSON.stringify({
    message: error.message,
    hint: error.hint,
    details: error.details,
    json: error.toJSON(),
    d: error.describe(),
  });
}

describe("Garage admin client against the admin double", () => {
  const token = freshToken();
  let double: GarageAdminDouble;

  beforeAll(async () => {
    double = await startGarageAdminDouble({ token, nodes: [{ id: nodeId(1) }] });
  });
  afterAll(async () => {
    expect(double.violations).toEqual([]);
    await double.close();
  });

  it("reads node info and cluster status with the bearer token", async () => {
    const client = createGarageAdminClient({ transport: httpTransport(double.url), token });
    const info = await client.getNodeInfo();
    expect(Object.keys(info.success)).toEqual([nodeId(1)]);
    const status = await client.getClusterStatus();
    expect(status.layoutVersion).toBe(0);
    expect(status.nodes.map((n) => [n.id, n.isUp])).toEqual([[nodeId(1), true]]);
    const health = await client.getClusterHealth();
    expect(health.knownNodes).toBe(1);
  });

  it("sends ids in the query string, as Garage reads them", async () => {
    const client = createGarageAdminClient({ transport: httpTransport(double.url), token });
    const bucket = await client.createBucket({ globalAlias: "query-ids" });
    double.clearCalls();
    await client.updateBucket(bucket.id, { quotas: { maxSize: 4096, maxObjects: null } });
    await client.getBucketInfo({ globalAlias: "query-ids" });
    expect(double.calls.map((c) => [c.operation, c.query])).toEqual([
      ["UpdateBucket", { id: bucket.id }],
      ["GetBucketInfo", { globalAlias: "query-ids" }],
    ]);
    expect(double.bucket("query-ids")?.quotas).toEqual({ maxSize: 4096, maxObjects: null });
  });

  it("hands the transport the method, path, query string, JSON body and bearer token of each call", async () => {
    const seen: GarageAdminRequest[] = [];
    const recording: GarageAdminTransport = async (request) => {
      seen.push(request);
      return { status: 200, body: request.path === "/v2/DeleteKey" ? null : { id: "b1" } };
    };
    const client = createGarageAdminClient({ transport: recording, token: "t0ken-abc" });
    await client.updateBucket("b1", { websiteAccess: { enabled: false } });
    await client.getKeyInfo({ search: "GK1" }, { showSecretKey: true });
    await client.deleteKey("GK1");
    await client.previewClusterLayoutChanges();
    expect(seen.map((r) => [r.method, r.path, r.query, r.body, r.headers.authorization])).toEqual([
      ["POST", "/v2/UpdateBucket", { id: "b1" }, { websiteAccess: { enabled: false } }, "Bearer t0ken-abc"],
      ["GET", "/v2/GetKeyInfo", { search: "GK1", showSecretKey: "true" }, undefined, "Bearer t0ken-abc"],
      ["POST", "/v2/DeleteKey", { id: "GK1" }, undefined, "Bearer t0ken-abc"],
      ["POST", "/v2/PreviewClusterLayoutChanges", undefined, undefined, "Bearer t0ken-abc"],
    ]);
  });

  it("exposes the openapi-fetch client for other operations, with the same token and errors", async () => {
    const client = createGarageAdminClient({ transport: httpTransport(double.url), token });
    await client.createBucket({ globalAlias: "via-api" });
    const { data } = await client.api.GET("/v2/ListBuckets");
    expect(data?.map((b) => b.globalAliases)).toContainEqual(["via-api"]);
    const missing = await rejection(
      client.api.GET("/v2/GetBucketInfo", { params: { query: { globalAlias: "no-such-bucket" } } }),
    );
    expect(garageErrorCode(missing)).toBe("NoSuchBucket");
    expect(missing.message).toContain("GetBucketInfo");
  });

  it("refuses an empty 2xx answer where the spec promises JSON, and accepts it where it promises none", async () => {
    const empty: GarageAdminTransport = async () => ({ status: 200, body: null });
    const client = createGarageAdminClient({ transport: empty, token: "t0ken-abc" });
    const error = await rejection(client.getClusterHealth());
    expect(error.code).toBe("STORAGE_FAILED");
    expect(error.message).toBe("Garage admin API GetClusterHealth answered HTTP 200 with no body.");
    await expect(client.deleteBucket("b1")).resolves.toBeUndefined();
  });

  it("a wrong token gives STORAGE_FAILED naming the operation and Garage's code, without the token", async () => {
    const canary = `canary-token-${freshToken()}`;
    const events: GarageAdminEvent[] = [];
    const client = createGarageAdminClient({
      transport: httpTransport(double.url),
      token: canary,
      onEvent: (e) => events.push(e),
    });
    const error = await rejection(client.getClusterLayout());
    expect(error.code).toBe("STORAGE_FAILED");
    expect(error.message).toContain("GetClusterLayout");
    expect(error.message).toContain("403");
    expect(error.message).toContain("AccessDenied");
    expect(error.hint).toMatch(/admin token/);
    expect(garageErrorCode(error)).toBe("AccessDenied");
    expect(everything(error)).not.toContain(canary);
    expect(JSON.stringify(events)).not.toContain(canary);
    expect(events).toEqual([expect.objectContaining({ operation: "GetClusterLayout", status: 403 })]);
  });

  it("maps Garage's 404 and 409 answers to codes the caller can test", async () => {
    const client = createGarageAdminClient({ transport: httpTransport(double.url), token });
    const missing = await rejection(client.getBucketInfo({ globalAlias: "does-not-exist" }));
    expect(garageErrorStatus(missing)).toBe(404);
    expect(garageErrorCode(missing)).toBe("NoSuchBucket");
    const key = freshKey("dup");
    await client.importKey({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, name: key.name });
    const again = await rejection(
      client.importKey({ accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, name: key.name }),
    );
    expect(garageErrorCode(again)).toBe("KeyAlreadyExists");
    expect(everything(again)).not.toContain(key.secretAccessKey);
  });

  it("never lets a secretAccessKey of the request into an error, even when the server echoes it", async () => {
    const secret = "ab".repeat(32);
    const echo: GarageAdminTransport = async (req) => ({
      status: 400,
      body: {
        code: "InvalidRequest",
        message: `Bad request: cannot use ${JSON.stringify(req.body)} with ${req.headers.authorization}`,
      },
    });
    const client = createGarageAdminClient({ transport: echo, token: "canary-admin-token-123" });
    const error = await rejection(client.importKey({ accessKeyId: `GK${"0".repeat(24)}`, secretAccessKey: secret }));
    expect(error.message).toContain("[redacted]");
    expect(everything(error)).not.toContain(secret);
    expect(everything(error)).not.toContain("canary-admin-token-123");
  });

  it("reports an unreachable admin API with a hint about the tunnel", async () => {
    const closed = await startGarageAdminDouble({ token, nodes: [{ id: nodeId(9) }] });
    const url = closed.url;
    await closed.close();
    const client = createGarageAdminClient({ transport: httpTransport(url, { timeoutMs: 2000 }), token });
    const error = await rejection(client.getClusterHealth());
    expect(error.code).toBe("STORAGE_FAILED");
    expect(error.message).toContain("GetClusterHealth");
    expect(error.message).toContain(url);
    expect(error.hint).toMatch(/tunnel/);
    expect(everything(error)).not.toContain(token);
  });

  it("rejects a non-http base URL and an empty token", () => {
    expect(() => httpTransport("ftp://example")).toThrowError(/not an http\(s\) URL/);
    let error: unknown;
    try {
      createGarageAdminClient({ transport: httpTransport(double.url), token: " " });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "STORAGE_FAILED")).toBe(true);
  });
});
