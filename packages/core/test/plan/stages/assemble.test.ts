import { describe, expect, it } from "vitest";
import { createPlan, diffAgainstState, stateFromPlan } from "../../../src/index.js";
import { assemblePlan } from "../../../src/plan/stages/assemble.js";
import { dnsStage } from "../../../src/plan/stages/dns.js";
import { stagesOf } from "./later-stages.js";
import { registry, twoMachines } from "./spec.js";

describe("assembling the plan and the diff stage", () => {
  it("is what createPlan returns, with the diff against the state filled in last", () => {
    const { v, r, p, a, mm } = stagesOf(twoMachines());
    const modules = mm();
    const plan = assemblePlan(v, r, p, a, modules, dnsStage(v, a, modules));
    expect(plan.diff.added).toEqual([]);
    plan.diff = diffAgainstState(plan, undefined);
    expect(plan).toEqual(createPlan({ spec: twoMachines(), registry }));
    expect(plan.diff.added).toEqual(["jobs", "social"]);
    expect(plan.storage.checks).toEqual([{ machine: "a", check: { kind: "systemd-unit", unit: "toystore.service" } }]);
  });

  it("sorts buckets, keys and secrets by name", () => {
    const spec = twoMachines();
    // Two web apps need two machines (each holds ports 80 and 443).
    spec.machines.push({ ...spec.machines[1], name: "c", host: "10.0.0.3" });
    spec.services.push({ name: "art", kind: "webapp", options: { domain: "art.example.org" } });
    const plan = createPlan({ spec, registry });
    expect(plan.keys.map((k) => k.name)).toEqual(["demo-art", "demo-social"]);
    expect(plan.secrets.map((s) => s.name)).toEqual([...plan.secrets.map((s) => s.name)].sort());
    const again = createPlan({ spec, registry, state: stateFromPlan(plan, undefined, new Date(0)) });
    expect(again.diff.upToDate).toBe(true);
  });
});
