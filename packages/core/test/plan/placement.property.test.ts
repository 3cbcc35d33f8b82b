import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasErrorCode, type PlacementInstance, type PlacementMachine, placeInstances } from "../../src/index.js";
import { type MachineState, placeGreedily } from "../../src/plan/placement/greedy.js";

const kinds = ["mastodon", "pixelfed", "peertube"];

const machineArb = fc.record({
  cpus: fc.integer({ min: 1, max: 16 }),
  memoryMiB: fc.integer({ min: 512, max: 32768 }),
  diskGiB: fc.integer({ min: 10, max: 500 }),
  hostsServices: fc.boolean(),
});
const instanceArb = fc.record({
  kind: fc.constantFrom(...kinds),
  cpus: fc.integer({ min: 1, max: 4 }),
  memoryMiB: fc.integer({ min: 256, max: 8192 }),
  diskGiB: fc.integer({ min: 1, max: 50 }),
  pinIndex: fc.option(fc.nat(), { freq: 5 }),
});

type MachineSample = { cpus: number; memoryMiB: number; diskGiB: number; hostsServices: boolean };
type InstanceSample = { kind: string; cpus: number; memoryMiB: number; diskGiB: number; pinIndex: number | null };

function build(ms: MachineSample[], is: InstanceSample[]) {
  const machines: PlacementMachine[] = ms.map((m, i) => ({
    name: `m${String(i).padStart(3, "0")}`,
    free: { cpus: m.cpus, memoryMiB: m.memoryMiB, diskGiB: m.diskGiB },
    hostsServices: m.hostsServices,
  }));
  const instances: PlacementInstance[] = is.map((x, i) => ({
    name: `i${String(i).padStart(3, "0")}`,
    kind: x.kind,
    path: `services[${i}]`,
    needs: { cpus: x.cpus, memoryMiB: x.memoryMiB, diskGiB: x.diskGiB },
    ...(x.pinIndex !== null ? { pin: machines[x.pinIndex % machines.length]!.name } : {}),
  }));
  return { machines, instances };
}

/**
 * The brute-force oracle: whether some assignment of the unpinned instances to machines that may host services fits
 * (capacity, one instance per kind per machine), pins fixed. Plain depth-first enumeration of every machine for every
 * instance; the only cut is an instance that does not fit where it is tried.
 */
function oracleFinds(machines: PlacementMachine[], instances: PlacementInstance[]): boolean {
  const free = new Map(machines.map((m) => [m.name, { ...m.free }]));
  const kinds = new Map(machines.map((m) => [m.name, new Set<string>()]));
  const hosts = machines.filter((m) => m.hostsServices).map((m) => m.name);
  const fitsOn = (i: PlacementInstance, name: string) => {
    const f = free.get(name)!;
    return (
      !kinds.get(name)!.has(i.kind) &&
      i.needs.cpus <= f.cpus &&
      i.needs.memoryMiB <= f.memoryMiB &&
      i.needs.diskGiB <= f.diskGiB
    );
  };
  const put = (i: PlacementInstance, name: string, sign: 1 | -1) => {
    const f = free.get(name)!;
    f.cpus -= sign * i.needs.cpus;
    f.memoryMiB -= sign * i.needs.memoryMiB;
    f.diskGiB -= sign * i.needs.diskGiB;
    if (sign === 1) kinds.get(name)!.add(i.kind);
    else kinds.get(name)!.delete(i.kind);
  };
  for (const i of instances.filter((x) => x.pin !== undefined)) {
    if (!hosts.includes(i.pin!) || !fitsOn(i, i.pin!)) return false;
    put(i, i.pin!, 1);
  }
  const free_ = instances.filter((x) => x.pin === undefined);
  const go = (d: number): boolean => {
    if (d === free_.length) return true;
    const i = free_[d]!;
    for (const name of hosts) {
      if (!fitsOn(i, name)) continue;
      put(i, name, 1);
      if (go(d + 1)) return true;
      put(i, name, -1);
    }
    return false;
  };
  return go(0);
}

/** Whether the fast path alone leaves an instance out (pins placed first, as placeInstances does). */
function fastPathFails(machines: PlacementMachine[], instances: PlacementInstance[]): boolean {
  const states: MachineState[] = machines.map((m) => ({ ...m, free: { ...m.free }, kinds: new Set<string>() }));
  for (const i of instances.filter((x) => x.pin !== undefined)) {
    const m = states.find((s) => s.name === i.pin)!;
    m.free.cpus -= i.needs.cpus;
    m.free.memoryMiB -= i.needs.memoryMiB;
    m.free.diskGiB -= i.needs.diskGiB;
    m.kinds.add(i.kind);
  }
  return (
    placeGreedily(
      states,
      instances.filter((x) => x.pin === undefined),
    ).failed.length > 0
  );
}

// Small, tight fleets: few machines, sizes in coarse steps, so that the fast path often fails and placements are
// often just possible.
const tightMachineArb = fc.record({
  cpus: fc.integer({ min: 2, max: 16 }),
  memoryMiB: fc.integer({ min: 4, max: 16 }).map((g) => g * 1024),
  diskGiB: fc.integer({ min: 10, max: 100 }),
  hostsServices: fc.integer({ min: 0, max: 5 }).map((n) => n > 0), // one machine in six may not host services
});
const tightInstanceArb = fc.record({
  kind: fc.constantFrom(...kinds, "gotosocial"),
  cpus: fc.integer({ min: 1, max: 4 }),
  memoryMiB: fc.constantFrom(1, 2, 3, 4, 5, 6, 8).map((g) => g * 1024),
  diskGiB: fc.integer({ min: 1, max: 30 }),
  pinIndex: fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: fc.nat(), weight: 1 }), // one in ten pinned
});

function check(machines: PlacementMachine[], instances: PlacementInstance[], machineOf: Map<string, string>) {
  expect(machineOf.size).toBe(instances.length);
  for (const m of machines) {
    const here = instances.filter((i) => machineOf.get(i.name) === m.name);
    if (here.length > 0) expect(m.hostsServices).toBe(true);
    expect(here.reduce((s, i) => s + i.needs.cpus, 0)).toBeLessThanOrEqual(m.free.cpus);
    expect(here.reduce((s, i) => s + i.needs.memoryMiB, 0)).toBeLessThanOrEqual(m.free.memoryMiB);
    expect(here.reduce((s, i) => s + i.needs.diskGiB, 0)).toBeLessThanOrEqual(m.free.diskGiB);
    expect(new Set(here.map((i) => i.kind)).size).toBe(here.length); // one per kind
  }
  for (const i of instances) if (i.pin) expect(machineOf.get(i.name)).toBe(i.pin);
}

describe("placement properties", () => {
  it("every placement satisfies all constraints, or the failure is PLACEMENT_IMPOSSIBLE or the bound", () => {
    fc.assert(
      fc.property(
        fc.array(machineArb, { minLength: 1, maxLength: 12 }),
        fc.array(instanceArb, { maxLength: 20 }),
        (ms, is) => {
          const { machines, instances } = build(ms, is);
          try {
            const result = placeInstances(machines, instances, { allowMoves: false, searchSteps: 2_000_000 });
            check(machines, instances, result.machineOf);
          } catch (error) {
            // on fleets this size a hard case may reach the (lowered) bound: then it must say so
            expect(hasErrorCode(error, "PLACEMENT_IMPOSSIBLE") || hasErrorCode(error, "PLACEMENT_SEARCH_LIMIT")).toBe(
              true,
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("identical inputs give identical placements", () => {
    fc.assert(
      fc.property(
        fc.array(machineArb, { minLength: 1, maxLength: 10 }),
        fc.array(instanceArb, { maxLength: 15 }),
        (ms, is) => {
          const { machines, instances } = build(ms, is);
          const run = () => {
            try {
              return [...placeInstances(machines, instances, { allowMoves: false }).machineOf];
            } catch (error) {
              return (error as Error).message;
            }
          };
          expect(run()).toEqual(run());
        },
      ),
      { numRuns: 300 },
    );
  });

  it("adding an unrelated machine or service moves nothing that was placed before", () => {
    fc.assert(
      fc.property(
        fc.array(machineArb, { minLength: 1, maxLength: 10 }),
        fc.array(instanceArb, { maxLength: 15 }),
        machineArb,
        instanceArb,
        (ms, is, extraMachine, extraInstance) => {
          const { machines, instances } = build(ms, is);
          let first: Map<string, string>;
          try {
            first = placeInstances(machines, instances, { allowMoves: false }).machineOf;
          } catch {
            return; // nothing placed, nothing to keep
          }
          const sticky = instances.map((i) => ({ ...i, previous: first.get(i.name)! }));
          const more = build([...ms, extraMachine], [...is, { ...extraInstance, pinIndex: null }]);
          const next = (() => {
            try {
              return placeInstances(more.machines, [...sticky, more.instances.at(-1)!], { allowMoves: false })
                .machineOf;
            } catch (error) {
              // only the new instance may fail to fit; nothing that ran before is forced to move
              const all = [...sticky, more.instances.at(-1)!];
              const paths: string[] = (error as any).issues.map((i: any) => i.path);
              expect(paths).toContain(`services[${is.length}]`);
              if (hasErrorCode(error, "PLACEMENT_MOVE_REQUIRED")) {
                // it would fit if running instances moved: the other issues suggest those moves, and they are real
                for (const p of paths.filter((x) => x !== `services[${is.length}]`)) expect(p).toMatch(/\.machine$/);
                const kept = all.map(({ previous, ...i }) => (previous ? { ...i, pin: i.pin ?? previous } : i));
                expect(oracleFinds(more.machines, kept)).toBe(false);
                expect(
                  oracleFinds(
                    more.machines,
                    all.map(({ previous: _, ...i }) => i),
                  ),
                ).toBe(true);
              } else {
                expect(hasErrorCode(error, "PLACEMENT_IMPOSSIBLE")).toBe(true);
                expect(paths).toEqual([`services[${is.length}]`]);
              }
              return undefined;
            }
          })();
          if (next) for (const [name, m] of first) expect(next.get(name)).toBe(m);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("agrees with a brute-force oracle: a placement whenever one exists, 'impossible' only when none does", () => {
    let rescued = 0;
    let impossible = 0;
    fc.assert(
      fc.property(
        fc.array(tightMachineArb, { minLength: 2, maxLength: 4 }),
        fc.array(tightInstanceArb, { minLength: 3, maxLength: 7 }),
        (ms, is) => {
          const { machines, instances } = build(ms, is);
          const exists = oracleFinds(machines, instances);
          try {
            const result = placeInstances(machines, instances, { allowMoves: false });
            check(machines, instances, result.machineOf);
            expect(exists).toBe(true);
            if (fastPathFails(machines, instances)) rescued++;
          } catch (error) {
            // never the bound on instances this small, never a wrong "impossible"
            expect(hasErrorCode(error, "PLACEMENT_IMPOSSIBLE")).toBe(true);
            expect(exists).toBe(false);
            impossible++;
          }
        },
      ),
      { numRuns: 2000 },
    );
    // the runs did exercise both the exact search's rescues and proven impossibility
    expect(rescued).toBeGreaterThan(20);
    expect(impossible).toBeGreaterThan(20);
  });

  it("every error issue names an instance by its spec path and name", () => {
    fc.assert(
      fc.property(
        fc.array(tightMachineArb, { minLength: 1, maxLength: 4 }),
        fc.array(tightInstanceArb, { minLength: 1, maxLength: 7 }),
        (ms, is) => {
          const { machines, instances } = build(ms, is);
          try {
            placeInstances(machines, instances, { allowMoves: false });
          } catch (error) {
            const issues = (error as { issues: { path: string; message: string }[] }).issues;
            expect(issues.length).toBeGreaterThan(0);
            for (const issue of issues) {
              const index = Number(/^services\[(\d+)\]/.exec(issue.path)![1]);
              expect(issue.message).toContain(`'${instances[index]!.name}'`);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
