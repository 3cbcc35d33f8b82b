/**
 * Loads the package's copy of the Garage admin API v2 spec and validates request and response bodies against its
 * component schemas (JSON Schema 2020-12, ajv). Used by the Garage admin test double.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const SPEC_PATH = fileURLToPath(new URL("../../spec/garage-admin-v2.schemas.json", import.meta.url));
const SCHEMA_ID = "garage-admin-v2";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Facts the double needs about one operation of the spec. */
export interface SpecOperation {
  operationId: string;
  method: "GET" | "POST";
  path: string;
  params: Array<{ name: string; required: boolean }>;
  hasBody: boolean;
  hasResponseSchema: boolean;
}

/** Validation entry points. */
export interface AdminSpec {
  operations: Map<string, SpecOperation>;
  /** Finds the operation for a method and path, if the spec has one. */
  find(method: string, path: string): SpecOperation | undefined;
  /** Errors of a request body against the operation's request schema (empty when valid). */
  validateRequest(operationId: string, body: unknown): string[];
  /** Errors of a 200 response body against the operation's response schema (empty when valid). */
  validateResponse(operationId: string, body: unknown): string[];
  /** Errors of a value against a component schema. */
  validateSchema(name: string, value: unknown): string[];
  /** Property names a request body may carry (at any depth), for the unknown-field check. */
  knownRequestFields(operationId: string, body: unknown): string[];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rewriteRefs(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!isObject(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] =
      key === "$ref" && typeof value === "string"
        ? value.replace("#/components/schemas/", `${SCHEMA_ID}#/$defs/`)
        : rewriteRefs(value);
  }
  return out;
}

function mediaSchema(content: Json | undefined): Json | undefined {
  if (!isObject(content)) return undefined;
  const media = content["application/json"];
  return isObject(media) ? media.schema : undefined;
}

/** Loads the spec copy and compiles validators. */
export function loadAdminSpec(): AdminSpec {
  const spec = JSON.parse(readFileSync(SPEC_PATH, "utf8")) as JsonObject;
  const components = isObject(spec.components) ? spec.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  const ajv = new Ajv2020({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && Math.abs(n) < 2 ** 31 });
  ajv.addFormat("float", { type: "number", validate: (n: number) => Number.isFinite(n) });
  const defs: JsonObject = {};
  for (const [name, schema] of Object.entries(schemas)) defs[name] = rewriteRefs(schema);
  ajv.addSchema({ $id: SCHEMA_ID, $defs: defs });

  const operations = new Map<string, SpecOperation>();
  const requestSchemas = new Map<string, Json>();
  const responseSchemas = new Map<string, Json>();
  // Validators are compiled on first use: a double only exercises a few operations.
  const compiled = new Map<Json, ValidateFunction>();
  const validatorFor = (schema: Json | undefined): ValidateFunction | undefined => {
    if (schema === undefined) return undefined;
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema as object);
      compiled.set(schema, validate);
    }
    return validate;
  };
  const paths = isObject(spec.paths) ? spec.paths : {};
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!isObject(op) || typeof op.operationId !== "string") continue;
      const id = op.operationId;
      const bodySchema = isObject(op.requestBody) ? mediaSchema(op.requestBody.content) : undefined;
      const responses = isObject(op.responses) ? op.responses : {};
      const ok = responses["200"];
      const responseSchema = isObject(ok) ? mediaSchema(ok.content) : undefined;
      operations.set(id, {
        operationId: id,
        method: method.toUpperCase() as "GET" | "POST",
        path,
        params: (Array.isArray(op.parameters) ? op.parameters : [])
          .filter(isObject)
          .map((p) => ({ name: String(p.name), required: p.required === true })),
        hasBody: bodySchema !== undefined,
        hasResponseSchema: responseSchema !== undefined,
      });
      if (bodySchema !== undefined) requestSchemas.set(id, rewriteRefs(bodySchema));
      if (responseSchema !== undefined) responseSchemas.set(id, rewriteRefs(responseSchema));
    }
  }

  const errorsOf = (validate: ValidateFunction | undefined, value: unknown, what: string): string[] => {
    if (!validate) return [`no ${what} schema`];
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${what}${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
  };

  const resolve = (schema: Json): Json => {
    if (isObject(schema) && typeof schema.$ref === "string") {
      const name = schema.$ref.slice(`${SCHEMA_ID}#/$defs/`.length);
      return resolve(defs[name] ?? {});
    }
    return schema;
  };

  /** Every property name the schema (through $ref, allOf, oneOf, anyOf, items) allows for `value`, recursively. */
  const collectFields = (schema: Json, value: unknown, out: Set<string>, at: string): void => {
    const s = resolve(schema);
    if (!isObject(s)) return;
    for (const key of ["allOf", "oneOf", "anyOf"]) {
      const list = s[key];
      if (Array.isArray(list)) for (const sub of list) collectFields(sub, value, out, at);
    }
    if (Array.isArray(value) && s.items !== undefined) {
      value.forEach((item, i) => {
        collectFields(s.items as Json, item, out, `${at}[${i}]`);
      });
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      if (s.additionalProperties !== undefined && s.additionalProperties !== false) out.add(`${at}.*`);
      if (isObject(s.properties)) {
        for (const [name, sub] of Object.entries(s.properties)) {
          out.add(`${at}.${name}`);
          collectFields(sub, (value as Record<string, unknown>)[name], out, `${at}.${name}`);
        }
      }
    }
  };

  return {
    operations,
    find: (method, path) => [...operations.values()].find((o) => o.method === method && o.path === path),
    validateRequest: (id, body) => errorsOf(validatorFor(requestSchemas.get(id)), body, "request"),
    validateResponse: (id, body) => errorsOf(validatorFor(responseSchemas.get(id)), body, "response"),
    validateSchema: (name, value) =>
      errorsOf(ajv.getSchema(`${SCHEMA_ID}#/$defs/${name}`) as ValidateFunction | undefined, value, name),
    knownRequestFields: (id, body) => {
      const out = new Set<string>();
      const schema = requestSchemas.get(id);
      if (schema !== undefined) collectFields(schema, body, out, "");
      return [...out];
    },
  };
}

/** Paths of properties in `value` (like `.roles[0].zone`) that are not in `known` (see knownRequestFields). */
export function unknownFields(value: unknown, known: readonly string[], at = ""): string[] {
  const knownSet = new Set(known);
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        walk(item, `${path}[${i}]`);
      });
    } else if (typeof v === "object" && v !== null) {
      if (knownSet.has(`${path}.*`)) return;
      for (const [k, item] of Object.entries(v)) {
        const p = `${path}.${k}`;
        if (!knownSet.has(p)) out.push(p);
        else walk(item, p);
      }
    }
  };
  walk(value, at);
  return out;
}
