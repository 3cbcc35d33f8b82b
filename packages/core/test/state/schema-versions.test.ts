// State schema version 2 records the storage nodes; version 1 files (written before) must still load.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  STATE_SCHEMA_VERSION,
  StateStore,
  stateFromPlan,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-state-versions-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A state file as an SDK with state schema version 1 wrote it (no `storage`). */
const VERSION_1 = {
  schemaVersion: 1,
  deployment: "demo",
  appliedAt: "2026-01-01T00:00:00.000Z",
  instances: {
    jobs: { kind: "worker", machine: "box", fingerprint: "f", buckets: [], secrets: [] },
  },
  machines: { box: { configHash: "h" } },
  leftovers: [],
};

describe("state schema versions", () => {
  it("writes version 2", () => {
    expect(STATE_SCHEMA_VERSION).toBe(2);
  });

  it("reads a version 1 file as a version 2 state without a storage record, and plans against it", async () => {
    const store = new StateStore(dir);
    await writeFile(store.path, JSON.stringify(VERSION_1));
    const state = await store.read("demo");
    expect(state).toEqual({ ...VERSION_1, schemaVersion: 2 });
    expect(state.storage).toBeUndefined();
    const plan = createPlanFromUnknown({
      spec: {
        name: "demo",
        machines: [machine("box", "10.0.0.1")],
        storage: { kind: "toystore", options: {} },
        services: [{ name: "jobs", kind: "worker", options: {} }],
      },
      registry: createRegistry(testPlugins),
      state,
    });
    expect(plan.diff.storageChanges).toEqual([]);
    expect(plan.instances[0]!.placement).toBe("kept");
  });

  it("round-trips the storage record of version 2", async () => {
    const store = new StateStore(dir);
    const plan = createPlanFromUnknown({
      spec: {
        name: "demo",
        machines: [machine("box", "10.0.0.1")],
        storage: { kind: "toystore", options: {} },
        services: [],
      },
      registry: createRegistry(testPlugins),
    });
    await store.write(stateFromPlan(plan, undefined, new Date(0)));
    expect(JSON.parse(await readFile(store.path, "utf8")).storage).toEqual({ kind: "toystore", nodes: ["box"] });
    expect((await store.read("demo")).storage).toEqual({ kind: "toystore", nodes: ["box"] });
  });

  it("refuses a storage record that is not one", async () => {
    const store = new StateStore(dir);
    await writeFile(
      store.path,
      JSON.stringify({ ...VERSION_1, schemaVersion: 2, storage: { kind: "x", nodes: "box" } }),
    );
    await expect(store.read("demo")).rejects.toMatchObject({
      code: "STATE_INVALID",
      issues: [expect.objectContaining({ path: "storage.nodes" })],
    });
  });

  it("refuses a newer version, naming the versions it reads", async () => {
    const store = new StateStore(dir);
    await writeFile(store.path, JSON.stringify({ ...VERSION_1, schemaVersion: 3 }));
    await expect(store.read("demo")).rejects.toMatchObject({
      code: "STATE_INVALID",
      message: expect.stringContaining("reads versions 1 and 2"),
    });
  });
});
