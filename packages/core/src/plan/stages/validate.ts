import { FediError } from "../../errors.js";
import type { DeploymentSpec } from "../../model/spec.js";
import type { MachineFacts } from "../../plugin/types.js";
import type { DeploymentState } from "../../state/types.js";
import { checkMachinesDeployable } from "../deployable.js";
import { cmp } from "../placement.js";
import type { PlanInput } from "../plan.js";
import { type ValidatedSpec, validateSpec } from "../validate.js";

/** Deployment-wide settings plugins see (`ServiceContext.deployment`, `StorageContext.deployment`). */
export interface DeploymentSettings {
  /** Deployment name. */
  name: string;
  /** ACME account e-mail, when the spec has `acme`. */
  acmeEmail?: string;
  /** Whether Let's Encrypt's staging directory is used. */
  acmeStaging: boolean;
}

/** What the validate stage hands on: the checked spec and the views of it the later stages look things up in. */
export interface ValidatedInput extends ValidatedSpec {
  /** The previous state, checked to belong to this deployment. */
  prev: DeploymentState | undefined;
  /** Facts of every machine, sorted by name. */
  facts: MachineFacts[];
  /** {@link facts} by machine name. */
  factsByName: Map<string, MachineFacts>;
  /** The spec's machines by name. */
  machinesByName: Map<string, DeploymentSpec["machines"][number]>;
  /** Index of each machine in `spec.machines` (for spec paths in messages). */
  machineIndex: Map<string, number>;
  /** Deployment-wide settings for plugins. */
  deployment: DeploymentSettings;
}

/**
 * Stage 1: validates the spec and every plugin's options, checks the state belongs to this deployment and every
 * machine is deployable.
 * @throws FediError (`SPEC_INVALID`, `PLUGIN_*`, `STATE_INVALID`, `MACHINE_NOT_DEPLOYABLE`, `MACHINE_IMPORT_INVALID`).
 */
export function validateStage(input: Pick<PlanInput, "spec" | "registry" | "state" | "imports">): ValidatedInput {
  const validated = validateSpec(input.spec, input.registry);
  const { spec } = validated;
  const prev = input.state;
  if (prev && prev.deployment !== spec.name) {
    throw new FediError("STATE_INVALID", `The state is for deployment '${prev.deployment}', not '${spec.name}'.`, {
      hint: "Use the state folder of this deployment, or rename the deployment back.",
    });
  }
  checkMachinesDeployable(spec, input.imports);
  const facts = spec.machines.map(machineFacts).sort((a, b) => cmp(a.name, b.name));
  return {
    ...validated,
    prev,
    facts,
    factsByName: new Map(facts.map((f) => [f.name, f])),
    machinesByName: new Map(spec.machines.map((m) => [m.name, m])),
    machineIndex: new Map(spec.machines.map((m, i) => [m.name, i])),
    deployment: {
      name: spec.name,
      ...(spec.acme ? { acmeEmail: spec.acme.email } : {}),
      acmeStaging: spec.acme?.staging ?? false,
    },
  };
}

/**
 * What plugins see of a machine (from the spec, or from a plan's machine). A machine without roles has both.
 */
export function machineFacts(m: {
  name: string;
  host: string;
  system: string;
  resources: { cpus: number; memoryMiB: number; diskGiB: number };
  zone?: string | undefined;
  roles?: ReadonlyArray<"storage" | "services"> | undefined;
}): MachineFacts {
  return {
    name: m.name,
    host: m.host,
    system: m.system,
    cpus: m.resources.cpus,
    memoryMiB: m.resources.memoryMiB,
    diskGiB: m.resources.diskGiB,
    ...(m.zone ? { zone: m.zone } : {}),
    roles: m.roles ? [...new Set(m.roles)].sort() : ["services", "storage"],
  };
}
