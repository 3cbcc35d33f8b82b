/**
 * Generates `src/admin/generated-types.ts` from the spec copy `spec/garage-admin-v2.schemas.json`
 * (itself derived from Garage's upstream document by `derive-admin-spec.ts`).
 *
 * Usage (from the repository root): `npx tsx packages/storage-garage/scripts/generate-admin-types.ts [--check]`.
 * With `--check` it writes nothing and exits 1 when the file is out of date. The output is formatted with the
 * repository's Biome so that it passes `biome check` unchanged.
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_SPEC_PATH, writeAtomic } from "./derive-admin-spec.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const HERE = dirname(fileURLToPath(import.meta.url));
/** Where the generated file lives. */
export const GENERATED_TYPES_PATH = resolve(HERE, "../src/admin/generated-types.ts");

const HEADER = `// GENERATED FILE, do not edit by hand.
// Source: packages/storage-garage/spec/garage-admin-v2.schemas.json (Garage admin API v2, prose removed).
// Regenerate from the repository root:
//   npx tsx packages/storage-garage/scripts/derive-admin-spec.ts <upstream garage-admin-v2.json>   (spec copy)
//   npx tsx packages/storage-garage/scripts/generate-admin-types.ts                                (this file)
// test/admin/generated-types.test.ts fails when this file and the spec copy drift apart.
`;

const SCHEMAS = "GarageAdminSchemas";
const REF_PREFIX = "#/components/schemas/";

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A one-line TSDoc comment (the spec copy has no prose, so generated members get a factual note each). */
function doc(text: string): string {
  return `/** ${text} */`;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** Wraps a union or intersection in parentheses where precedence requires it. */
function group(type: string): string {
  return /^[\w$."[\]<>, ]+$/.test(type) || type.startsWith("{") || type.startsWith("[") ? type : `(${type})`;
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  if (unique.includes("unknown")) return "unknown";
  return unique.length === 0 ? "never" : unique.join(" | ");
}

function objectType(schema: JsonObject): string {
  const props = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const members = Object.entries(props).map(
    ([name, sub]) =>
      `${doc(`Field \`${name}\`${required.has(name) ? "" : " (optional)"}.`)}\n${propertyKey(name)}${required.has(name) ? "" : "?"}: ${toType(sub)};`,
  );
  const extra = schema.additionalProperties;
  if (extra !== undefined && extra !== false) {
    members.push(`[key: string]: ${extra === true ? "unknown" : toType(extra)};`);
  }
  if (members.length === 0) return "Record<string, unknown>";
  return `{\n${members.join("\n")}\n}`;
}

function arrayType(schema: JsonObject): string {
  if (Array.isArray(schema.prefixItems) && schema.items === false) {
    return `[${schema.prefixItems.map(toType).join(", ")}]`;
  }
  const items = schema.items === undefined || schema.items === true ? "unknown" : toType(schema.items);
  return `${group(items)}[]`;
}

function typeForName(name: string, schema: JsonObject): string {
  switch (name) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "null":
      return "null";
    case "array":
      return arrayType(schema);
    case "object":
      return objectType(schema);
    default:
      throw new Error(`unsupported JSON Schema type ${name}`);
  }
}

/** Translates one JSON Schema into a TypeScript type expression. */
export function toType(schema: Json): string {
  if (schema === true) return "unknown";
  if (schema === false) return "never";
  if (!isObject(schema)) throw new Error(`unsupported schema ${JSON.stringify(schema)}`);
  if (typeof schema.$ref === "string") {
    if (!schema.$ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${schema.$ref}`);
    return `${SCHEMAS}[${JSON.stringify(schema.$ref.slice(REF_PREFIX.length))}]`;
  }
  if (Array.isArray(schema.enum)) return union(schema.enum.map((v) => JSON.stringify(v)));
  if (Array.isArray(schema.allOf)) return schema.allOf.map((s) => group(toType(s))).join(" & ");
  if (Array.isArray(schema.oneOf)) return union(schema.oneOf.map(toType));
  if (Array.isArray(schema.anyOf)) return union(schema.anyOf.map(toType));
  if (Array.isArray(schema.type)) return union(schema.type.map((t) => typeForName(String(t), schema)));
  if (typeof schema.type === "string") return typeForName(schema.type, schema);
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return objectType(schema);
  return "unknown";
}

interface OperationInfo {
  id: string;
  method: string;
  path: string;
  params: Array<{ name: string; location: string; required: boolean; type: string }>;
  body: string | undefined;
  bodyRequired: boolean;
  response: string;
}

function jsonSchemaOf(content: Json | undefined): Json | undefined {
  if (!isObject(content)) return undefined;
  const media = content["application/json"];
  return isObject(media) ? media.schema : undefined;
}

function operations(spec: JsonObject): OperationInfo[] {
  const out: OperationInfo[] = [];
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op) || typeof op.operationId !== "string") continue;
      const params = (Array.isArray(op.parameters) ? op.parameters : []).filter(isObject).map((p) => ({
        name: String(p.name),
        location: String(p.in),
        required: p.required === true,
        type: p.schema === undefined ? "string" : toType(p.schema),
      }));
      const bodySchema = isObject(op.requestBody) ? jsonSchemaOf(op.requestBody.content) : undefined;
      const responses = isObject(op.responses) ? op.responses : {};
      const ok = responses["200"];
      const responseSchema = isObject(ok) ? jsonSchemaOf(ok.content) : undefined;
      out.push({
        id: op.operationId,
        method: method.toUpperCase(),
        path,
        params,
        body: bodySchema === undefined ? undefined : toType(bodySchema),
        bodyRequired: isObject(op.requestBody) && op.requestBody.required === true,
        response: responseSchema === undefined ? "unknown" : toType(responseSchema),
      });
    }
  }
  return out.sort((a, b) => a.id.localeCompare(b.id));
}

function paramsType(op: OperationInfo): string {
  if (op.params.length === 0) return "Record<string, never>";
  const members = op.params.map(
    (p) =>
      `${doc(`Parameter \`${p.name}\` (${p.location} in the spec, sent in the query string)${p.required ? "" : ", optional"}.`)}\n${propertyKey(p.name)}${p.required ? "" : "?"}: ${p.type};`,
  );
  return `{\n${members.join("\n")}\n}`;
}

/** Produces the (unformatted) TypeScript source for the given spec copy. */
export function renderAdminTypes(spec: JsonObject): string {
  const components = isObject(spec.components) ? spec.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const ops = operations(spec);
  const lines: string[] = [HEADER];
  lines.push(
    `/** Component schemas of the Garage admin API v2 (\`components.schemas\` of spec version ${String(
      isObject(spec.info) ? spec.info.version : "?",
    )}). */`,
  );
  lines.push(`export interface ${SCHEMAS} {`);
  for (const [name, schema] of Object.entries(schemas)) {
    lines.push(doc(`Schema \`${name}\`.`), `${propertyKey(name)}: ${toType(schema)};`);
  }
  lines.push("}", "");
  lines.push(
    "/**",
    " * Request and response types of every admin API operation, by operationId.",
    " * `params` merges the spec's path and query parameters: Garage reads all of them from the query string",
    " * (e.g. `POST /v2/UpdateBucket?id=...`), whatever the spec says.",
    " */",
    "export interface GarageAdminOperations {",
  );
  for (const op of ops) {
    lines.push(
      doc(`Operation \`${op.id}\`: ${op.method} ${op.path}.`),
      `${op.id}: {`,
      doc("HTTP method."),
      `method: ${JSON.stringify(op.method)};`,
      doc("Request path."),
      `path: ${JSON.stringify(op.path)};`,
      doc("Parameters, all sent in the query string."),
      `params: ${paramsType(op)};`,
      doc("JSON request body (`undefined`: none)."),
      `body: ${op.body === undefined ? "undefined" : op.body};`,
      doc("JSON body of the 200 answer."),
      `response: ${op.response};`,
      "};",
    );
  }
  lines.push("}", "");
  lines.push("/** The operationId of an admin API operation. */");
  lines.push("export type GarageAdminOperationId = keyof GarageAdminOperations;", "");
  lines.push(
    "/** Runtime facts of every operation: HTTP method, path, parameter names and whether it takes a JSON body. */",
  );
  lines.push(
    "export const GARAGE_ADMIN_OPERATIONS: Readonly<Record<GarageAdminOperationId, GarageAdminOperationFacts>> = {",
  );
  for (const op of ops) {
    const params = op.params.map((p) => JSON.stringify(p.name)).join(", ");
    const required = op.params
      .filter((p) => p.required)
      .map((p) => JSON.stringify(p.name))
      .join(", ");
    lines.push(
      doc(`Operation \`${op.id}\`.`),
      `${op.id}: { method: ${JSON.stringify(op.method)}, path: ${JSON.stringify(op.path)}, params: [${params}], requiredParams: [${required}], body: ${op.body !== undefined}, bodyRequired: ${op.bodyRequired} },`,
    );
  }
  lines.push("};", "");
  lines.push(
    "/** Shape of one entry of {@link GARAGE_ADMIN_OPERATIONS}. */",
    "export interface GarageAdminOperationFacts {",
    "/** HTTP method. */",
    'method: "GET" | "POST";',
    "/** Request path. */",
    "path: string;",
    "/** Names of the parameters, all sent in the query string. */",
    "params: readonly string[];",
    "/** Names of the parameters Garage requires. */",
    "requiredParams: readonly string[];",
    "/** Whether the operation takes a JSON request body. */",
    "body: boolean;",
    "/** Whether the request body is required. */",
    "bodyRequired: boolean;",
    "}",
    "",
  );
  return lines.join("\n");
}

function biomeBinary(): string {
  let dir = HERE;
  for (;;) {
    const candidate = resolve(dir, "node_modules/.bin/biome");
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("biome not found in any node_modules/.bin above the script");
    dir = parent;
  }
}

/** Formats TypeScript source with the repository's Biome, as `biome check` expects it. */
export function formatWithBiome(source: string): string {
  return execFileSync(biomeBinary(), ["format", `--stdin-file-path=${GENERATED_TYPES_PATH}`], {
    input: source,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Generates the final, formatted content of `src/admin/generated-types.ts` from a spec copy file. */
export function generateAdminTypes(specPath: string = DEFAULT_SPEC_PATH): string {
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as JsonObject;
  return formatWithBiome(renderAdminTypes(spec));
}

function main(argv: string[]): void {
  const check = argv.includes("--check");
  const text = generateAdminTypes();
  if (check) {
    const current = existsSync(GENERATED_TYPES_PATH) ? readFileSync(GENERATED_TYPES_PATH, "utf8") : "";
    if (current !== text) {
      process.stderr.write(`${GENERATED_TYPES_PATH} is out of date; run this script without --check\n`);
      process.exitCode = 1;
    }
    return;
  }
  writeAtomic(GENERATED_TYPES_PATH, text);
  process.stdout.write(`wrote ${GENERATED_TYPES_PATH}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
