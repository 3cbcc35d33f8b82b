/**
 * The fast path of placement: largest instance first, each to the feasible machine that ranks first (most free
 * memory, then most free CPU, then name), which spreads load across a fleet. One heap per kind holds the machines
 * without that kind; entries go stale when a machine's free resources change and are skipped (lazy deletion), so
 * placing n instances on m machines costs O((n + m) log m) rather than O(n * m).
 *
 * @module
 */
import type { ResourceAmount } from "../types.js";
import { shortOf } from "./explain.js";

/** A machine's mutable state during placement. */
export interface MachineState {
  /** Name. */
  readonly name: string;
  /** Free capacity (changed as instances are placed). */
  free: ResourceAmount;
  /** May host service instances. */
  readonly hostsServices: boolean;
  /** Why it may not host services, when it may not. */
  readonly excludedBecause?: string;
  /** Kinds it runs (changed as instances are placed). */
  kinds: Set<string>;
}

/** An instance the fast path places. */
export interface GreedyInstance {
  /** Name. */
  readonly name: string;
  /** Kind. */
  readonly kind: string;
  /** What it needs. */
  readonly needs: ResourceAmount;
}

/**
 * Places `instances` greedily on `machines`, changing the machines' state. Returns the machine of each placed
 * instance and the instances that found none (in the order they were tried).
 */
export function placeGreedily<T extends GreedyInstance>(
  machines: readonly MachineState[],
  instances: readonly T[],
): { machineOf: Map<string, string>; failed: T[] } {
  const machineOf = new Map<string, string>();
  const failed: T[] = [];
  const order = [...instances].sort(
    (a, b) => b.needs.memoryMiB - a.needs.memoryMiB || b.needs.cpus - a.needs.cpus || cmp(a.name, b.name),
  );
  type Entry = { m: MachineState; v: number; free: ResourceAmount };
  const version = new Map(machines.map((m) => [m.name, 0]));
  const heaps = new Map<string, Heap<Entry>>();
  const heapOf = (kind: string) => {
    let heap = heaps.get(kind);
    if (!heap) {
      heap = new Heap<Entry>((a, b) => ranksBefore(a.free, a.m.name, b.free, b.m.name));
      for (const m of machines)
        if (m.hostsServices && !m.kinds.has(kind)) heap.push({ m, v: version.get(m.name)!, free: { ...m.free } });
      heaps.set(kind, heap);
    }
    return heap;
  };
  for (const inst of order) {
    const heap = heapOf(inst.kind);
    const skipped: Entry[] = [];
    let best: MachineState | undefined;
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
      failed.push(inst);
      continue;
    }
    take(best, inst);
    machineOf.set(inst.name, best.name);
    const v = version.get(best.name)! + 1;
    version.set(best.name, v);
    for (const [kind, other] of heaps) {
      if (!best.kinds.has(kind)) other.push({ m: best, v, free: { ...best.free } });
    }
  }
  return { machineOf, failed };
}

/** Puts `inst` on machine `m`: less free capacity, one more kind. */
export function take(m: MachineState, inst: GreedyInstance): void {
  m.free.cpus -= inst.needs.cpus;
  m.free.memoryMiB -= inst.needs.memoryMiB;
  m.free.diskGiB -= inst.needs.diskGiB;
  m.kinds.add(inst.kind);
}

function cmp(a: string, b: string): number {
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
