import type { FediEvents } from "../events.js";
import type { NixosImports } from "../imports/read.js";
import type { PluginRegistry } from "../plugin/registry.js";
import type { SpecInputFor } from "../plugin/typed-spec.js";
import type { Plugin } from "../plugin/types.js";
import type { DeploymentState } from "../state/types.js";
import type { checkMachinesDeployable } from "./deployable.js";
import { diffAgainstState } from "./diff.js";
import { observedPlan } from "./observe.js";
import type { placeInstances } from "./placement.js";
import { allocationStage } from "./stages/allocation.js";
import { assemblePlan } from "./stages/assemble.js";
import { dnsStage } from "./stages/dns.js";
import { leftoverReuseStage } from "./stages/leftover-reuse.js";
import { machineModulesStage } from "./stages/machine-modules.js";
import { placementStage } from "./stages/placement.js";
import { requirementsStage } from "./stages/requirements.js";
import { storageContinuityStage } from "./stages/storage-continuity.js";
import { validateStage } from "./stages/validate.js";
import type { Plan } from "./types.js";

export { machineFacts } from "./stages/validate.js";

/**
 * Input of {@link createPlan}. With a registry typed by its plugins (`createRegistry([garage, mastodon])`), `spec` is
 * typed by them ({@link DeploymentSpecInputOf}); with an untyped `PluginRegistry` it is any value. Either way the
 * planner validates it at run time.
 */
export interface PlanInput<P extends readonly Plugin[] = readonly Plugin[]> {
  /** The deployment spec as the user wrote it. */
  spec: NoInfer<SpecInputFor<P>>;
  /** Plugins. */
  registry: PluginRegistry<P>;
  /** What was applied before (`.fedi/state.json`); placement is sticky to it and the diff is against it. */
  state?: DeploymentState;
  /** Allow instances to move to another machine when they cannot stay. Default false. */
  allowMoves?: boolean;
  /**
   * Allow the storage nodes to change against the last apply (nodes added or removed, or another backend); without
   * it such a plan stops with `STORAGE_MOVE_REQUIRED`. A change of a running cluster's replication factor is refused
   * even then (`STORAGE_REPLICATION_CHANGE`). Default false.
   */
  allowStorageChanges?: boolean;
  /**
   * New instances that take over on purpose what removed instances left behind (their buckets, S3 key and secrets
   * under a reused name, or a database of the same fixed name on the same machine); without it such a plan stops
   * with `LEFTOVER_REUSE`.
   */
  adopt?: string[];
  /**
   * The texts of the module files machines import (`machines[].nixosImports`), keyed by the path as the spec writes
   * it: read them with {@link readNixosImports}, which also checks where each file lies. Needed when a machine has
   * imports (the planner itself reads no file).
   */
  imports?: NixosImports;
  /** The exact placement search's bound in steps (see {@link placeInstances}); default 20,000,000. */
  placementSearchSteps?: number;
  /**
   * Reports the run to these listeners: `run.start` (command `plan`), then `plan.done` or `plan.failed`, then
   * `run.end` — the same typed stream as {@link Deployer.apply}. Planning stays pure: events are the only effect.
   */
  events?: FediEvents;
}

/**
 * Plans a deployment: validates the spec and plugin options, places instances, allocates buckets, keys, secrets,
 * ports and domains, generates each machine's NixOS module, and diffs against the previous state.
 * Pure: no I/O. Deterministic: the same input gives the same plan. The plan holds no secret value.
 * Machines must be deployable (root file system, boot loader, stateVersion, authorized key): see
 * {@link checkMachinesDeployable}.
 *
 * With a registry typed by its plugins the spec is checked at compile time (kinds and options) and the plan's
 * instances carry their plugins' option types ({@link Plan}). For data of unknown shape (JSON from a web form or an
 * API) use {@link createPlanFromUnknown}; run-time validation is the same either way.
 *
 * It runs the stages in `plan/stages/` in order, each handing a typed result to the next; a check belongs in the
 * stage whose result it needs.
 * @throws FediError (`SPEC_INVALID`, `MACHINE_NOT_DEPLOYABLE`, `MACHINE_IMPORT_INVALID`, `PLUGIN_*`, `PLACEMENT_*`,
 * `ALLOCATION_CONFLICT`, ...) with paths into the spec.
 */
export function createPlan<const P extends readonly Plugin[] = readonly Plugin[]>(input: PlanInput<P>): Plan<P> {
  return planUntyped(input as unknown as PlanInput) as unknown as Plan<P>;
}

/**
 * {@link createPlan} for a spec of unknown shape: JSON from a web form, a request body, a file. It takes any value as
 * `spec` (the planner validates it and throws `SPEC_INVALID` or `PLUGIN_OPTIONS_INVALID` with paths); the plan is still
 * typed by the registry's plugins, since its options passed their schemas.
 * @throws FediError as {@link createPlan}.
 */
export function createPlanFromUnknown<const P extends readonly Plugin[] = readonly Plugin[]>(
  input: Omit<PlanInput<P>, "spec"> & { spec: unknown },
): Plan<P> {
  return planUntyped(input as unknown as PlanInput) as unknown as Plan<P>;
}

function planUntyped(input: PlanInput): Plan {
  if (input.events) return observedPlan(input.events, input.spec, () => planUntyped({ ...input, events: undefined }));
  const validated = validateStage(input);
  const requirements = requirementsStage(validated);
  storageContinuityStage(validated, requirements, input.allowStorageChanges ?? false);
  const placed = placementStage(validated, requirements, input);
  leftoverReuseStage(validated, requirements, placed, input.adopt ?? []);
  const allocation = allocationStage(validated, requirements, placed);
  const modules = machineModulesStage(validated, requirements, placed, allocation, input.imports);
  const dns = dnsStage(validated, allocation, modules);
  const plan = assemblePlan(validated, requirements, placed, allocation, modules, dns);
  plan.diff = diffAgainstState(plan, validated.prev);
  return plan;
}
