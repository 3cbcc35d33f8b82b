// What a storage node keeps (StorageRequirements.keeps): recorded in the state with the storage nodes; a node a plan
// drops (an allowed storage change) leaves exactly that as leftovers of the storage backend, which the state keeps
// after apply, `fedi prune` lists per machine, and which stop the machine from becoming a node again.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPlan,
  createRegistry,
  defineStorage,
  type Plan,
  planChanges,
  planPrune,
  StateStore,
  stateFromPlan,
} from "../../src/index.js";
import { errorOf } from "../fixtures/errors.js";
import { machine, testPlugins, toyStorage } from "../fixtures/plugins.js";

const KEEPS = [
  { kind: "directory" as const, path: "/var/lib/keepstore/meta" },
  { kind: "directory" as const, path: "/var/lib/keepstore/data" },
];

/** The toy storage, on every machine with only the storage role, declaring two directories per node. */
const keepStore = defineStorage({
  ...toyStorage,
  kind: "keepstore",
  requirements: (o, machines) => ({ ...toyStorage.requirements(o, machines), keeps: KEEPS }),
});
const registry = createRegistry([...testPlugins, keepStore]);

function spec(stores: string[]): any {
  return {
    name: "demo",
    machines: [
      machine("apps", "10.0.0.1", { roles: ["services"] }),
      ...stores.map((name, i) => machine(name, `10.0.1.${i + 1}`, { roles: ["storage"] })),
    ],
    storage: { kind: "keepstore", options: {} },
    services: [{ name: "jobs", kind: "worker", options: {} }],
  };
}

const applied = (plan: Plan, previous?: ReturnType<typeof stateFromPlan>) =>
  stateFromPlan(plan, previous, new Date("2026-01-01T00:00:00Z"));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-storage-keeps-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("what storage nodes keep", () => {
  it("is recorded with the storage nodes and read back from the state file", async () => {
    const state = applied(createPlan({ spec: spec(["s1", "s2"]), registry }));
    expect(state.storage).toEqual({ kind: "keepstore", nodes: ["s1", "s2"], keeps: KEEPS });
    const store = new StateStore(dir);
    await store.write(state);
    expect((await store.read("demo")).storage).toEqual(state.storage);
  });

  it("a dropped node leaves its directories, marked as the storage backend's, kept in the state after apply", async () => {
    const first = applied(createPlan({ spec: spec(["s1", "s2"]), registry }));
    const plan = createPlan({ spec: spec(["s1"]), registry, state: first, allowStorageChanges: true });
    expect(plan.diff.removed).toEqual([]);
    expect(plan.diff.storageChanges).toEqual([
      {
        kind: "node-removed",
        machine: "s2",
        note: "'s2' stops being a keepstore storage node; the objects on it stay there",
        leftovers: KEEPS.map((durable) => ({
          kind: "data",
          name: `directory:${durable.path}`,
          machine: "s2",
          storage: "keepstore",
          durable,
          note: `directory ${durable.path} of the keepstore storage node stays on 's2' (delete it only once the remaining nodes hold every object)`,
        })),
      },
    ]);
    const text = planChanges(plan, { state: first, stateFile: ".fedi/state.json" });
    expect(text).toContain("stops being a keepstore storage node; the objects on it stay there; left behind:");
    expect(text).toContain("· directory /var/lib/keepstore/meta of the keepstore storage node stays on 's2'");

    const after = applied(plan, first);
    expect(after.storage?.nodes).toEqual(["s1"]);
    expect(after.leftovers).toEqual(plan.diff.storageChanges[0]!.leftovers);
    // Through the state file (the schema keeps `storage` on a leftover), then the next plan is up to date.
    const store = new StateStore(dir);
    await store.write(after);
    const read = await store.read("demo");
    expect(read.leftovers).toEqual(after.leftovers);
    const again = createPlan({ spec: spec(["s1"]), registry, state: read });
    expect(again.diff.upToDate).toBe(true);
    expect(applied(again, read).leftovers).toEqual(after.leftovers);

    const prune = planPrune(read);
    expect(prune.groups.map((g) => [g.label, g.storage, g.machine, g.items.map((i) => i.kind)])).toEqual([
      ["storage node s2", "keepstore", "s2", ["directory", "directory"]],
    ]);
  });

  it("refuses the machine as a storage node again while they are recorded, naming it and the directories", () => {
    const first = applied(createPlan({ spec: spec(["s1", "s2"]), registry }));
    const state = applied(createPlan({ spec: spec(["s1"]), registry, state: first, allowStorageChanges: true }), first);
    const error = errorOf(() => createPlan({ spec: spec(["s1", "s2"]), registry, state, allowStorageChanges: true }));
    expect(error.code).toBe("LEFTOVER_REUSE");
    expect(error.message).toBe(
      "A storage node would start on the data its machine kept when it stopped being a storage node.",
    );
    expect(error.issues).toEqual([
      {
        path: "machines[2]",
        message:
          "'s2' would become a keepstore storage node again, but directory /var/lib/keepstore/meta, directory /var/lib/keepstore/data left by its earlier keepstore node are still there",
        code: "LEFTOVER_REUSE",
      },
    ]);
    expect(error.hint).toContain("fedi prune");
  });

  it("a state without them (written before they were recorded) still reads, and a drop then leaves no leftovers", async () => {
    await writeFile(
      join(dir, "state.json"),
      JSON.stringify({
        schemaVersion: 2,
        deployment: "demo",
        appliedAt: "2026-01-01T00:00:00.000Z",
        instances: {},
        machines: {},
        storage: { kind: "keepstore", nodes: ["s1", "s2"] },
        leftovers: [],
      }),
    );
    const state = await new StateStore(dir).read("demo");
    expect(state.storage).toEqual({ kind: "keepstore", nodes: ["s1", "s2"] });
    const plan = createPlan({ spec: spec(["s1"]), registry, state, allowStorageChanges: true });
    expect(plan.diff.storageChanges).toEqual([expect.objectContaining({ kind: "node-removed", machine: "s2" })]);
    expect(plan.diff.storageChanges[0]!.leftovers).toBeUndefined();
    expect(applied(plan, state)).toMatchObject({ storage: { keeps: KEEPS }, leftovers: [] });
  });

  it("refuses a declared directory that is not absolute as a plugin contract breach", () => {
    const bad = defineStorage({
      ...keepStore,
      kind: "badkeepstore",
      requirements: (o, machines) => ({
        ...toyStorage.requirements(o, machines),
        keeps: [{ kind: "directory", path: "var/lib/../x" }],
      }),
    });
    const badSpec = { ...spec(["s1"]), storage: { kind: "badkeepstore", options: {} } };
    expect(errorOf(() => createPlan({ spec: badSpec, registry: createRegistry([...testPlugins, bad]) })).code).toBe(
      "PLUGIN_CONTRACT",
    );
  });
});
