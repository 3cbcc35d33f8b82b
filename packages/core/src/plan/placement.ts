import { FediError, type FediIssue } from "../errors.js";
import type { ResourceAmount } from "./types.js";

/** A machine as the placement algorithm sees it. */
export interface PlacementMachine {
  /** Name. */
  name: string;
  /** Capacity left for service instances (after reserve and storage). */
  free: ResourceAmount;
  /** May host service instances. */
  hostsServices: boolean;
  /** Why it may not host services, when it may not. */
  excludedBecause?: string;
}

/** An instance to place. */
export interface PlacementInstance {
  /** Name. */
  name: string;
  /** Kind (at most one instance of a kind per machine). */
  kind: string;
  /** Path of the instance in the spec, e.g. `services[2]`. */
  path: string;
  /** What it needs. */
  needs: ResourceAmount;
  /** Pinned machine. */
  pin?: string;
  /** Previous machine (from state). */
  previous?: string;
}

/** Where each instance goes and why. */
export interface PlacementResult {
  /** Machine per instance. */
  machineOf: Map<string, string>;
  /** How each instance was placed. */
  how: Map<string, "pinned" | "kept" | "placed" | "moved">;
  /** Moves, with reasons. */
  moves: Map<string, { from: string; reason: string }>;
}

/**
 * Places instances on machines. Deterministic; respects capacities, pins, roles and one instance of a kind per
 * machine. Sticky: an instance with a previous machine stays there unless that is impossible; then it moves only when
 * `allowMoves` is set (else `PLACEMENT_MOVE_REQUIRED`). New instances go, largest first, to the feasible machine
 * with the most free memory (ties: most free CPU, then name), which spreads load across a fleet.
 */
export function placeInstances(
  machines: readonly PlacementMachine[],
  instances: readonly PlacementInstance[],
  options: { allowMoves: boolean },
): PlacementResult {
  const state = new Map(machines.map((m) => [m.name, { ...m, free: { ...m.free }, kinds: new Set<string>() }]));
  const machineOf = new Map<string, string>();
  const how = new Map<string, "pinned" | "kept" | "placed" | "moved">();
  const moves = new Map<string, { from: string; reason: string }>();
  const issues: FediIssue[] = [];

  const fitProblem = (inst: PlacementInstance, name: string): string | undefined => {
    const m = state.get(name);
    if (!m) return `machine '${name}' is not in the spec`;
    if (!m.hostsServices)
      return `machine '${name}' does not host services (${m.excludedBecause ?? "its roles exclude it"})`;
    if (m.kinds.has(inst.kind))
      return `machine '${name}' already runs a ${inst.kind} instance (nixpkgs allows one per machine)`;
    const short = shortOf(m.free, inst.needs);
    return short ? `machine '${name}' is short of ${short}` : undefined;
  };
  const take = (inst: PlacementInstance, name: string) => {
    const m = state.get(name)!;
    m.free.cpus -= inst.needs.cpus;
    m.free.memoryMiB -= inst.needs.memoryMiB;
    m.free.diskGiB -= inst.needs.diskGiB;
    m.kinds.add(inst.kind);
    machineOf.set(inst.name, name);
  };

  const byName = [...instances].sort((a, b) => cmp(a.name, b.name));
  // 1. pins
  for (const inst of byName.filter((i) => i.pin !== undefined)) {
    const problem = fitProblem(inst, inst.pin!);
    if (problem) {
      issues.push({
        path: `${inst.path}.machine`,
        message: `cannot run '${inst.name}' on the pinned machine: ${problem}`,
      });
      continue;
    }
    take(inst, inst.pin!);
    how.set(inst.name, inst.previous && inst.previous !== inst.pin ? "moved" : "pinned");
    if (inst.previous && inst.previous !== inst.pin)
      moves.set(inst.name, { from: inst.previous, reason: `pinned to '${inst.pin}'` });
  }
  // 2. sticky
  const unplaced: PlacementInstance[] = [];
  for (const inst of byName.filter((i) => i.pin === undefined)) {
    if (inst.previous === undefined) {
      unplaced.push(inst);
      continue;
    }
    const problem = fitProblem(inst, inst.previous);
    if (!problem) {
      take(inst, inst.previous);
      how.set(inst.name, "kept");
    } else if (options.allowMoves) {
      moves.set(inst.name, { from: inst.previous, reason: problem });
      unplaced.push(inst);
    } else {
      issues.push({
        path: inst.path,
        message: `'${inst.name}' must move off '${inst.previous}': ${problem}`,
        code: "PLACEMENT_MOVE_REQUIRED",
      });
    }
  }
  if (issues.some((i) => i.code === "PLACEMENT_MOVE_REQUIRED") && !issues.some((i) => i.code === undefined)) {
    throw new FediError("PLACEMENT_MOVE_REQUIRED", "Some instances can no longer stay where they run.", {
      issues,
      hint: "Moving a service moves its database and files. Free the machine, pin the instance, or re-plan with moves allowed (`--allow-moves`) and migrate its data.",
    });
  }
  // 3. new instances, largest first, each to the feasible machine that ranks first (see `ranksBefore`). One heap per
  // kind holds the machines without that kind; entries go stale when a machine's free resources change and are
  // skipped (lazy deletion), so placing n instances on m machines costs O((n + m) log m) rather than O(n * m).
  unplaced.sort((a, b) => b.needs.memoryMiB - a.needs.memoryMiB || b.needs.cpus - a.needs.cpus || cmp(a.name, b.name));
  const all = [...state.values()];
  const version = new Map(all.map((m) => [m.name, 0]));
  const heaps = new Map<string, Heap<{ m: (typeof all)[number]; v: number; free: ResourceAmount }>>();
  const heapOf = (kind: string) => {
    let heap = heaps.get(kind);
    if (!heap) {
      heap = new Heap((a, b) => ranksBefore(a.free, a.m.name, b.free, b.m.name));
      for (const m of all)
        if (m.hostsServices && !m.kinds.has(kind)) heap.push({ m, v: version.get(m.name)!, free: { ...m.free } });
      heaps.set(kind, heap);
    }
    return heap;
  };
  for (const inst of unplaced) {
    const heap = heapOf(inst.kind);
    const skipped: Array<{ m: (typeof all)[number]; v: number; free: ResourceAmount }> = [];
    let best: (typeof all)[number] | undefined;
    while (heap.size > 0) {
      const top = heap.pop()!;
      if (top.v !== version.get(top.m.name) || top.m.kinds.has(inst.kind)) continue; // stale
      if (top.m.free.memoryMiB < inst.needs.memoryMiB) {
        skipped.push(top); // nothing below it has more memory
        break;
      }
      if (shortOf(top.m.free, inst.needs)) {
        skipped.push(top);
        continue;
      }
      best = top.m;
      break;
    }
    for (const entry of skipped) heap.push(entry);
    if (!best) {
      issues.push({ path: inst.path, message: impossibleMessage(inst, all) });
      continue;
    }
    take(inst, best.name);
    const v = version.get(best.name)! + 1;
    version.set(best.name, v);
    for (const [kind, other] of heaps) {
      if (!best.kinds.has(kind)) other.push({ m: best, v, free: { ...best.free } });
    }
    how.set(inst.name, moves.has(inst.name) ? "moved" : "placed");
  }
  if (issues.length > 0) {
    throw new FediError("PLACEMENT_IMPOSSIBLE", `${issues.length} instance(s) cannot be placed.`, {
      issues,
      hint: "Add machines or capacity, lower the instance's requirements, or change its pin.",
    });
  }
  return { machineOf, how, moves };
}

function shortOf(free: ResourceAmount, needs: ResourceAmount): string | undefined {
  const short: string[] = [];
  if (needs.memoryMiB > free.memoryMiB) short.push(`memory (needs ${needs.memoryMiB} MiB, ${free.memoryMiB} MiB free)`);
  if (needs.cpus > free.cpus) short.push(`CPU (needs ${needs.cpus}, ${round(free.cpus)} free)`);
  if (needs.diskGiB > free.diskGiB) short.push(`disk (needs ${needs.diskGiB} GiB, ${round(free.diskGiB)} GiB free)`);
  return short.length ? short.join(", ") : undefined;
}

function impossibleMessage(
  inst: PlacementInstance,
  machines: Array<PlacementMachine & { kinds: Set<string> }>,
): string {
  const hosts = machines.filter((m) => m.hostsServices);
  if (hosts.length === 0) return `no machine may host services (check the machines' roles and the storage separation)`;
  const candidates = [...hosts]
    .filter((m) => !m.kinds.has(inst.kind))
    .sort((a, b) => b.free.memoryMiB - a.free.memoryMiB || cmp(a.name, b.name))
    .slice(0, 3);
  if (candidates.length === 0) return `every service machine already runs a ${inst.kind} instance (one per machine)`;
  const best = candidates.map((m) => `${m.name} (${shortOf(m.free, inst.needs) ?? "fits"})`).join("; ");
  return `needs ${inst.needs.cpus} CPU, ${inst.needs.memoryMiB} MiB memory, ${inst.needs.diskGiB} GiB disk; best candidates: ${best}`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Code-point string comparison (locale-independent, so plans are identical on every machine). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether machine a (with `fa` free) ranks before b: more free memory, then more free CPU, then name. */
function ranksBefore(fa: ResourceAmount, a: string, fb: ResourceAmount, b: string): boolean {
  if (fa.memoryMiB !== fb.memoryMiB) return fa.memoryMiB > fb.memoryMiB;
  if (fa.cpus !== fb.cpus) return fa.cpus > fb.cpus;
  return a < b;
}

/** A binary heap; `before(a, b)` says whether a comes out first. */
class Heap<T> {
  readonly #items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const items = this.#items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.before(items[l]!, items[m]!)) m = l;
        if (r < items.length && this.before(items[r]!, items[m]!)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top;
  }
}
