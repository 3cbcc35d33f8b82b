// Storage is sticky like instances (issue 12, item 1): the Garage nodes chosen by default and the cluster's
// replication factor stay what the last apply set up; a plan that would change them stops, or lists the change.
import {
  createPlan,
  createRegistry,
  forgetPruned,
  hasErrorCode,
  type Plan,
  planPrune,
  stateFromPlan,
} from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { garage } from "../src/index.js";
import { fediErrorOf, machine, mediaApp } from "./plugin-helpers.js";

const registry = createRegistry([garage, mediaApp]);

/** What every Garage node declares it keeps (see `garageNodeKeeps`). */
const GARAGE_KEEPS = [
  { kind: "directory", path: "/var/lib/garage/meta" },
  { kind: "directory", path: "/var/lib/garage/data" },
  { kind: "directory", path: "/var/lib/private/garage" },
  { kind: "directory", path: "/var/lib/garage" },
];

/** Two machines with both roles: Garage's default node is the first by name. */
function twoMachineSpec(): any {
  return {
    name: "shop",
    machines: [machine("m2", "10.0.0.2"), machine("m3", "10.0.0.3")],
    storage: { kind: "garage", options: {} },
    services: [{ name: "social", kind: "mediaapp", options: { domain: "social.example.org" } }],
  };
}

/** Two dedicated storage nodes in two zones and one service machine: the default factor is 2. */
function twoStoresSpec(options: Record<string, unknown> = {}): any {
  return {
    name: "cluster",
    machines: [
      machine("store-a", "10.0.1.1", { roles: ["storage"], zone: "ams" }),
      machine("store-b", "10.0.1.2", { roles: ["storage"], zone: "par" }),
      machine("apps", "10.0.2.1", { roles: ["services"] }),
    ],
    storage: { kind: "garage", options },
    services: [{ name: "social", kind: "mediaapp", options: { domain: "social.example.org" } }],
  };
}

const applied = (plan: Plan) => stateFromPlan(plan, undefined, new Date("2026-01-01T00:00:00Z"));
const garageOn = (plan: Plan) =>
  plan.machines.filter((m) => m.nixosModule.includes("services.garage")).map((m) => m.name);
const factorIn = (plan: Plan, machine: string) =>
  /replication_factor = (\d+);/.exec(plan.machines.find((m) => m.name === machine)!.nixosModule)?.[1];

describe("Garage storage is sticky", () => {
  it("records the nodes and the replication factor in the state", () => {
    const state = applied(createPlan({ spec: twoStoresSpec(), registry }));
    expect(state.storage).toEqual({
      kind: "garage",
      nodes: ["store-a", "store-b"],
      replicationFactor: 2,
      keeps: GARAGE_KEEPS,
    });
    expect(state.schemaVersion).toBe(2);
  });

  it("adding a machine that sorts first keeps the Garage node where the data is", () => {
    const first = createPlan({ spec: twoMachineSpec(), registry });
    expect(garageOn(first)).toEqual(["m2"]);
    const grown = twoMachineSpec();
    grown.machines.push(machine("m1", "10.0.0.1"));
    // The finding: planned afresh, the default node is the new machine, and m2's services.garage would disappear.
    expect(garageOn(createPlan({ spec: grown, registry }))).toEqual(["m1"]);
    const plan = createPlan({ spec: grown, registry, state: applied(first) });
    expect(plan.storage.nodes.map((n) => n.machine)).toEqual(["m2"]);
    expect(garageOn(plan)).toEqual(["m2"]);
    expect(plan.diff.storageChanges).toEqual([]);
    expect(plan.diff.machinesAdded).toEqual(["m1"]);
  });

  it("adding a third storage node keeps the running cluster's factor 2 when allowed, and lists the new node", () => {
    const state = applied(createPlan({ spec: twoStoresSpec(), registry }));
    const grown = twoStoresSpec();
    grown.machines.push(machine("store-c", "10.0.1.3", { roles: ["storage"], zone: "ber" }));
    // The finding: planned afresh, three nodes give factor 3.
    expect(createPlan({ spec: grown, registry }).storage.replicationFactor).toBe(3);

    const refused = fediErrorOf(() => createPlan({ spec: grown, registry, state }));
    expect(refused.code).toBe("STORAGE_MOVE_REQUIRED");
    expect(refused.issues?.map((i) => i.path)).toEqual(["machines[3]"]);
    expect(refused.message).toContain("'store-a', 'store-b' to 'store-a', 'store-b', 'store-c'");
    expect(refused.hint).toContain("--allow-storage-changes");

    const plan = createPlan({ spec: grown, registry, state, allowStorageChanges: true });
    expect(plan.storage.replicationFactor).toBe(2);
    for (const node of ["store-a", "store-b", "store-c"]) expect(factorIn(plan, node)).toBe("2");
    expect(plan.diff.storageChanges).toEqual([
      { kind: "node-added", machine: "store-c", note: "'store-c' becomes a garage storage node" },
    ]);
    expect(plan.diff.upToDate).toBe(false);
  });

  it("refuses to change the replication factor of a running cluster, even when storage changes are allowed", () => {
    const state = applied(createPlan({ spec: twoStoresSpec(), registry }));
    const grown = twoStoresSpec({ replicationFactor: 3 });
    grown.machines.push(machine("store-c", "10.0.1.3", { roles: ["storage"], zone: "ber" }));
    for (const allowStorageChanges of [false, true]) {
      const error = fediErrorOf(() => createPlan({ spec: grown, registry, state, allowStorageChanges }));
      expect(error.code).toBe("STORAGE_REPLICATION_CHANGE");
      expect(error.issues?.[0]?.path).toBe("storage.options.replicationFactor");
      expect(error.hint).toContain("replicationFactor: 2");
      expect(error.hint).toContain("new cluster");
    }
  });

  it("dropping a storage node is refused unless allowed, then listed as a removal that leaves the objects", () => {
    const three = twoStoresSpec({ replicationFactor: 2 });
    three.machines.push(machine("store-c", "10.0.1.3", { roles: ["storage"], zone: "ber" }));
    const state = applied(createPlan({ spec: three, registry }));
    const shrunk = twoStoresSpec({ replicationFactor: 2 });
    expect(
      hasErrorCode(
        fediErrorOf(() => createPlan({ spec: shrunk, registry, state })),
        "STORAGE_MOVE_REQUIRED",
      ),
    ).toBe(true);
    const plan = createPlan({ spec: shrunk, registry, state, allowStorageChanges: true });
    expect(plan.diff.storageChanges.map((c) => [c.kind, c.machine])).toEqual([["node-removed", "store-c"]]);
    expect(plan.diff.storageChanges[0]!.note).toContain("stay");
  });

  it("an unchanged re-plan against the recorded storage is up to date", () => {
    const first = createPlan({ spec: twoStoresSpec(), registry });
    const again = createPlan({ spec: twoStoresSpec(), registry, state: applied(first) });
    expect(again.diff.upToDate).toBe(true);
    expect(again.machines.map((m) => m.configHash)).toEqual(first.machines.map((m) => m.configHash));
  });

  it("a dropped node leaves its Garage directories recorded, for fedi prune to delete", () => {
    const three = twoStoresSpec({ replicationFactor: 2 });
    three.machines.push(machine("store-c", "10.0.1.3", { roles: ["storage"], zone: "ber" }));
    const state = applied(createPlan({ spec: three, registry }));
    const plan = createPlan({
      spec: twoStoresSpec({ replicationFactor: 2 }),
      registry,
      state,
      allowStorageChanges: true,
    });
    const [removed] = plan.diff.storageChanges;
    expect(removed).toMatchObject({ kind: "node-removed", machine: "store-c" });
    expect(removed!.leftovers).toEqual(
      GARAGE_KEEPS.map((durable) => ({
        kind: "data",
        name: `directory:${durable.path}`,
        machine: "store-c",
        storage: "garage",
        durable,
        note: `directory ${durable.path} of the garage storage node stays on 'store-c' (delete it only once the remaining nodes hold every object)`,
      })),
    );
    expect(removed!.leftovers!.every((l) => l.instance === undefined)).toBe(true);

    const after = stateFromPlan(plan, state, new Date("2026-01-02T00:00:00Z"));
    expect(after.storage?.nodes).toEqual(["store-a", "store-b"]);
    expect(after.leftovers).toEqual(removed!.leftovers);
    // Applying the same plan again records nothing twice.
    expect(stateFromPlan(plan, after, new Date("2026-01-03T00:00:00Z")).leftovers).toHaveLength(4);

    const prune = planPrune(after);
    expect(prune.groups).toEqual([
      {
        storage: "garage",
        machine: "store-c",
        label: "storage node store-c",
        items: GARAGE_KEEPS.map(({ path }) => ({
          kind: "directory",
          path,
          machine: "store-c",
          action: "delete-directory",
          leftover: `data:directory:${path}:store-c`,
        })),
      },
    ]);
    expect(prune.deletions).toBe(4);
    expect(planPrune(after, { storageNodes: ["store-c"] }).groups).toHaveLength(1);
  });

  it("refuses to make a machine a storage node again while its old node's directories are recorded", () => {
    const three = twoStoresSpec({ replicationFactor: 2 });
    three.machines.push(machine("store-c", "10.0.1.3", { roles: ["storage"], zone: "ber" }));
    const first = applied(createPlan({ spec: three, registry }));
    const dropped = createPlan({
      spec: twoStoresSpec({ replicationFactor: 2 }),
      registry,
      state: first,
      allowStorageChanges: true,
    });
    const state = stateFromPlan(dropped, first, new Date("2026-01-02T00:00:00Z"));

    const error = fediErrorOf(() => createPlan({ spec: three, registry, state, allowStorageChanges: true }));
    expect(error.code).toBe("LEFTOVER_REUSE");
    expect(error.issues).toEqual([expect.objectContaining({ path: "machines[3]", code: "LEFTOVER_REUSE" })]);
    expect(error.issues![0]!.message).toContain("'store-c' would become a garage storage node again");
    expect(error.issues![0]!.message).toContain("directory /var/lib/garage/meta");
    expect(error.hint).toContain("fedi prune");
    expect(error.hint).toContain("storage node <machine>");

    // Once prune has deleted them (and forgotten them in the state), the machine may join again.
    const pruned = forgetPruned(state, {
      results: [],
      gone: planPrune(state).groups.flatMap((g) => g.items.map((i) => i.leftover)),
      failed: 0,
    });
    expect(pruned.leftovers).toEqual([]);
    const back = createPlan({ spec: three, registry, state: pruned, allowStorageChanges: true });
    expect(back.diff.storageChanges.map((c) => [c.kind, c.machine])).toEqual([["node-added", "store-c"]]);
  });
});
