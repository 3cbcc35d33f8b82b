// Durable state is declared (issue 12, item 6, first part): a plugin lists what an instance keeps; the state records
// it and the removal diff lists exactly that.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createPlanFromUnknown, createRegistry, defineService, StateStore, stateFromPlan } from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const keeper = defineService({
  kind: "keeper",
  apiVersion: 1,
  options: z.object({}).strict(),
  requirements: () => ({
    cpus: 1,
    memoryMiB: 256,
    diskGiB: 1,
    keeps: [
      { kind: "database", engine: "postgresql", name: "keeper" },
      { kind: "directory", path: "/var/lib/keeper" },
    ],
  }),
  nixos: () => ({ services: { keeper: { enable: true } } }),
  checks: () => [],
});
const registry = createRegistry([...testPlugins, keeper]);
const spec = (services: unknown[]) => ({
  name: "demo",
  machines: [machine("box", "10.0.0.1")],
  storage: { kind: "toystore", options: {} },
  services,
});

describe("declared durable state", () => {
  it("is recorded in the state and listed, item by item, when the instance is removed", async () => {
    const first = createPlanFromUnknown({ spec: spec([{ name: "k", kind: "keeper", options: {} }]), registry });
    const state = stateFromPlan(first, undefined, new Date(0));
    expect(state.instances.k?.keeps).toEqual([
      { kind: "database", engine: "postgresql", name: "keeper" },
      { kind: "directory", path: "/var/lib/keeper" },
    ]);
    // Through the state file, as apply writes it and the next plan reads it.
    const dir = await mkdtemp(join(tmpdir(), "fedi-durable-"));
    try {
      const store = new StateStore(dir);
      await store.write(state);
      const read = await store.read("demo");
      const removed = createPlanFromUnknown({ spec: spec([]), registry, state: read }).diff.removed;
      expect(removed.map((r) => r.instance)).toEqual(["k"]);
      expect(removed[0]!.leftovers).toEqual([
        {
          kind: "data",
          name: "postgresql:keeper",
          machine: "box",
          instance: "k",
          durable: { kind: "database", engine: "postgresql", name: "keeper" },
          note: "postgresql database 'keeper' of 'k' stays on 'box'",
        },
        {
          kind: "data",
          name: "directory:/var/lib/keeper",
          machine: "box",
          instance: "k",
          durable: { kind: "directory", path: "/var/lib/keeper" },
          note: "directory /var/lib/keeper of 'k' stays on 'box'",
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a plugin that declares nothing keeps the generic 'database and files stay' leftover", () => {
    const state = stateFromPlan(
      createPlanFromUnknown({ spec: spec([{ name: "w", kind: "worker", options: {} }]), registry }),
      undefined,
      new Date(0),
    );
    const removed = createPlanFromUnknown({ spec: spec([]), registry, state }).diff.removed;
    expect(removed[0]!.leftovers.map((l) => [l.kind, l.name])).toEqual([["data", "worker:w"]]);
  });

  it("refuses a declared directory that is not absolute as a plugin contract breach", () => {
    const bad = defineService({
      ...keeper,
      kind: "badkeeper",
      requirements: () => ({ cpus: 1, memoryMiB: 1, diskGiB: 1, keeps: [{ kind: "directory", path: "var/../etc" }] }),
    });
    expect(() =>
      createPlanFromUnknown({
        spec: spec([{ name: "b", kind: "badkeeper", options: {} }]),
        registry: createRegistry([...testPlugins, bad]),
      }),
    ).toThrow(expect.objectContaining({ code: "PLUGIN_CONTRACT" }));
  });
});
