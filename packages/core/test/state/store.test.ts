import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  emptyState,
  hasErrorCode,
  StateStore,
  stateFromPlan,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-state-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("StateStore", () => {
  it("reads an empty state when there is none, and round-trips a written one (0600, no temp files left)", async () => {
    const store = new StateStore(join(dir, ".fedi"));
    expect(await store.read("demo")).toEqual(emptyState("demo"));
    const plan = createPlanFromUnknown({
      registry: createRegistry(testPlugins),
      spec: {
        name: "demo",
        machines: [machine("box", "10.0.0.1")],
        storage: { kind: "toystore" },
        services: [{ name: "jobs", kind: "worker" }],
      },
    });
    const state = stateFromPlan(plan, undefined, new Date("2026-01-01T00:00:00Z"));
    await store.write(state);
    expect(await store.read("demo")).toEqual(state);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, ".fedi"))).toEqual(["state.json"]);
  });

  it("refuses a state of another version, another deployment, or broken JSON, with a clear error", async () => {
    const store = new StateStore(dir);
    await writeFile(store.path, "{ not json");
    expect(hasErrorCode(await errorOf(store.read("demo")), "STATE_INVALID")).toBe(true);
    await writeFile(store.path, JSON.stringify({ ...emptyState("demo"), schemaVersion: 99 }));
    const e = await errorOf(store.read("demo"));
    expect(hasErrorCode(e, "STATE_INVALID")).toBe(true);
    expect((e as Error).message).toContain("schema version 99");
    await writeFile(store.path, JSON.stringify(emptyState("other")));
    expect(((await errorOf(store.read("demo"))) as Error).message).toContain("belongs to deployment 'other'");
    await writeFile(store.path, JSON.stringify({ ...emptyState("demo"), instances: { x: { kind: 1 } } }));
    expect(hasErrorCode(await errorOf(store.read("demo")), "STATE_INVALID")).toBe(true);
  });

  it("lets one run at a time hold the lock, and takes over a lock left by a dead process", async () => {
    const store = new StateStore(dir);
    let inside = false;
    const held = store.withLock(async () => {
      inside = true;
      expect(hasErrorCode(await errorOf(store.withLock(async () => 1)), "STATE_LOCKED")).toBe(true);
      return 7;
    });
    expect(await held).toBe(7);
    expect(inside).toBe(true);
    expect(await store.withLock(async () => 8)).toBe(8); // released

    // a lock file naming a process that has exited
    const child = spawn(process.execPath, ["-e", ""]);
    const pid = child.pid!;
    await new Promise((r) => child.on("exit", r));
    await writeFile(join(dir, "state.lock"), `${pid}\n`);
    expect(await store.withLock(async () => 9)).toBe(9);
    await expect(readFile(join(dir, "state.lock"), "utf8")).rejects.toThrow();
  });

  it("releases the lock when the work fails", async () => {
    const store = new StateStore(dir);
    await expect(
      store.withLock(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.withLock(async () => "free")).toBe("free");
  });
});
