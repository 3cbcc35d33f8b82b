/**
 * Generates `src/admin/generated-types.ts` from the spec copy `spec/garage-admin-v2.schemas.json` (itself derived
 * from Garage's upstream document by `derive-admin-spec.ts`) with openapi-typescript, the types openapi-fetch reads.
 *
 * Usage (from the repository root): `npm run generate:admin-types -w packages/storage-garage`, or
 * `npm run check:admin-types -w packages/storage-garage`, which writes nothing and exits 1 when the file is out of date. The output is formatted with the
 * repository's Biome so that it passes `biome check` unchanged.
 * @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import ts from "typescript";
import { DEFAULT_SPEC_PATH, writeAtomic } from "./derive-admin-spec.js";

const HERE = dirname(fileURLToPath(import.meta.url));
/** Where the generated file lives. */
export const GENERATED_TYPES_PATH = resolve(HERE, "../src/admin/generated-types.ts");

const HEADER = `// GENERATED FILE, do not edit by hand: openapi-typescript output for
// packages/storage-garage/spec/garage-admin-v2.schemas.json (Garage admin API v2, prose removed).
// Regenerate from the repository root:
//   npx tsx packages/storage-garage/scripts/derive-admin-spec.ts <upstream garage-admin-v2.json>   (spec copy)
//   npm run generate:admin-types -w packages/storage-garage                                         (this file)
// test/admin/generated-types.test.ts fails when this file and the spec copy drift apart.

`;

/** The TSDoc of each declaration openapi-typescript emits (the spec copy has no prose of its own). */
const DECLARATION_DOCS: Readonly<Record<string, string>> = {
  paths: "Every path of the Garage admin API v2 and the operation of each HTTP method (openapi-fetch's `paths`).",
  webhooks: "Webhooks of the API: none.",
  components: "Component schemas and security schemes of the Garage admin API v2.",
  $defs: "JSON Schema `$defs` of the document: none.",
  operations: "Parameters, request body and responses of every operation, by operationId.",
};

function declarationName(node: ts.Node): string | undefined {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return node.name.text;
  return undefined;
}

/** Produces the (unformatted) TypeScript source for a spec copy with openapi-typescript. */
export async function renderAdminTypes(spec: OpenAPI3): Promise<string> {
  const nodes = await openapiTS(spec, { silent: true });
  for (const node of nodes) {
    const name = declarationName(node);
    const text = name === undefined ? undefined : DECLARATION_DOCS[name];
    if (name !== undefined && text === undefined) {
      throw new Error(`openapi-typescript emitted an undocumented declaration ${name}; add it to DECLARATION_DOCS`);
    }
    if (text !== undefined) {
      ts.addSyntheticLeadingComment(node, ts.SyntaxKind.MultiLineCommentTrivia, `* ${text} `, true);
    }
  }
  return HEADER + astToString(nodes);
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
export async function generateAdminTypes(specPath: string = DEFAULT_SPEC_PATH): Promise<string> {
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as OpenAPI3;
  return formatWithBiome(await renderAdminTypes(spec));
}

async function main(argv: string[]): Promise<void> {
  const check = argv.includes("--check");
  const text = await generateAdminTypes();
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

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
