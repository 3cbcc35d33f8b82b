import { describe, expect, it } from "vitest";
import { stateFromPlan } from "../../../src/index.js";
import { createPlan } from "../../../src/plan/plan.js";
import { placementStage } from "../../../src/plan/stages/placement.js";
import { requirementsStage } from "../../../src/plan/stages/requirements.js";
import { validateStage } from "../../../src/plan/stages/validate.js";
import { registry, twoMachines } from "./spec.js";

function run(spec: unknown, state?: any, allowMoves = false) {
  const v = validateStage({ spec, registry, state });
  return placementStage(v, requirementsStage(v), { allowMoves });
}

describe("placement stage", () => {
  it("keeps services off the dedicated storage node and describes the nodes", () => {
    const p = run(twoMachines());
    expect([...p.placement.machineOf.entries()].sort()).toEqual([
      ["jobs", "b"],
      ["social", "b"],
    ]);
    expect(p.nodes.map((n) => [n.machine.name, n.zone, n.capacityBytes])).toEqual([["a", "a", 190 * 1024 ** 3]]);
    expect(p.storageContext.serviceMachines.map((f) => f.name)).toEqual(["b"]);
    expect(p.storageContext.secretPath("env")).toBe("/run/fediversity/secrets/storage-env");
  });

  it("keeps an instance where the state has it (sticky)", () => {
    const spec = twoMachines();
    spec.services[1].machine = "b";
    const state = stateFromPlan(createPlan({ spec, registry }), undefined, new Date(0));
    const moved = twoMachines();
    moved.machines.push({ ...moved.machines[1], name: "c", host: "10.0.0.3" });
    const p = run(moved, state);
    expect(p.placement.how.get("jobs")).toBe("kept");
    expect(p.placement.machineOf.get("jobs")).toBe("b");
  });

  it("refuses a storage node too small for the storage backend, naming its resources", () => {
    const spec = twoMachines();
    spec.machines[0].resources = { cpus: 1, memoryMiB: 1024, diskGiB: 10 };
    expect(() => run(spec)).toThrow(
      expect.objectContaining({
        code: "PLACEMENT_IMPOSSIBLE",
        issues: [expect.objectContaining({ path: "machines[0].resources" })],
      }),
    );
  });
});
