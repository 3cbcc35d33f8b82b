import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasErrorCode, type PlacementInstance, type PlacementMachine, placeInstances } from "../../src/index.js";

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
  it("every placement satisfies all constraints, or the failure is PLACEMENT_IMPOSSIBLE", () => {
    fc.assert(
      fc.property(
        fc.array(machineArb, { minLength: 1, maxLength: 12 }),
        fc.array(instanceArb, { maxLength: 20 }),
        (ms, is) => {
          const { machines, instances } = build(ms, is);
          try {
            const result = placeInstances(machines, instances, { allowMoves: false });
            check(machines, instances, result.machineOf);
          } catch (error) {
            expect(hasErrorCode(error, "PLACEMENT_IMPOSSIBLE")).toBe(true);
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
              expect(hasErrorCode(error, "PLACEMENT_IMPOSSIBLE")).toBe(true);
              expect((error as any).issues.map((i: any) => i.path)).toEqual([`services[${is.length}]`]);
              return undefined;
            }
          })();
          if (next) for (const [name, m] of first) expect(next.get(name)).toBe(m);
        },
      ),
      { numRuns: 300 },
    );
  });
});
