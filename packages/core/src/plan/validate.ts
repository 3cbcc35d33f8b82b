import { FediError, type FediErrorCode, type FediIssue } from "../errors.js";
import { DeploymentSpec, type DeploymentSpecInput } from "../model/spec.js";
import { zodIssues } from "../model/zod-issues.js";
import type { PluginRegistry } from "../plugin/registry.js";
import type { ServicePlugin, StoragePlugin } from "../plugin/types.js";
import { nixosSecretIssues } from "./nixos-secrets.js";

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
 * Validates a deployment spec: its schema, then names, references and every plugin's options. Collects every problem
 * before failing, so a user sees all of them at once.
 * @throws FediError with one issue per problem. The code is the problems' shared code (e.g. `PLUGIN_UNKNOWN_KIND`),
 * or `SPEC_INVALID` when they differ.
 */
export function validateSpec(input: DeploymentSpecInput | unknown, registry: PluginRegistry): ValidatedSpec {
  const parsed = DeploymentSpec.safeParse(input);
  if (!parsed.success) {
    throw collected(zodIssues(parsed.error).map((i) => ({ ...i, code: "SPEC_INVALID" })));
  }
  const spec = parsed.data;
  const issues: FediIssue[] = [];
  const add = (path: string, message: string, code: FediErrorCode) => issues.push({ path, message, code });

  for (const i of duplicates(spec.machines.map((m) => m.name))) {
    add(`machines[${i}].name`, `machine name '${spec.machines[i]!.name}' is used twice`, "SPEC_INVALID");
  }
  for (const i of duplicates(spec.machines.map((m) => `${m.host}:${m.ssh.port}`))) {
    const m = spec.machines[i]!;
    add(`machines[${i}].host`, `another machine already has address ${m.host} port ${m.ssh.port}`, "SPEC_INVALID");
  }
  for (const i of duplicates(spec.services.map((s) => s.name))) {
    add(`services[${i}].name`, `instance name '${spec.services[i]!.name}' is used twice`, "SPEC_INVALID");
  }
  const machineNames = new Set(spec.machines.map((m) => m.name));
  issues.push(...nixosSecretIssues(spec));

  let storage: ValidatedSpec["storage"] | undefined;
  const storagePlugin = registry.storage(spec.storage.kind);
  if (!storagePlugin) {
    add("storage.kind", unknownKind("storage", spec.storage.kind, registry.storageKinds()), "PLUGIN_UNKNOWN_KIND");
  } else {
    const r = storagePlugin.options.safeParse(spec.storage.options);
    if (r.success) storage = { plugin: storagePlugin, options: r.data };
    else issues.push(...zodIssues(r.error, "storage.options").map((i) => ({ ...i, code: "PLUGIN_OPTIONS_INVALID" })));
  }

  const services: ValidatedSpec["services"] = [];
  spec.services.forEach((svc, index) => {
    const at = `services[${index}]`;
    if ((RESERVED_INSTANCE_NAMES as readonly string[]).includes(svc.name)) {
      add(`${at}.name`, `'${svc.name}' is reserved by the SDK; choose another instance name`, "SPEC_INVALID");
    }
    if (svc.machine !== undefined && !machineNames.has(svc.machine)) {
      add(`${at}.machine`, `no machine is named '${svc.machine}'`, "SPEC_INVALID");
    }
    const plugin = registry.service(svc.kind);
    if (!plugin) {
      add(`${at}.kind`, unknownKind("service", svc.kind, registry.serviceKinds()), "PLUGIN_UNKNOWN_KIND");
      return;
    }
    const r = plugin.options.safeParse(svc.options);
    if (r.success) services[index] = { plugin, options: r.data };
    else issues.push(...zodIssues(r.error, `${at}.options`).map((i) => ({ ...i, code: "PLUGIN_OPTIONS_INVALID" })));
  });

  if (issues.length > 0 || !storage) throw collected(issues);
  return { spec, storage, services };
}

function unknownKind(type: string, kind: string, known: string[]): string {
  return `no ${type} plugin provides kind '${kind}' (registered: ${known.length ? known.join(", ") : "none"})`;
}

/** Indexes of the second and later occurrences of each repeated value. */
function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  values.forEach((v, i) => {
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
