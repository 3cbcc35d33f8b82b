import { describe, expect, it } from "vitest";
import { requirementsStage } from "../../../src/plan/stages/requirements.js";
import { validateStage } from "../../../src/plan/stages/validate.js";
import { registry, twoMachines } from "./spec.js";

const run = (spec: unknown) => requirementsStage(validateStage({ spec, registry }));

describe("requirements stage", () => {
  it("hands on the storage plugin's nodes and each instance's requirements in spec order", () => {
    const r = run(twoMachines());
    expect([...r.storageNodes]).toEqual(["a"]);
    expect(r.storage.exclusive).toBe(true);
    expect(r.services.map((s) => [s.cpus, s.domains ?? []])).toEqual([
      [1, ["social.example.org"]],
      [1, []],
    ]);
  });

  it("collects every spec problem at once: TLS without acme, a domain used twice, a pin to a storage node", () => {
    const spec = twoMachines();
    delete spec.acme;
    spec.services.push({ name: "copy", kind: "webapp", options: { domain: "social.example.org" } });
    spec.services[1].machine = "a";
    let error: any;
    try {
      run(spec);
    } catch (e) {
      error = e;
    }
    expect(error?.issues?.map((i: any) => [i.path, i.code])).toEqual([
      ["acme", "SPEC_INVALID"],
      ["acme", "SPEC_INVALID"],
      ["services[2].options.domain", "ALLOCATION_CONFLICT"],
      ["services[1].machine", "PLACEMENT_IMPOSSIBLE"],
    ]);
  });
});
