/**
 * Derives `spec/garage-admin-v2.schemas.json` from Garage's upstream admin API v2 OpenAPI document
 * (`doc/api/garage-admin-v2.json` in the Garage repository): operations (method, operationId, parameters,
 * request and response schemas) and component schemas, with every description, summary, title and example removed.
 *
 * One fact is corrected: upstream declares ids such as `id` and `node` as `in: path` parameters of paths that have
 * no `{id}` template (e.g. `POST /v2/UpdateBucket`), while Garage's router reads them from the query string
 * (`query::id`, `query::node` in `src/api/admin/router_v2.rs`). The copy declares them `in: query`, so that clients
 * generated from it (openapi-fetch) send them where Garage reads them.
 *
 * Usage (from the repository root):
 *   npx tsx packages/storage-garage/scripts/derive-admin-spec.ts <upstream garage-admin-v2.json> [output]
 * Then regenerate the types: `npx tsx packages/storage-garage/scripts/generate-admin-types.ts`.
 * @module
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Schema keywords that carry prose only. */
const PROSE_KEYWORDS = new Set(["description", "summary", "title", "example", "examples"]);

/** The default output: the package's spec copy. */
export const DEFAULT_SPEC_PATH = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../spec/garage-admin-v2.schemas.json",
);

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Removes prose keywords from a JSON Schema, keeping property names (a property may be called `description`). */
function stripSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(stripSchema);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PROSE_KEYWORDS.has(key)) continue;
    if ((key === "properties" || key === "$defs" || key === "patternProperties") && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, stripSchema(sub)]));
    } else {
      out[key] = stripSchema(value);
    }
  }
  return out;
}

function stripContent(content: Json | undefined): JsonObject | undefined {
  if (!isObject(content)) return undefined;
  const out: JsonObject = {};
  for (const [mediaType, media] of Object.entries(content)) {
    if (isObject(media) && media.schema !== undefined) out[mediaType] = { schema: stripSchema(media.schema) };
  }
  return out;
}

/**
 * Where Garage reads a parameter: a `path` parameter without a `{name}` template in the path is read from the query
 * string (see the module comment).
 */
function parameterLocation(path: string, param: JsonObject): Json {
  if (param.in === "path" && typeof param.name === "string" && !path.includes(`{${param.name}}`)) return "query";
  return param.in ?? null;
}

function stripOperation(path: string, op: JsonObject): JsonObject {
  const out: JsonObject = {};
  if (typeof op.operationId === "string") out.operationId = op.operationId;
  if (Array.isArray(op.parameters)) {
    out.parameters = op.parameters.filter(isObject).map((p) => {
      const param: JsonObject = { name: p.name ?? null, in: parameterLocation(path, p), required: p.required === true };
      if (p.schema !== undefined) param.schema = stripSchema(p.schema);
      return param;
    });
  }
  if (isObject(op.requestBody)) {
    const body: JsonObject = { required: op.requestBody.required === true };
    const content = stripContent(op.requestBody.content);
    if (content) body.content = content;
    out.requestBody = body;
  }
  if (isObject(op.responses)) {
    const responses: JsonObject = {};
    for (const [status, response] of Object.entries(op.responses)) {
      const content = isObject(response) ? stripContent(response.content) : undefined;
      responses[status] = content && Object.keys(content).length > 0 ? { content } : {};
    }
    out.responses = responses;
  }
  if (op.security !== undefined) out.security = op.security;
  return out;
}

/** Builds the prose-free copy of the upstream document. */
export function deriveAdminSpec(upstream: JsonObject): JsonObject {
  const info = isObject(upstream.info) ? upstream.info : {};
  const components = isObject(upstream.components) ? upstream.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const paths: JsonObject = {};
  for (const [path, item] of Object.entries(isObject(upstream.paths) ? upstream.paths : {})) {
    if (!isObject(item)) continue;
    const methods: JsonObject = {};
    for (const [method, op] of Object.entries(item)) if (isObject(op)) methods[method] = stripOperation(path, op);
    paths[path] = methods;
  }
  return {
    "x-derived-from":
      "Garage doc/api/garage-admin-v2.json; prose removed and untemplated path parameters declared in: query by packages/storage-garage/scripts/derive-admin-spec.ts",
    openapi: upstream.openapi ?? null,
    info: { version: info.version ?? null },
    security: upstream.security ?? [],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, stripSchema(schema)])),
      securitySchemes: isObject(components.securitySchemes) ? components.securitySchemes : {},
    },
  };
}

/** Writes `text` to `path` through a temporary file and a rename. */
export function writeAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function main(argv: string[]): void {
  const [input, output = DEFAULT_SPEC_PATH] = argv;
  if (!input) {
    process.stderr.write("usage: derive-admin-spec.ts <upstream garage-admin-v2.json> [output]\n");
    process.exitCode = 2;
    return;
  }
  const upstream = JSON.parse(readFileSync(input, "utf8")) as JsonObject;
  writeAtomic(output, `${JSON.stringify(deriveAdminSpec(upstream), null, 2)}\n`);
  process.stdout.write(`wrote ${output}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
