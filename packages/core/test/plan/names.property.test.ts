// Names that are also properties of every JavaScript object (`constructor`, `toString`, `__proto__`, ...) are names
// like any other: the diff and the plan look them up as own entries only. Property tests over generated name sets.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  type DeploymentState,
  diffAgainstState,
  type Plan,
  type PlannedInstance,
  type PlannedMachine,
  stateFromPlan,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

/** Every own property name of Object.prototype, and the lowercase forms a spec name may take. */
const PROTOTYPE_NAMES = [
  ...Object.getOwnPropertyNames(Object.prototype),
  "constructor",
  "valueof",
  "tostring",
  "hasownproperty",
  "isprototypeof",
  "propertyisenumerable",
  "tolocalestring",
  "proto",
];
const anyName = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ minLength: 1, maxLength: 12 }));

function instance(name: string, machineName: string, fingerprint: string): PlannedInstance {
  return {
    name,
    kind: "worker",
    specIndex: 0,
    machine: machineName,
    options: {},
    requirements: { cpus: 0, memoryMiB: 0, diskGiB: 0 },
    domains: [],
    buckets: [],
    secrets: [],
    checks: [],
    fingerprint,
    placement: "placed",
  };
}

function planOf(instances: PlannedInstance[], machines: Array<[string, string]>): Plan {
  return {
    instances,
    machines: machines.map(([name, configHash]) => ({ name, configHash }) as PlannedMachine),
  } as Plan;
}

function stateOf(instances: Array<[string, string, string]>, machines: Array<[string, string]>): DeploymentState {
  // Through JSON, as the state file is read: `__proto__` stays an own key there.
  const text = JSON.stringify({
    schemaVersion: 1,
    deployment: "d",
    appliedAt: "2026-01-01T00:00:00.000Z",
    instances: Object.fromEntries(
      instances.map(([name, m, fingerprint]) => [
        name,
        { kind: "worker", machine: m, fingerprint, buckets: [], secrets: [] },
      ]),
    ),
    machines: Object.fromEntries(machines.map(([name, configHash]) => [name, { configHash }])),
    leftovers: [],
  });
  return JSON.parse(text) as DeploymentState;
}

const sorted = (xs: Iterable<string>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe("diffAgainstState with any names", () => {
  it("adds, removes, changes and moves exactly the right instances and machines", () => {
    const entry = fc.record({ machine: fc.constantFrom("m1", "m2"), fingerprint: fc.constantFrom("f1", "f2") });
    const side = fc.dictionary(anyName, entry, { maxKeys: 8 });
    fc.assert(
      fc.property(
        side,
        side,
        fc.uniqueArray(anyName, { maxLength: 5 }),
        fc.uniqueArray(anyName, { maxLength: 5 }),
        (before, after, machinesBefore, machinesAfter) => {
          const prev = [...Object.entries(before)].map(
            ([n, e]) => [n, e.machine, e.fingerprint] as [string, string, string],
          );
          const next = [...Object.entries(after)].map(([n, e]) => instance(n, e.machine, e.fingerprint));
          const state = stateOf(
            prev,
            machinesBefore.map((m) => [m, "h1"]),
          );
          const diff = diffAgainstState(
            planOf(
              next,
              machinesAfter.map((m) => [m, "h1"]),
            ),
            state,
          );
          const was = new Map(prev.map(([n, m, f]) => [n, { m, f }]));
          const now = new Map(next.map((i) => [i.name, i]));
          expect(sorted(diff.added)).toEqual(sorted([...now.keys()].filter((n) => !was.has(n))));
          expect(sorted(diff.removed.map((r) => r.instance))).toEqual(
            sorted([...was.keys()].filter((n) => !now.has(n))),
          );
          expect(sorted(diff.changed)).toEqual(
            sorted(
              next
                .filter((i) => was.get(i.name)?.m === i.machine && was.get(i.name)?.f !== i.fingerprint)
                .map((i) => i.name),
            ),
          );
          for (const move of diff.moved) {
            expect(typeof move.from).toBe("string");
            expect(was.get(move.instance)?.m).toBe(move.from);
            expect(move.from).not.toBe(move.to);
          }
          expect(sorted(diff.moved.map((m) => m.instance))).toEqual(
            sorted(next.filter((i) => was.has(i.name) && was.get(i.name)!.m !== i.machine).map((i) => i.name)),
          );
          for (const r of diff.removed) expect(r.machine).toBe(was.get(r.instance)!.m);
          const mBefore = new Set(machinesBefore);
          expect(sorted(diff.machinesAdded)).toEqual(sorted(machinesAfter.filter((m) => !mBefore.has(m))));
          expect(sorted(diff.machinesChanged)).toEqual(sorted(machinesAfter.filter((m) => !mBefore.has(m))));
          expect(sorted(diff.machinesRemoved)).toEqual(
            sorted(machinesBefore.filter((m) => !machinesAfter.includes(m))),
          );
          // Without any change the plan is up to date.
          const same = diffAgainstState(
            planOf(
              prev.map(([n, m, f]) => instance(n, m, f)),
              machinesBefore.map((m) => [m, "h1"]),
            ),
            state,
          );
          expect(same.upToDate).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("names a prototype name as new on an empty state, never as a move from undefined", () => {
    for (const name of PROTOTYPE_NAMES) {
      const diff = diffAgainstState(planOf([instance(name, "m1", "f")], [[name, "h"]]), stateOf([], []));
      expect(diff.added).toEqual([name]);
      expect(diff.moved).toEqual([]);
      expect(diff.changed).toEqual([]);
      expect(diff.machinesAdded).toEqual([name]);
    }
  });
});

// Names a spec accepts: instance names are lowercase DNS-like labels, zones also allow capitals, '_' and '.'.
const specName = fc.oneof(
  fc.constantFrom("constructor", "valueof", "tostring", "hasownproperty", "isprototypeof", "proto"),
  fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/),
);
const zoneName = fc.constantFrom(
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "__defineGetter__",
  "zone-a",
);

const registry = createRegistry(testPlugins);

function spec(machines: string[], zones: string[], instances: string[]) {
  return {
    name: "names",
    acme: { email: "ops@example.org" },
    machines: machines.map((m, i) =>
      machine(m, `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, {
        zone: zones[i % zones.length],
        resources: { cpus: 64, memoryMiB: 262144, diskGiB: 2000 },
      }),
    ),
    // Not separate: every machine may run a worker, the storage node too.
    storage: { kind: "toystore", options: { separate: false } },
    services: instances.map((name) => ({ name, kind: "worker", options: { memoryMiB: 256 } })),
  };
}

describe("createPlan with prototype names for machines, zones and instances", () => {
  it("plans, records and re-plans them like any other name", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(specName, { minLength: 1, maxLength: 4 }),
        fc.array(zoneName, { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(specName, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (machines, zones, instances, drop) => {
          // A worker instance per machine at most (one instance of a kind per machine).
          const names = instances.slice(0, machines.length);
          const first = createPlanFromUnknown({ spec: spec(machines, zones, names), registry });
          expect(sorted(first.diff.added)).toEqual(sorted(names));
          expect(first.diff.moved).toEqual([]);
          expect(first.diff.removed).toEqual([]);
          expect(sorted(first.diff.machinesAdded)).toEqual(sorted(machines));
          for (const node of first.storage.nodes) expect(typeof node.zone).toBe("string");
          for (const i of first.instances) expect(machines).toContain(i.machine);
          // The plan is plain JSON data.
          expect(JSON.parse(JSON.stringify(first))).toEqual(first);

          const state = JSON.parse(
            JSON.stringify(stateFromPlan(first, undefined, new Date("2026-01-01T00:00:00Z"))),
          ) as DeploymentState;
          const again = createPlanFromUnknown({ spec: spec(machines, zones, names), registry, state });
          expect(again.diff.upToDate).toBe(true);
          expect(again.instances.map((i) => i.placement)).toEqual(again.instances.map(() => "kept"));

          const gone = names[drop % names.length]!;
          const fewer = createPlanFromUnknown({
            spec: spec(
              machines,
              zones,
              names.filter((n) => n !== gone),
            ),
            registry,
            state,
          });
          expect(fewer.diff.removed.map((r) => r.instance)).toEqual([gone]);
          expect(fewer.diff.removed[0]!.machine).toBe(first.instances.find((i) => i.name === gone)!.machine);
          expect(fewer.diff.added).toEqual([]);
          expect(fewer.diff.moved).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
