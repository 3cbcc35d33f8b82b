import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createPlan, createRegistry, defineStorage, stateFromPlan } from "../../../src/index.js";
import { errorOf } from "../../fixtures/errors.js";
import { machine, testPlugins, toyStorage } from "../../fixtures/plugins.js";
import { registry, twoMachines } from "./spec.js";

const applied = (plan: ReturnType<typeof createPlan>) => stateFromPlan(plan, undefined, new Date(0));

/** The toy storage, but its replication factor comes from the options (as Garage's does). */
const copies = defineStorage({
  kind: "copystore",
  apiVersion: 1,
  options: z.object({ copies: z.number().int().positive(), region: z.string().default("toy") }).strict(),
  requirements: (o, machines) => ({
    ...toyStorage.requirements({ region: o.region }, machines),
    replicationFactor: o.copies,
  }),
  nixos: (ctx, node, o) => toyStorage.nixos(ctx, node, { region: o.region }),
  s3Access: (ctx, m, o) => toyStorage.s3Access(ctx, m, { region: o.region }),
  publicUrl: (bucket, o, ctx) => toyStorage.publicUrl(bucket, { region: o.region }, ctx),
  checks: (ctx, node, o) => toyStorage.checks(ctx, node, { region: o.region }),
});

describe("storage continuity stage", () => {
  it("refuses a plan whose default storage node moves to a new machine, naming both machines", () => {
    // The toy storage picks the first machine by name: adding '0new' moves the node from 'a' (the finding).
    const state = applied(createPlan({ spec: twoMachines(), registry }));
    const spec = twoMachines();
    spec.machines.push(machine("0new", "10.0.0.9"));
    const error = errorOf(() => createPlan({ spec, registry, state }));
    expect(error.code).toBe("STORAGE_MOVE_REQUIRED");
    expect(error.issues?.map((i) => [i.path, i.code])).toEqual([
      ["machines[2]", "STORAGE_MOVE_REQUIRED"],
      ["machines[0]", "STORAGE_MOVE_REQUIRED"],
    ]);
    expect(error.issues?.[1]?.message).toContain("its objects stay on it");
    expect(error.hint).toContain('nodes: ["a"]');
  });

  it("when allowed, plans the change and lists it for apply to confirm", () => {
    const state = applied(createPlan({ spec: twoMachines(), registry }));
    const spec = twoMachines();
    spec.machines.push(machine("0new", "10.0.0.9"));
    const plan = createPlan({ spec, registry, state, allowStorageChanges: true, allowMoves: true });
    expect(plan.storage.nodes.map((n) => n.machine)).toEqual(["0new"]);
    expect(plan.diff.storageChanges.map((c) => [c.kind, c.machine])).toEqual([
      ["node-added", "0new"],
      ["node-removed", "a"],
    ]);
  });

  it("refuses another storage backend against a recorded one unless allowed", () => {
    const reg = createRegistry([...testPlugins, copies]);
    const state = applied(createPlan({ spec: twoMachines(), registry: reg }));
    const spec = twoMachines();
    spec.storage = { kind: "copystore", options: { copies: 1 } };
    const error = errorOf(() => createPlan({ spec, registry: reg, state }));
    expect(error.code).toBe("STORAGE_MOVE_REQUIRED");
    expect(error.issues?.[0]?.path).toBe("storage.kind");
    const plan = createPlan({ spec, registry: reg, state, allowStorageChanges: true });
    expect(plan.diff.storageChanges.map((c) => [c.kind, c.machine])).toEqual([
      ["node-added", "a"],
      ["node-removed", "a"],
    ]);
  });

  it("refuses a replication factor change of the running cluster even when allowed", () => {
    const reg = createRegistry([...testPlugins, copies]);
    const spec = { ...twoMachines(), storage: { kind: "copystore", options: { copies: 1 } } };
    const state = applied(createPlan({ spec, registry: reg }));
    expect(state.storage?.replicationFactor).toBe(1);
    const changed = { ...twoMachines(), storage: { kind: "copystore", options: { copies: 2 } } };
    for (const allowStorageChanges of [false, true]) {
      expect(errorOf(() => createPlan({ spec: changed, registry: reg, state, allowStorageChanges }))).toMatchObject({
        code: "STORAGE_REPLICATION_CHANGE",
        issues: [expect.objectContaining({ path: "storage.options.replicationFactor" })],
      });
    }
  });

  it("refuses a replication factor that is not a whole number as a plugin contract breach", () => {
    const bad = defineStorage({
      ...copies,
      kind: "badstore",
      requirements: (o, m) => ({ ...copies.requirements(o, m), replicationFactor: 1.5 }),
    });
    const spec = { ...twoMachines(), storage: { kind: "badstore", options: { copies: 1 } } };
    expect(errorOf(() => createPlan({ spec, registry: createRegistry([...testPlugins, bad]) })).code).toBe(
      "PLUGIN_CONTRACT",
    );
  });

  it("hands the recorded storage to the storage plugin and its context", () => {
    const seen: unknown[] = [];
    const watching = defineStorage({
      ...toyStorage,
      kind: "watchstore",
      requirements: (o, machines, appliedStorage) => {
        seen.push(appliedStorage);
        return toyStorage.requirements(o, machines);
      },
      nixos: (ctx, node, o) => {
        seen.push(ctx.applied);
        return toyStorage.nixos(ctx, node, o);
      },
    });
    const reg = createRegistry([...testPlugins, watching]);
    const spec = { ...twoMachines(), storage: { kind: "watchstore", options: {} } };
    createPlan({ spec, registry: reg, state: applied(createPlan({ spec, registry: reg })) });
    expect(seen).toEqual([undefined, undefined, { nodes: ["a"] }, { nodes: ["a"] }]);
  });
});
