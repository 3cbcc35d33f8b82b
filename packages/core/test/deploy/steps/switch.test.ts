// The switching steps (storage-nodes, nixops4) with the real NixOps4 driver running the NixOps4 double
// (test/doubles/nixops4-double.mjs, contract in its header) in a committed deployment directory.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nixops4Step } from "../../../src/deploy/steps/nixops4.js";
import { storageNodesStep } from "../../../src/deploy/steps/storage-nodes.js";
import { type createPlan, createPlanFromUnknown, emptyState } from "../../../src/index.js";
import { stateFromPlan } from "../../../src/state/from-plan.js";
import { type Deployment, DOUBLE, makeDeployment } from "../../nixops4/helpers.js";
import { contextFor, machineAt, registry, type Workspace, workspace } from "./support.js";

let ws: Workspace;
let deployment: Deployment;
beforeEach(async () => {
  ws = await workspace();
  deployment = await makeDeployment({
    "default.store1": "127.0.0.1",
    "default.web1": "127.0.0.1",
    "default.web2": "127.0.0.1",
  });
});
afterEach(async () => {
  await ws.dispose();
  await deployment.cleanup();
});

const spec = (domain = "alpha.example.org") => ({
  name: "steps",
  machines: [machineAt("store1", { port: 22 }), machineAt("web1", { port: 23 }), machineAt("web2", { port: 24 })],
  storage: { kind: "toystore", options: {} },
  acme: { email: "ops@example.org", staging: true },
  services: [
    { name: "alpha", kind: "webapp", options: { domain }, machine: "web1" },
    { name: "beta", kind: "worker", options: {}, machine: "web2" },
  ],
});
function context(plan: ReturnType<typeof createPlan>, all = false) {
  return contextFor(plan, ws, {
    all,
    deployer: {
      deployDir: deployment.dir,
      nixops4: { binary: DOUBLE, env: { FEDI_NIXOPS4_DOUBLE_LOG: deployment.log } },
    },
  });
}

const argvs = () => deployment.invocations().map((i) => i.argv);

describe("storage-nodes and nixops4", () => {
  it("switch the storage nodes first, then the other machines, and report what they applied", async () => {
    const plan = createPlanFromUnknown({ spec: spec(), registry });
    expect(plan.storage.nodes.map((n) => n.machine)).toEqual(["store1"]);
    const { ctx } = await context(plan);
    expect(await storageNodesStep.run(ctx)).toMatch(/^1 machine\(s\) switched in \d+ s$/);
    expect(await nixops4Step.run(ctx)).toMatch(/^2 machine\(s\) switched in \d+ s$/);
    expect(argvs()).toEqual([
      ["apply", "default.store1", "--no-interactive", "--show-trace"],
      ["apply", "default.web1", "default.web2", "--no-interactive", "--show-trace"],
    ]);
    expect(ctx.report.applied).toEqual(["default.store1", "default.web1", "default.web2"]);
  });

  it("switch only the machines whose configuration changed, and have nothing to do without any", async () => {
    const first = createPlanFromUnknown({ spec: spec(), registry });
    const state = stateFromPlan(first, emptyState("steps"), new Date());
    await ws.state.write(state);
    const changed = createPlanFromUnknown({ spec: spec("other.example.org"), registry, state });
    expect(changed.diff.machinesChanged).toEqual(["web1"]);
    const { ctx } = await context(changed);
    expect(await storageNodesStep.run(ctx)).toBeUndefined();
    expect(await nixops4Step.run(ctx)).toMatch(/^1 machine\(s\) switched/);
    expect(argvs()).toEqual([["apply", "default.web1", "--no-interactive", "--show-trace"]]);

    const same = createPlanFromUnknown({ spec: spec(), registry, state });
    const unchanged = await context(same);
    expect(await storageNodesStep.run(unchanged.ctx)).toBeUndefined();
    expect(await nixops4Step.run(unchanged.ctx)).toBeUndefined();
    expect(argvs()).toHaveLength(1); // no further NixOps4 call
    expect(unchanged.ctx.report.applied).toEqual([]);

    const all = await context(same, true); // --all: every machine again
    expect(await storageNodesStep.run(all.ctx)).toMatch(/^1 machine/);
    expect(await nixops4Step.run(all.ctx)).toMatch(/^2 machine/);
    expect(all.ctx.report.applied).toEqual(["default.store1", "default.web1", "default.web2"]);
  });
});
