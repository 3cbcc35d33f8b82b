import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deriveAdminSpec } from "../../scripts/derive-admin-spec.js";
import { GENERATED_TYPES_PATH, generateAdminTypes, toType } from "../../scripts/generate-admin-types.js";
import { GARAGE_ADMIN_OPERATIONS } from "../../src/admin/generated-types.js";

describe("spec copy and generated types", () => {
  it("regenerating the types from the spec copy gives the committed file (no drift)", () => {
    const committed = readFileSync(GENERATED_TYPES_PATH, "utf8");
    expect(generateAdminTypes()).toBe(committed);
  });

  it("the spec copy has no prose left and keeps the operations the client uses", () => {
    const text = readFileSync(new URL("../../spec/garage-admin-v2.schemas.json", import.meta.url), "utf8");
    const spec = JSON.parse(text) as { paths: Record<string, Record<string, { operationId: string }>> };
    expect(text).not.toMatch(/"(description|summary|example|examples)"\s*:/);
    const ids = Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    for (const id of ["GetClusterLayout", "ApplyClusterLayout", "ImportKey", "UpdateBucket", "AllowBucketKey"]) {
      expect(ids).toContain(id);
    }
  });

  it("records that ids travel in the query string with the method Garage routes", () => {
    expect(GARAGE_ADMIN_OPERATIONS.UpdateBucket).toMatchObject({
      method: "POST",
      path: "/v2/UpdateBucket",
      params: ["id"],
    });
    expect(GARAGE_ADMIN_OPERATIONS.GetBucketInfo.params).toEqual(["id", "globalAlias", "search"]);
    expect(GARAGE_ADMIN_OPERATIONS.GetClusterLayout.method).toBe("GET");
  });

  it("derive strips prose but keeps a property that is named like a prose keyword", () => {
    const upstream = {
      openapi: "3.1.0",
      info: { title: "T", description: "long text", version: "v9" },
      paths: {
        "/v2/Op": {
          post: {
            tags: ["x"],
            description: "does things",
            operationId: "Op",
            parameters: [{ name: "id", in: "path", description: "the id", required: true, schema: { type: "string" } }],
            requestBody: {
              required: true,
              content: { "application/json": { schema: { $ref: "#/components/schemas/Req" } } },
            },
            responses: {
              "200": { description: "ok", content: { "application/json": { schema: { type: "string" } } } },
              "500": { description: "boom" },
            },
          },
        },
      },
      components: {
        schemas: {
          Req: {
            type: "object",
            description: "a request",
            required: ["description"],
            properties: { description: { type: "string", description: "a field named description", example: "x" } },
          },
        },
      },
    };
    const derived = deriveAdminSpec(upstream) as unknown as {
      info: unknown;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(derived.info).toEqual({ version: "v9" });
    expect(derived.paths["/v2/Op"]?.post).toEqual({
      operationId: "Op",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/Req" } } },
      },
      responses: { "200": { content: { "application/json": { schema: { type: "string" } } } }, "500": {} },
    });
    expect(derived.components.schemas.Req).toEqual({
      type: "object",
      required: ["description"],
      properties: { description: { type: "string" } },
    });
  });

  it("translates the JSON Schema shapes the spec uses", () => {
    expect(toType({ type: ["integer", "null"] })).toBe("number | null");
    expect(toType({ oneOf: [{ type: "null" }, { $ref: "#/components/schemas/X" }] })).toBe(
      'null | GarageAdminSchemas["X"]',
    );
    expect(toType({ type: "array", items: false, prefixItems: [{ type: "string" }, { type: "string" }] })).toBe(
      "[string, string]",
    );
    expect(toType({ type: "string", enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(toType({ default: null })).toBe("unknown");
    expect(toType({ type: "array", items: { oneOf: [{ type: "string" }, { type: "integer" }] } })).toBe(
      "(string | number)[]",
    );
  });
});
