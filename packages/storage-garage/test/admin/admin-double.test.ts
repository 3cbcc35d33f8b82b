import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GarageAdminDouble, startGarageAdminDouble } from "../doubles/garage-admin-double.js";
import { freshToken, nodeId } from "../support/fixtures.js";

/** The double's own contract: it must catch what the real server would refuse or silently ignore. */
describe("Garage admin double", () => {
  const token = freshToken();
  let double: GarageAdminDouble;

  beforeAll(async () => {
    double = await startGarageAdminDouble({ token, nodes: [{ id: nodeId(1) }] });
  });
  afterAll(async () => {
    await double.close();
  });

  async function post(path: string, body: unknown, auth = `Bearer ${token}`) {
    const res = await fetch(`${double.url}${path}`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    return {
      status: res.status,
      body: (await res.json()) as { code: string; message: string; path: string; region: string },
    };
  }

  function takeViolations(): string[] {
    return double.violations.splice(0, double.violations.length);
  }

  it("answers 500 and records a violation for a request body that breaks the spec", async () => {
    const res = await post("/v2/UpdateClusterLayout", { roles: [{ id: nodeId(1), zone: "dc1", capacity: 4096 }] });
    expect(res.status).toBe(500);
    const violations = takeViolations();
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain("UpdateClusterLayout request");
    expect(double.layout().staged).toBe(0);
  });

  it("records fields and query parameters the operation does not take", async () => {
    expect((await post("/v2/ApplyClusterLayout", { version: 1, force: true })).status).toBe(500);
    expect((await post("/v2/CreateBucket?id=abc", { globalAlias: "x-bucket" })).status).toBe(500);
    const violations = takeViolations();
    expect(violations[0]).toContain("unknown to the spec: .force");
    expect(violations[1]).toContain("query parameter(s) id not taken");
  });

  it("answers like Garage for a missing id, an unknown endpoint, bad JSON and a missing token", async () => {
    const missing = await post("/v2/UpdateBucket", {});
    expect(missing).toEqual({
      status: 400,
      body: {
        code: "InvalidRequest",
        message: "Bad request: Missing argument `id` for endpoint",
        path: "/v2/UpdateBucket",
        region: "garage",
      },
    });
    const unknown = await post("/v2/UpdateBucket/abc", {});
    expect(unknown.body.message).toBe("Bad request: Unknown API endpoint: POST /v2/UpdateBucket/abc");
    const badJson = await post("/v2/CreateBucket", "{");
    expect(badJson.status).toBe(400);
    expect(badJson.body.message).toMatch(/^Bad request: Invalid JSON/);
    const noToken = await post("/v2/CreateBucket", { globalAlias: "x-bucket" }, "");
    expect(noToken.status).toBe(403);
    expect(noToken.body.message).toBe("Forbidden: Invalid Authorization header");
    expect(takeViolations()).toEqual([]);
  });
});
