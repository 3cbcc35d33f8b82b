import { describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  DEFAULT_PLACEMENT_SEARCH_STEPS,
  type FediError,
  type PlacementInstance,
  type PlacementMachine,
  placeInstances,
} from "../../src/index.js";
import { type MachineState, placeGreedily } from "../../src/plan/placement/greedy.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const host = (name: string, memoryMiB: number, cpus = 8, diskGiB = 100): PlacementMachine => ({
  name,
  free: { cpus, memoryMiB, diskGiB },
  hostsServices: true,
});
let counter = 0;
const instance = (
  name: string,
  kind: string,
  memoryMiB: number,
  cpus = 1,
  diskGiB = 1,
  extra: Partial<PlacementInstance> = {},
): PlacementInstance => ({
  name,
  kind,
  path: `services[${counter++}]`,
  needs: { cpus, memoryMiB, diskGiB },
  ...extra,
});

/** The fast path alone, on fresh machine states: the instances it leaves out. */
function fastPathLeavesOut(machines: PlacementMachine[], instances: PlacementInstance[]): string[] {
  const states: MachineState[] = machines.map((m) => ({ ...m, free: { ...m.free }, kinds: new Set<string>() }));
  return placeGreedily(states, instances).failed.map((i) => i.name);
}

/** Every machine within capacity, one instance per kind, pins honoured, every instance placed. */
function expectValid(machines: PlacementMachine[], instances: PlacementInstance[], machineOf: Map<string, string>) {
  expect([...machineOf.keys()].sort()).toEqual(instances.map((i) => i.name).sort());
  for (const m of machines) {
    const here = instances.filter((i) => machineOf.get(i.name) === m.name);
    if (here.length > 0) expect(m.hostsServices).toBe(true);
    expect(here.reduce((s, i) => s + i.needs.cpus, 0)).toBeLessThanOrEqual(m.free.cpus);
    expect(here.reduce((s, i) => s + i.needs.memoryMiB, 0)).toBeLessThanOrEqual(m.free.memoryMiB);
    expect(here.reduce((s, i) => s + i.needs.diskGiB, 0)).toBeLessThanOrEqual(m.free.diskGiB);
    expect(new Set(here.map((i) => i.kind)).size).toBe(here.length);
  }
  for (const i of instances) if (i.pin) expect(machineOf.get(i.name)).toBe(i.pin);
}

function thrown(run: () => unknown): FediError {
  try {
    run();
  } catch (error) {
    return error as FediError;
  }
  throw new Error("expected an error");
}

/**
 * Two numbers-partition machines and 40 instances of distinct kinds whose even memory sizes add up to exactly both
 * machines' memory, each machine having an odd amount: every instance fits alone, the totals match, no bound cuts
 * early, and no placement exists — the search can only stop at its bound.
 */
function partitionTrap(): { machines: PlacementMachine[]; instances: PlacementInstance[] } {
  const sizes: number[] = [];
  let seed = 7;
  for (let i = 0; i < 40; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    sizes.push(2 * (50_000 + Math.floor((seed / 2147483648) * 50_000)));
  }
  let half = sizes.reduce((a, b) => a + b, 0) / 2;
  if (half % 2 === 0) {
    sizes[0]! += 2;
    half += 1;
  }
  return {
    machines: [host("a", half, 1000, 1000), host("b", half, 1000, 1000)],
    instances: sizes.map((s, i) => instance(`i${String(i).padStart(2, "0")}`, `kind${i}`, s)),
  };
}

describe("placement when the fast path fails", () => {
  it("finds the placement largest-first-to-most-free misses (two machines, 6 + 5 + 5 GiB)", () => {
    // 10 GiB and 6 GiB free. The fast path puts the 6 GiB instance on the 10 GiB machine (most free), leaving 4 + 6:
    // the first 5 GiB instance (by name: photos) takes the 6 GiB machine and the second fits nowhere. Valid: 6 on the 6 GiB machine,
    // both 5s (different kinds) on the 10 GiB one.
    const machines = [host("big", 10240), host("small", 6144)];
    const instances = [
      instance("video", "peertube", 6144),
      instance("social", "mastodon", 5120),
      instance("photos", "pixelfed", 5120),
    ];
    expect(fastPathLeavesOut(machines, instances)).toEqual(["social"]);
    const result = placeInstances(machines, instances, { allowMoves: false });
    expectValid(machines, instances, result.machineOf);
    expect(Object.fromEntries(result.machineOf)).toEqual({ video: "small", social: "big", photos: "big" });
    expect([...result.how.values()]).toEqual(["placed", "placed", "placed"]);
  });

  it("finds a placement when CPU, not memory, is what the fast path runs out of", () => {
    // a: 4 CPU / 16 GiB, b: 8 CPU / 8 GiB. The fast path puts x (4 CPU, 8 GiB) on a (most memory), y on b, and z
    // (3 CPU, 4 GiB) then has neither CPU on a nor memory on b. Valid: x on b, y and z on a.
    const machines = [host("a", 16384, 4), host("b", 8192, 8)];
    const instances = [
      instance("x", "mastodon", 8192, 4),
      instance("y", "pixelfed", 8192, 1),
      instance("z", "peertube", 4096, 3),
    ];
    expect(fastPathLeavesOut(machines, instances)).toEqual(["z"]);
    const result = placeInstances(machines, instances, { allowMoves: false });
    expectValid(machines, instances, result.machineOf);
    expect(Object.fromEntries(result.machineOf)).toEqual({ x: "b", y: "a", z: "a" });
  });

  it("keeps pins and running instances where they are while it rearranges the new ones", () => {
    const machines = [host("big", 10240 + 2048), host("small", 6144), host("other", 1024)];
    const instances = [
      instance("pinned", "gotosocial", 1024, 1, 1, { pin: "big" }),
      instance("running", "worker", 1024, 1, 1, { previous: "big" }),
      instance("video", "peertube", 6144),
      instance("social", "mastodon", 5120),
      instance("photos", "pixelfed", 5120),
    ];
    const result = placeInstances(machines, instances, { allowMoves: false });
    expectValid(machines, instances, result.machineOf);
    expect(result.machineOf.get("running")).toBe("big");
    expect(result.how.get("running")).toBe("kept");
    expect(result.how.get("pinned")).toBe("pinned");
    expect(result.machineOf.get("video")).toBe("small");
  });

  it("gives the same placement for the same input, in any input order", () => {
    const machines = [host("big", 10240), host("small", 6144), host("big2", 10240), host("small2", 6144)];
    const instances = [
      instance("v1", "peertube", 6144),
      instance("v2", "peertube", 6144),
      instance("s1", "mastodon", 5120),
      instance("s2", "mastodon", 5120),
      instance("p1", "pixelfed", 5120),
      instance("p2", "pixelfed", 5120),
    ];
    expect(fastPathLeavesOut(machines, instances).length).toBeGreaterThan(0);
    const first = placeInstances(machines, instances, { allowMoves: false });
    expectValid(machines, instances, first.machineOf);
    const again = placeInstances([...machines].reverse(), [...instances].reverse(), { allowMoves: false });
    expect(Object.fromEntries(again.machineOf)).toEqual(Object.fromEntries(first.machineOf));
  });

  it("createPlan places a spec the fast path alone could not (two service machines, one storage machine)", () => {
    const reserve = 1024; // the spec's default memory reserve
    const spec = {
      name: "fit",
      acme: { email: "ops@example.org" },
      machines: [
        machine("store1", "10.0.1.1", { roles: ["storage"] }),
        machine("web1", "10.0.0.1", { resources: { cpus: 8, memoryMiB: 10240 + reserve, diskGiB: 200 } }),
        machine("web2", "10.0.0.2", { resources: { cpus: 8, memoryMiB: 6144 + reserve, diskGiB: 200 } }),
      ],
      storage: { kind: "toystore", options: {} },
      services: [
        { name: "big", kind: "webapp", options: { domain: "big.example.org", memoryMiB: 6144 } },
        { name: "small", kind: "webapp", options: { domain: "small.example.org", memoryMiB: 4096 } },
        { name: "jobs", kind: "worker", options: { memoryMiB: 5120 } },
      ],
    };
    const plan = createPlanFromUnknown({ spec, registry: createRegistry(testPlugins) });
    expect(plan.machines.filter((m) => m.instances.length > 0).map((m) => [m.name, m.instances])).toEqual([
      ["web1", ["jobs", "small"]],
      ["web2", ["big"]],
    ]);
    // The bound reaches the search through createPlan.
    const error = thrown(() =>
      createPlanFromUnknown({ spec, registry: createRegistry(testPlugins), placementSearchSteps: 1 }),
    );
    expect(error.code).toBe("PLACEMENT_SEARCH_LIMIT");
    expect(error.message).toContain("No placement found within 1 steps");
  });
});

describe("placement errors name the instance and what is short where", () => {
  it("an instance too large for every machine: its path, name, needs and each machine's shortage", () => {
    const machines = [host("web01", 8192), host("web02", 6144, 2)];
    const instances = [instance("huge", "mastodon", 16384, 4), instance("ok", "pixelfed", 1024)];
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false }));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(error.service).toBe("huge");
    expect(error.issues).toEqual([
      {
        path: instances[0]!.path,
        message:
          "'huge' (mastodon) needs 4 CPU, 16384 MiB memory, 1 GiB disk and fits on no machine: short of CPU and memory on web02 (2 CPU, 6144 MiB free); short of memory on web01 (8192 MiB free)",
      },
    ]);
  });

  it("names only the instance that fits nowhere, not those the search could place beside it", () => {
    const machines = [host("big", 10240), host("small", 6144)];
    const instances = [
      instance("video", "peertube", 6144),
      instance("social", "mastodon", 5120),
      instance("photos", "pixelfed", 5120),
      instance("huge", "gotosocial", 20480),
    ];
    expect(fastPathLeavesOut(machines, instances)).toEqual(["huge", "social"]);
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false }));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(
      error.issues.map((i) => [i.path, i.message.split(" needs ")[0], i.message.includes("fits on no machine")]),
    ).toEqual([[instances[3]!.path, "'huge' (gotosocial)", true]]);
  });

  it("groups machines by reason and names at most three of each", () => {
    const machines = [
      ...["w1", "w2", "w3", "w4", "w5"].map((n) => host(n, 2048)),
      { ...host("store", 65536), hostsServices: false, excludedBecause: "it is a dedicated storage node" },
      host("m1", 65536),
    ];
    const instances = [instance("old", "mastodon", 1024, 1, 1, { pin: "m1" }), instance("new", "mastodon", 4096)];
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false }));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(error.issues.map((i) => i.message)).toEqual([
      "'new' (mastodon) needs 1 CPU, 4096 MiB memory, 1 GiB disk and fits on no machine: short of memory on w1 (2048 MiB free), w2 (2048 MiB free), w3 (2048 MiB free) and 2 more; m1 already runs a mastodon instance (one per machine); store may not host services (it is a dedicated storage node)",
    ]);
  });

  it("proves impossibility exhaustively and names the instance left out with what the others leave", () => {
    // Three 6 GiB instances, two 8 GiB machines: each fits alone, no two fit together.
    const machines = [host("a", 8192), host("b", 8192)];
    const instances = [
      instance("p", "peertube", 6144),
      instance("x", "mastodon", 6144),
      instance("y", "pixelfed", 6144),
    ];
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false }));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(error.message).toBe("1 instance(s) cannot be placed.");
    expect(error.issues).toEqual([
      {
        path: instances[2]!.path,
        message:
          "'y' (pixelfed) needs 1 CPU, 6144 MiB memory, 1 GiB disk and fits on a machine alone, but no arrangement of the 3 instances to place fits them all (exhaustive search); placed largest first, the others leave: short of memory on a (2048 MiB free), b (2048 MiB free)",
      },
    ]);
  });

  it("never moves a running instance to make room: it names the move that would, for the user to pin", () => {
    // 'keep' runs on a (8 GiB). 'new' needs 8 GiB: it fits only on a, and only if 'keep' goes to b.
    const machines = [host("a", 8192), host("b", 4096)];
    const keep = instance("keep", "mastodon", 4096, 1, 1, { previous: "a" });
    const fresh = instance("new", "pixelfed", 8192);
    for (const allowMoves of [false, true]) {
      const error = thrown(() => placeInstances(machines, [keep, fresh], { allowMoves }));
      expect(error.code).toBe("PLACEMENT_MOVE_REQUIRED");
      expect(error.issues).toEqual([
        {
          path: `${keep.path}.machine`,
          message: `'keep' runs on 'a'; a placement that fits 'new' moves it to 'b' (set ${keep.path}.machine to "b" and re-plan with --allow-moves to move it)`,
          code: "PLACEMENT_MOVE_REQUIRED",
        },
        {
          path: fresh.path,
          message:
            "'new' (pixelfed) needs 1 CPU, 8192 MiB memory, 1 GiB disk and fits only if running instances move: short of memory on b (4096 MiB free), a (4096 MiB free)",
          code: "PLACEMENT_MOVE_REQUIRED",
        },
      ]);
    }
    // Doing what the issue says: pin it there and allow the move.
    const result = placeInstances(machines, [{ ...keep, pin: "b" }, fresh], { allowMoves: true });
    expect(Object.fromEntries(result.machineOf)).toEqual({ keep: "b", new: "a" });
    expect(result.moves.get("keep")).toEqual({ from: "a", reason: "pinned to 'b'" });
  });
});

describe("the search bound", () => {
  it("is stated in the error: 'no placement found within N steps', never 'impossible'", () => {
    const { machines, instances } = partitionTrap();
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false, searchSteps: 200_000 }));
    expect(error.code).toBe("PLACEMENT_SEARCH_LIMIT");
    expect(error.message).toBe(
      "No placement found within 200000 steps: the exact search stopped at its bound before placing every instance or proving that no placement exists.",
    );
    expect(error.hint).toContain("A placement may still exist");
    expect(error.details).toMatchObject({ maxSteps: 200_000 });
    expect(error.details.steps as number).toBeGreaterThan(200_000);
    expect(error.details.steps as number).toBeLessThan(200_000 + 200);
    expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) {
      expect(issue.path).toMatch(/^services\[\d+\]$/);
      expect(issue.message).toMatch(
        /^'i\d\d' \(kind\d+\) needs .* was not placed: no placement found within 200000 steps/,
      );
      expect(issue.message).toMatch(/short of memory on/);
    }
  });

  it("with the default bound, a pathological instance stops within the stated time (10 s here; under 1 s alone)", () => {
    const { machines, instances } = partitionTrap();
    const start = performance.now();
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false }));
    const seconds = (performance.now() - start) / 1000;
    expect(error.code).toBe("PLACEMENT_SEARCH_LIMIT");
    expect(error.message).toContain(`within ${DEFAULT_PLACEMENT_SEARCH_STEPS} steps`);
    expect(seconds).toBeLessThan(10);
  });

  it("proves a realistic fleet impossible instead of running into the bound (one of each kind per machine)", () => {
    // 30 machines, 90 instances (mastodon, pixelfed, peertube at their defaults): one instance of each kind on every
    // machine is the only way, and the 12 GiB machines cannot hold 4 + 4 + 5 GiB.
    const machines = Array.from({ length: 30 }, (_, i) =>
      host(`web${String(i).padStart(2, "0")}`, [12288, 24576, 32768][i % 3]!, 16, 500),
    );
    const needs = { mastodon: [4096, 2, 20], pixelfed: [4096, 2, 20], peertube: [5120, 2, 30] } as const;
    const instances = Array.from({ length: 90 }, (_, i) => {
      const kind = (["mastodon", "pixelfed", "peertube"] as const)[i % 3]!;
      const [memoryMiB, cpus, diskGiB] = needs[kind];
      return instance(`${kind}${i}`, kind, memoryMiB, cpus, diskGiB);
    });
    const error = thrown(() => placeInstances(machines, instances, { allowMoves: false, searchSteps: 100_000 }));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(error.issues.length).toBeGreaterThan(0);
    expect(error.issues[0]!.message).toContain("no arrangement of the 90 instances to place fits them all");
  });

  it("does not cut a search that a plain machine can finish: the bound is far above realistic sizes", () => {
    // 1,000 machines, 3,000 instances that the fast path cannot place (see bench/placement.bench.ts).
    const machines: PlacementMachine[] = [];
    const instances: PlacementInstance[] = [];
    for (let p = 0; p < 500; p++) {
      machines.push(host(`big${p}`, 11264, 16, 500), host(`small${p}`, 8192, 16, 500));
      for (const [kind, memoryMiB] of [
        ["peertube", 6144],
        ["peertube", 1024],
        ["mastodon", 5120],
        ["mastodon", 1024],
        ["pixelfed", 5120],
        ["pixelfed", 1024],
      ] as const)
        instances.push(instance(`${kind}-${memoryMiB}-${p}`, kind, memoryMiB, 2, 20));
    }
    expect(fastPathLeavesOut(machines, instances).length).toBeGreaterThan(0);
    const result = placeInstances(machines, instances, { allowMoves: false });
    expectValid(machines, instances, result.machineOf);
  });
});
