// Validates `fedi --json` output against the JSON Schemas shipped in packages/cli/schema.
import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";

const ajv = new Ajv2020({ allErrors: true, strict: true });
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../schema/${name}`, import.meta.url), "utf8")) as object;

/** Validator of `fedi plan --json` success output. */
export const validatePlanOutput = ajv.compile(load("plan-output.schema.json"));
/** Validator of `fedi dns --json` output. */
export const validateDnsOutput = ajv.compile(load("dns-output.schema.json"));
/** Validator of `fedi dns check --json` output. */
export const validateDnsCheckOutput = ajv.compile(load("dns-check-output.schema.json"));
/** Validator of `fedi prune --json` output. */
export const validatePruneOutput = ajv.compile(load("prune-output.schema.json"));
/** Validator of `--json` error output. */
export const validateErrorOutput = ajv.compile(load("error-output.schema.json"));

/** The validator's errors, readable. */
export function schemaErrors(validate: { errors?: unknown }): string {
  return JSON.stringify(validate.errors ?? [], null, 2);
}
