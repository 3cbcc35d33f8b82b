// Runs the stages up to a given one, for the tests of the later stages.
import { allocationStage } from "../../../src/plan/stages/allocation.js";
import { machineModulesStage } from "../../../src/plan/stages/machine-modules.js";
import { placementStage } from "../../../src/plan/stages/placement.js";
import { requirementsStage } from "../../../src/plan/stages/requirements.js";
import { validateStage } from "../../../src/plan/stages/validate.js";
import { registry } from "./spec.js";

/** Every stage's result up to the machine modules, for `spec`. */
export function stagesOf(spec: unknown) {
  const v = validateStage({ spec, registry });
  const r = requirementsStage(v);
  const p = placementStage(v, r, {});
  const a = allocationStage(v, r, p);
  return { v, r, p, a, mm: () => machineModulesStage(v, r, p, a, undefined) };
}
