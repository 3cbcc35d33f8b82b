import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { deriveAdminSpec } from "../../scripts/derive-admin-spec.js";
import { GENERATED_TYPES_PATH, generateAdminTypes } from "../../scripts/generate-admin-types.js";
import type { GarageAdminApi, GarageAdminPaths, GarageAdminSchemas } from "../../src/runtime.js";

interface SpecParameter {
  name: string;
  in: string;
  required: boolean;
}
type SpecCopy = { paths: Record<string, Record<string, { operationId: string; parameters?: SpecParameter[] }>> };

function specCopy(): SpecCopy {
  return JSON.parse(readFileSync(new URL("../../spec/garage-admin-v2.schemas.json", import.meta.url), "utf8"));
}

describe("spec copy and generated types", () => {
  it("regenerating the types from the spec copy with openapi-typescript gives the committed file (no drift)", async () => {
    const committed = readFileSync(GENERATED_TYPES_PATH, "utf8");
    expect(await generateAdminTypes()).toBe(committed);
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

  it("declares every parameter where Garage's router reads it: the query string, no untemplated path parameter", () => {
    const params = Object.entries(specCopy().paths).flatMap(([path, item]) =>
      Object.values(item).flatMap((op) => (op.parameters ?? []).map((p) => ({ path, op: op.operationId, ...p }))),
    );
    expect(params.filter((p) => p.in !== "query")).toEqual([]);
    const of = (id: string) => params.filter((p) => p.op === id).map((p) => [p.name, p.required]);
    expect(of("UpdateBucket")).toEqual([["id", true]]);
    expect(of("GetBucketInfo")).toEqual([
      ["id", false],
      ["globalAlias", false],
      ["search", false],
    ]);
    expect(of("GetNodeInfo")).toEqual([["node", true]]);
  });

  it("the generated types follow the spec's shapes (checked by tsc)", () => {
    type Quotas = GarageAdminSchemas["ApiBucketQuotas"];
    expectTypeOf<Quotas["maxSize"]>().toEqualTypeOf<number | null | undefined>();
    expectTypeOf<GarageAdminSchemas["ClusterLayoutVersionStatus"]>().toEqualTypeOf<
      "Current" | "Draining" | "Historical"
    >();
    expectTypeOf<NonNullable<GarageAdminSchemas["InspectObjectVersion"]["headers"]>>().toEqualTypeOf<
      [string, string][]
    >();
    expectTypeOf<GarageAdminSchemas["LocalGetWorkerVariableResponse"]>().toEqualTypeOf<{ [key: string]: string }>();
    type UpdateBucket = GarageAdminPaths["/v2/UpdateBucket"]["post"];
    expectTypeOf<UpdateBucket["parameters"]["query"]>().toEqualTypeOf<{ id: string }>();
    // A call without the id Garage requires does not compile.
    const call = (api: GarageAdminApi) => {
      // @ts-expect-error params.query.id is required
      void api.POST("/v2/UpdateBucket", { body: {} });
      void api.POST("/v2/UpdateBucket", { params: { query: { id: "b" } }, body: {} });
    };
    expect(call).toBeTypeOf("function");
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
        "/v2/Item/{name}": {
          get: {
            operationId: "Item",
            parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }],
            responses: { "200": {} },
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
      // Garage reads an untemplated "path" parameter from the query string; the copy says so.
      parameters: [{ name: "id", in: "query", required: true, schema: { type: "string" } }],
      requestBody: {
        required: true,
        content: { "application/json": { schema: { $ref: "#/components/schemas/Req" } } },
      },
      responses: { "200": { content: { "application/json": { schema: { type: "string" } } } }, "500": {} },
    });
    expect(derived.paths["/v2/Item/{name}"]?.get).toMatchObject({
      parameters: [{ name: "name", in: "path", required: true }],
    });
    expect(derived.components.schemas.Req).toEqual({
      type: "object",
      required: ["description"],
      properties: { description: { type: "string" } },
    });
  });
});
