import { describe, expect, it } from "vitest";
import { emptyState } from "../../../src/index.js";
import { validateStage } from "../../../src/plan/stages/validate.js";
import { registry, twoMachines } from "./spec.js";

describe("validate stage", () => {
  it("hands on the checked spec with machines sorted by name and looked up by name and index", () => {
    const spec = twoMachines();
    spec.machines.reverse();
    const v = validateStage({ spec, registry });
    expect(v.facts.map((f) => f.name)).toEqual(["a", "b"]);
    expect(v.machineIndex.get("a")).toBe(1);
    expect(v.factsByName.get("b")?.roles).toEqual(["services", "storage"]);
    expect(v.deployment).toEqual({ name: "demo", acmeEmail: "ops@example.org", acmeStaging: false });
    expect(v.services.map((s) => s.plugin.kind)).toEqual(["webapp", "worker"]);
  });

  it("refuses a state of another deployment", () => {
    expect(() => validateStage({ spec: twoMachines(), registry, state: emptyState("other") })).toThrow(
      expect.objectContaining({ code: "STATE_INVALID" }),
    );
  });

  it("refuses an undeployable machine (no root file system)", () => {
    const spec = twoMachines();
    spec.machines[1].nixos = {};
    expect(() => validateStage({ spec, registry })).toThrow(
      expect.objectContaining({ code: "MACHINE_NOT_DEPLOYABLE" }),
    );
  });
});
