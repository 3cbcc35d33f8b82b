import type { z } from "zod";
import { FediError, type FediErrorCode, type FediIssue } from "../errors.js";
import {
  DeploymentSpec,
  type DeploymentSpecInput,
  Machine,
  MachineSsh,
  ServiceInstanceSpec,
  StorageSpec,
} from "../model/spec.js";
import { zodIssues } from "../model/zod-issues.js";
import type { PluginRegistry } from "../plugin/registry.js";
import type { ServicePlugin, StoragePlugin } from "../plugin/types.js";
import { ownValue } from "../util/own.js";
import { machineNixosSecretIssues } from "./nixos-secrets.js";

/** Instance names the SDK reserves for itself. */
export const RESERVED_INSTANCE_NAMES = ["storage", "fediversity", "nixos"] as const;

/** A spec validated against its schema and against every plugin's options schema. */
export interface ValidatedSpec {
  /** The spec with defaults applied. */
  spec: DeploymentSpec;
  /** The storage plugin and its validated options. */
  storage: { plugin: StoragePlugin<unknown>; options: unknown };
  /** Each service instance's plugin and validated options, in spec order. */
  services: Array<{ plugin: ServicePlugin<unknown>; options: unknown }>;
}

/**
 * Validates a deployment spec: its schema, names, references and every plugin's options, in one pass. Every problem is
 * collected before failing, so a user sees all of them at once: a spec that fails its schema still has the options of
 * each service (and of the storage) whose `kind` names a known plugin checked, its unknown kinds reported, and the
 * name and reference checks run on the parts that did parse (a check whose input did not parse is skipped, so that one
 * mistake is reported once). Issues come in the spec's order (`name`, `machines`, `storage`, `services`, ...).
 * @throws FediError with one issue per problem. The code is the problems' shared code (e.g. `PLUGIN_UNKNOWN_KIND`),
 * or `SPEC_INVALID` when they differ.
 */
export function validateSpec(input: DeploymentSpecInput | unknown, registry: PluginRegistry): ValidatedSpec {
  const parsed = DeploymentSpec.safeParse(input);
  const issues: FediIssue[] = parsed.success
    ? []
    : zodIssues(parsed.error).map((i) => ({ ...i, code: "SPEC_INVALID" as FediErrorCode }));
  const add = (path: string, message: string, code: FediErrorCode) => issues.push({ path, message, code });

  // The checks below read each part they need on its own: from the parsed spec, or from the raw input when the schema
  // failed. A part that does not parse was reported by the schema and is left out of the checks that need it.
  const top = asRecord(parsed.success ? parsed.data : input);
  const rawMachines = asArray(ownValue(top, "machines"));
  const machines = (rawMachines ?? []).map((raw) => {
    const m = asRecord(raw);
    const ssh = asRecord(ownValue(m, "ssh"));
    const name = part(Machine.shape.name, m, "name");
    const host = part(Machine.shape.host, m, "host");
    const port = ssh === undefined ? undefined : part(MachineSsh.shape.port, ssh, "port");
    return {
      name,
      address: host === undefined || port === undefined ? undefined : { host, port },
      nixos: part(Machine.shape.nixos, m, "nixos"),
    };
  });

  for (const i of duplicates(machines.map((m) => m.name))) {
    add(`machines[${i}].name`, `machine name '${machines[i]!.name}' is used twice`, "SPEC_INVALID");
  }
  for (const i of duplicates(machines.map((m) => m.address && `${m.address.host}:${m.address.port}`))) {
    const { host, port } = machines[i]!.address!;
    add(`machines[${i}].host`, `another machine already has address ${host} port ${port}`, "SPEC_INVALID");
  }
  issues.push(...machines.flatMap((m, i) => machineNixosSecretIssues(m.nixos, i)));
  // References to machines are checked only when every machine's name is known.
  const machineNames =
    rawMachines !== undefined && machines.every((m) => m.name !== undefined)
      ? new Set(machines.map((m) => m.name))
      : undefined;

  let storage: ValidatedSpec["storage"] | undefined;
  const rawStorage = asRecord(ownValue(top, "storage"));
  const storageKind = part(StorageSpec.shape.kind, rawStorage, "kind");
  if (rawStorage !== undefined && storageKind !== undefined) {
    const storagePlugin = registry.storage(storageKind);
    if (!storagePlugin) {
      add("storage.kind", unknownKind("storage", storageKind, registry.storageKinds()), "PLUGIN_UNKNOWN_KIND");
    } else {
      const r = storagePlugin.options.safeParse(part(StorageSpec.shape.options, rawStorage, "options"));
      if (r.success) storage = { plugin: storagePlugin, options: r.data };
      else issues.push(...zodIssues(r.error, "storage.options").map((i) => ({ ...i, code: "PLUGIN_OPTIONS_INVALID" })));
    }
  }

  const rawServices = asArray(ownValue(top, "services")) ?? [];
  const services: ValidatedSpec["services"] = [];
  const serviceNames = rawServices.map((raw) => part(ServiceInstanceSpec.shape.name, asRecord(raw), "name"));
  for (const i of duplicates(serviceNames)) {
    add(`services[${i}].name`, `instance name '${serviceNames[i]}' is used twice`, "SPEC_INVALID");
  }
  rawServices.forEach((raw, index) => {
    const svc = asRecord(raw);
    if (svc === undefined) return;
    const at = `services[${index}]`;
    const name = serviceNames[index];
    if (name !== undefined && (RESERVED_INSTANCE_NAMES as readonly string[]).includes(name)) {
      add(`${at}.name`, `'${name}' is reserved by the SDK; choose another instance name`, "SPEC_INVALID");
    }
    const machine = part(ServiceInstanceSpec.shape.machine, svc, "machine");
    if (machine !== undefined && machineNames !== undefined && !machineNames.has(machine)) {
      add(`${at}.machine`, `no machine is named '${machine}'`, "SPEC_INVALID");
    }
    const kind = part(ServiceInstanceSpec.shape.kind, svc, "kind");
    if (kind === undefined) return;
    const plugin = registry.service(kind);
    if (!plugin) {
      add(`${at}.kind`, unknownKind("service", kind, registry.serviceKinds()), "PLUGIN_UNKNOWN_KIND");
      return;
    }
    const r = plugin.options.safeParse(part(ServiceInstanceSpec.shape.options, svc, "options"));
    if (r.success) services[index] = { plugin, options: r.data };
    else issues.push(...zodIssues(r.error, `${at}.options`).map((i) => ({ ...i, code: "PLUGIN_OPTIONS_INVALID" })));
  });

  if (issues.length > 0 || !parsed.success || !storage) throw collected(sortBySpecOrder(issues));
  return { spec: parsed.data, storage, services };
}

/** `value` as a record when it is a plain object (not an array, not `null`). */
function asRecord(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** `value` when it is an array. */
function asArray(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

/** The own field `key` of `record` parsed by `schema` (defaults applied); `undefined` when it does not parse. */
function part<T>(
  schema: z.ZodType<T>,
  record: Readonly<Record<string, unknown>> | undefined,
  key: string,
): T | undefined {
  if (record === undefined) return undefined;
  const r = schema.safeParse(ownValue(record, key));
  return r.success ? r.data : undefined;
}

/** The top-level fields of a spec in the schema's order; issues are sorted by it, then by list index. */
const SPEC_FIELDS: readonly string[] = Object.keys(DeploymentSpec.shape);

/**
 * Issues in the spec's order: by top-level field (the schema's order; the whole spec first), then by the index in
 * that field's list; issues of one entry keep the order they were found in.
 */
function sortBySpecOrder(issues: FediIssue[]): FediIssue[] {
  const key = (path: string): [number, number] => {
    const m = /^([A-Za-z_$][A-Za-z0-9_$]*)(?:\[(\d+)\])?/.exec(path);
    if (!m) return [-1, -1];
    const field = SPEC_FIELDS.indexOf(m[1]!);
    return [field < 0 ? SPEC_FIELDS.length : field, m[2] === undefined ? -1 : Number(m[2])];
  };
  return issues
    .map((issue, order) => ({ issue, order, key: key(issue.path ?? "") }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.order - b.order)
    .map((e) => e.issue);
}

function unknownKind(type: string, kind: string, known: string[]): string {
  return `no ${type} plugin provides kind '${kind}' (registered: ${known.length ? known.join(", ") : "none"})`;
}

/** Indexes of the second and later occurrences of each repeated value (`undefined`, a value that did not parse, never repeats). */
function duplicates(values: ReadonlyArray<string | undefined>): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => {
    if (v === undefined) return;
    if (seen.has(v)) out.push(i);
    seen.add(v);
  });
  return out;
}

/** Turns collected issues into one error whose code is their shared code, else `SPEC_INVALID`. */
export function collected(issues: FediIssue[]): FediError {
  const codes = new Set(issues.map((i) => i.code));
  const code = (codes.size === 1 ? [...codes][0] : "SPEC_INVALID") as FediErrorCode;
  return new FediError(code, `The deployment spec has ${issues.length} problem${issues.length === 1 ? "" : "s"}.`, {
    issues,
    hint: "Fix each field named above, then run the command again.",
  });
}
