import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { expectations, needsNixOps4 } from "../../../src/deploy/steps/preflight.js";
import { sentence } from "../../../src/deploy/steps/words.js";
import { createPlanFromUnknown, emptyState } from "../../../src/index.js";
import { stateFromPlan } from "../../../src/state/from-plan.js";
import { contextFor, machineAt, planFor, registry, type Workspace, workspace } from "./support.js";

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.dispose();
});

describe("preflight: when NixOps4 must be found", () => {
  it("only when machines are to be switched and the switching steps are not both finished", async () => {
    const plan = planFor([machineAt("web1", { port: 22 })]);
    const { ctx } = await contextFor(plan, ws);
    expect(ctx.toApply).toEqual(["web1"]); // a first apply: every machine changed
    expect(needsNixOps4(ctx)).toBe(true);
    await ctx.progress.record("storage-nodes");
    expect(needsNixOps4(ctx)).toBe(true); // the service machines are still to be switched
    await ctx.progress.record("nixops4");
    expect(needsNixOps4(ctx)).toBe(false); // an earlier run switched everything: only later steps remain
    expect(needsNixOps4({ toApply: [], progress: ctx.progress })).toBe(false);
  });

  it("not when nothing is to be switched (only secrets changed, say)", async () => {
    const spec = (domain: string) => ({
      name: "steps",
      machines: [machineAt("web1", { port: 22 })],
      storage: { kind: "toystore", options: {} },
      acme: { email: "ops@example.org", staging: true },
      services: [{ name: "alpha", kind: "webapp", options: { domain } }],
    });
    const first = createPlanFromUnknown({ spec: spec("alpha.example.org"), registry });
    const state = stateFromPlan(first, emptyState("steps"), new Date());
    await ws.state.write(state);
    const again = createPlanFromUnknown({ spec: spec("alpha.example.org"), registry, state });
    const { ctx } = await contextFor(again, ws);
    expect(ctx.toApply).toEqual([]);
    expect(needsNixOps4(ctx)).toBe(false);
    const all = await contextFor(again, ws, { all: true });
    expect(all.ctx.toApply).toEqual(["web1"]); // --all switches every machine, so NixOps4 is needed again
    expect(needsNixOps4(all.ctx)).toBe(true);
  });
});

describe("preflight: what a machine must provide", () => {
  it("its system and the memory the plan uses, and disk only for instances new on it (at least 1 GiB)", () => {
    const plan = planFor(
      [machineAt("store1", { port: 22 }), machineAt("web1", { port: 23 }), machineAt("web2", { port: 24 })],
      [
        { name: "alpha", kind: "webapp", options: { domain: "alpha.example.org", diskGiB: 7 }, machine: "web1" },
        { name: "beta", kind: "worker", options: {}, machine: "web2" },
      ],
    );
    const [store1, web1, web2] = ["store1", "web1", "web2"].map((n) => plan.machines.find((m) => m.name === n)!);
    expect(expectations(web1!, plan)).toEqual({
      system: web1!.system,
      memoryMiB: web1!.used.memoryMiB,
      diskGiB: 7,
      user: "root",
      stateVersion: "25.05", // a machine new to the deployment: its current stateVersion must be the spec's
    });
    expect(expectations(web2!, plan).diskGiB).toBe(1); // the worker needs 1 GiB
    expect(expectations(store1!, plan)).toEqual({
      system: store1!.system,
      memoryMiB: store1!.used.memoryMiB,
      diskGiB: 1,
      user: "root",
      stateVersion: "25.05",
    });
    expect(store1!.used.memoryMiB).toBeGreaterThanOrEqual(512); // the storage node's share counts as used
    const settled = { ...plan, diff: { ...plan.diff, added: [], moved: [], machinesAdded: [] } };
    expect(expectations(web1!, settled).diskGiB).toBe(1); // nothing new on the machine
    // switched before: it runs the SDK's configuration, which sets the spec's stateVersion
    expect(expectations(web1!, settled).stateVersion).toBeUndefined();
  });
});

describe("sentence", () => {
  it("ends a part with exactly one full stop, keeping ! and ?", () => {
    expect(sentence("connection refused")).toBe("connection refused.");
    expect(sentence("Connection refused by 127.0.0.1:22.")).toBe("Connection refused by 127.0.0.1:22.");
    expect(sentence(" run again.. ")).toBe("run again.");
    expect(sentence("really?")).toBe("really?");
    expect(sentence("")).toBe("");
  });
});
