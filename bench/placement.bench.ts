/**
 * Placement on a large realistic deployment: 1,000 service machines and 3,000 instances (Mastodon, Pixelfed and
 * PeerTube at the plugins' default needs). Four cases: the fast path places everything (the usual case, which must
 * stay fast); the same fleet with machines too small, which the search proves impossible; a fleet the fast path
 * cannot place and the exact search can; and a pathological instance (a number partition with no solution) where the
 * search runs into its default bound.
 *
 * Figures (one shared core of a 2-core machine, Node 20, best of 5):
 *
 *     realistic: the fast path places all                     1000 machines  3000 instances    9 ms  placed 3000
 *     realistic, small machines too small: proven impossible  1000           3000            194 ms  PLACEMENT_IMPOSSIBLE
 *     the fast path fails, the exact search places all        1000           3000            198 ms  placed 3000
 *     pathological: the search stops at its bound                2             40            483 ms  PLACEMENT_SEARCH_LIMIT
 */
import {
  DEFAULT_PLACEMENT_SEARCH_STEPS,
  type PlacementInstance,
  type PlacementMachine,
  placeInstances,
} from "../packages/core/src/index.js";

const RUNS = 5;

// The plugins' default resources (packages/service-*/src/options.ts).
const DEFAULTS = {
  mastodon: { cpus: 2, memoryMiB: 4096, diskGiB: 20 },
  pixelfed: { cpus: 2, memoryMiB: 4096, diskGiB: 20 },
  peertube: { cpus: 2, memoryMiB: 5120, diskGiB: 30 },
} as const;

/**
 * 1,000 machines of three hardware sizes, 3,000 instances at default needs (one of each kind per machine, since a
 * machine runs at most one of a kind): the fast path places them all. With `smallMemoryMiB` = 12 GiB the small
 * machines cannot hold all three kinds (13 GiB), so there is no placement at all.
 */
function realistic(smallMemoryMiB = 16384): { machines: PlacementMachine[]; instances: PlacementInstance[] } {
  const machines: PlacementMachine[] = [];
  const sizes = [
    { cpus: 8, memoryMiB: smallMemoryMiB, diskGiB: 200 },
    { cpus: 16, memoryMiB: 24576, diskGiB: 500 },
    { cpus: 32, memoryMiB: 32768, diskGiB: 1000 },
  ];
  for (let i = 0; i < 1000; i++)
    machines.push({ name: `web${String(i).padStart(4, "0")}`, free: { ...sizes[i % 3]! }, hostsServices: true });
  const instances: PlacementInstance[] = [];
  const kinds = Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>;
  for (let i = 0; i < 3000; i++) {
    const kind = kinds[i % 3]!;
    instances.push({ name: `${kind}${i}`, kind, path: `services[${i}]`, needs: { ...DEFAULTS[kind] } });
  }
  return { machines, instances };
}

/**
 * 1,000 machines in pairs (11 GiB and 8 GiB free), six instances per pair (6, 5, 5, 1, 1, 1 GiB, two of each kind):
 * the only placements fill both machines exactly, and largest-first-to-most-free strands the 1 GiB instances.
 */
function fastPathFails(): { machines: PlacementMachine[]; instances: PlacementInstance[] } {
  const machines: PlacementMachine[] = [];
  const instances: PlacementInstance[] = [];
  const shape = [
    ["peertube", 6144],
    ["peertube", 1024],
    ["mastodon", 5120],
    ["mastodon", 1024],
    ["pixelfed", 5120],
    ["pixelfed", 1024],
  ] as const;
  for (let p = 0; p < 500; p++) {
    machines.push(
      { name: `big${p}`, free: { cpus: 16, memoryMiB: 11264, diskGiB: 500 }, hostsServices: true },
      { name: `small${p}`, free: { cpus: 16, memoryMiB: 8192, diskGiB: 500 }, hostsServices: true },
    );
    for (const [kind, memoryMiB] of shape) {
      const i = instances.length;
      instances.push({
        name: `${kind}-${memoryMiB}-${p}`,
        kind,
        path: `services[${i}]`,
        needs: { cpus: 2, memoryMiB, diskGiB: 20 },
      });
    }
  }
  return { machines, instances };
}

/** Two machines, 40 instances of distinct kinds with even sizes summing to both machines' odd capacities. */
function pathological(): { machines: PlacementMachine[]; instances: PlacementInstance[] } {
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
    machines: ["a", "b"].map((name) => ({
      name,
      free: { cpus: 1000, memoryMiB: half, diskGiB: 1000 },
      hostsServices: true,
    })),
    instances: sizes.map((s, i) => ({
      name: `i${i}`,
      kind: `k${i}`,
      path: `services[${i}]`,
      needs: { cpus: 1, memoryMiB: s, diskGiB: 1 },
    })),
  };
}

function time(run: () => string, runs: number): { ms: number; outcome: string } {
  let best = Number.POSITIVE_INFINITY;
  let outcome = "";
  for (let i = 0; i < runs; i++) {
    globalThis.gc?.();
    const start = process.hrtime.bigint();
    outcome = run();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { ms: best, outcome };
}

function place({ machines, instances }: ReturnType<typeof realistic>): string {
  try {
    const result = placeInstances(machines, instances, { allowMoves: false });
    return `placed ${result.machineOf.size}`;
  } catch (error) {
    const e = error as { code: string; details?: { steps?: number } };
    return `${e.code}${e.details?.steps ? ` after ${e.details.steps} steps` : ""}`;
  }
}

/** Prints the four cases' times (best of five runs; the pathological one once). */
export default async function placementBench(): Promise<void> {
  console.log("placement (best of runs; the pathological case once)");
  console.log("case                                                   machines  instances       time  outcome");
  const cases = [
    ["realistic: the fast path places all", realistic(), RUNS],
    ["realistic, small machines too small: proven impossible", realistic(12288), RUNS],
    ["the fast path fails, the exact search places all", fastPathFails(), RUNS],
    [`pathological: the search stops at its bound (${DEFAULT_PLACEMENT_SEARCH_STEPS})`, pathological(), 1],
  ] as const;
  for (const [label, input, runs] of cases) {
    const { ms, outcome } = time(() => place(input), runs);
    console.log(
      `${label.padEnd(54)} ${String(input.machines.length).padStart(8)}  ${String(input.instances.length).padStart(9)}  ${ms.toFixed(1).padStart(7)} ms  ${outcome}`,
    );
  }
}
