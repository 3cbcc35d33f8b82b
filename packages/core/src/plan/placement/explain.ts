/**
 * Why an instance fits on no machine, in words: which resource is short on which machines, which machines already
 * run its kind, which may not host services. Machines with the same reason are grouped, at most three named per group.
 *
 * @module
 */
import type { ResourceAmount } from "../types.js";

/** A machine's state as an explanation reads it. */
export interface ExplainedMachine {
  /** Name. */
  readonly name: string;
  /** Free capacity. */
  readonly free: ResourceAmount;
  /** May host service instances. */
  readonly hostsServices: boolean;
  /** Why it may not host services, when it may not. */
  readonly excludedBecause?: string;
  /** Kinds it runs. */
  readonly kinds: ReadonlySet<string>;
}

/** How many machines each reason names before "and N more". */
const NAMED_PER_REASON = 3;

/** What an instance needs, e.g. `2 CPU, 4096 MiB memory, 20 GiB disk`. */
export function needsText(needs: ResourceAmount): string {
  return `${round(needs.cpus)} CPU, ${round(needs.memoryMiB)} MiB memory, ${round(needs.diskGiB)} GiB disk`;
}

/** The resources `needs` is short of on `free`, with the amounts, or undefined when it fits. */
export function shortOf(free: ResourceAmount, needs: ResourceAmount): string | undefined {
  const short: string[] = [];
  if (needs.memoryMiB > free.memoryMiB)
    short.push(`memory (needs ${round(needs.memoryMiB)} MiB, ${round(free.memoryMiB)} MiB free)`);
  if (needs.cpus > free.cpus) short.push(`CPU (needs ${round(needs.cpus)}, ${round(free.cpus)} free)`);
  if (needs.diskGiB > free.diskGiB)
    short.push(`disk (needs ${round(needs.diskGiB)} GiB, ${round(free.diskGiB)} GiB free)`);
  return short.length ? short.join(", ") : undefined;
}

/**
 * Why an instance of `kind` needing `needs` fits on none of `machines`: reasons grouped, e.g.
 * `short of memory on web01 (6144 MiB free), web02 (4096 MiB free); web03 already runs a mastodon instance (one per
 * machine)`. Machines on which it would fit are listed last as `fits on ...` (there, only other instances are in the
 * way), so the text is right for any state.
 */
export function whyNoMachine(kind: string, needs: ResourceAmount, machines: readonly ExplainedMachine[]): string {
  const hosts = machines.filter((m) => m.hostsServices);
  if (hosts.length === 0) return "no machine may host services (check the machines' roles and the storage separation)";
  const short = new Map<string, ExplainedMachine[]>();
  const sameKind: ExplainedMachine[] = [];
  const fitting: ExplainedMachine[] = [];
  for (const m of hosts) {
    if (m.kinds.has(kind)) {
      sameKind.push(m);
      continue;
    }
    const resources = shortResources(m.free, needs);
    if (resources.length === 0) fitting.push(m);
    else {
      const key = resources.join(" and ");
      short.set(key, [...(short.get(key) ?? []), m]);
    }
  }
  const parts: string[] = [];
  for (const [key, group] of [...short].sort((a, b) => cmp(a[0], b[0]))) {
    const resources = key.split(" and ");
    const named = [...group]
      .sort((a, b) => b.free.memoryMiB - a.free.memoryMiB || b.free.cpus - a.free.cpus || cmp(a.name, b.name))
      .map((m) => `${m.name} (${resources.map((r) => freeText(m.free, r)).join(", ")} free)`);
    parts.push(`short of ${key} on ${list(named)}`);
  }
  if (sameKind.length > 0) {
    const names = sameKind.map((m) => m.name).sort(cmp);
    parts.push(`${list(names)} already run${names.length === 1 ? "s" : ""} a ${kind} instance (one per machine)`);
  }
  const excluded = new Map<string, string[]>();
  for (const m of machines.filter((x) => !x.hostsServices)) {
    const why = m.excludedBecause ?? "its roles exclude it";
    excluded.set(why, [...(excluded.get(why) ?? []), m.name]);
  }
  for (const [why, names] of [...excluded].sort((a, b) => cmp(a[0], b[0])))
    parts.push(`${list(names.sort(cmp))} may not host services (${why})`);
  if (fitting.length > 0) parts.push(`fits on ${list(fitting.map((m) => m.name).sort(cmp))}`);
  return parts.join("; ");
}

function shortResources(free: ResourceAmount, needs: ResourceAmount): string[] {
  const out: string[] = [];
  if (needs.cpus > free.cpus) out.push("CPU");
  if (needs.memoryMiB > free.memoryMiB) out.push("memory");
  if (needs.diskGiB > free.diskGiB) out.push("disk");
  return out;
}

function freeText(free: ResourceAmount, resource: string): string {
  if (resource === "CPU") return `${round(free.cpus)} CPU`;
  if (resource === "memory") return `${round(free.memoryMiB)} MiB`;
  return `${round(free.diskGiB)} GiB`;
}

function list(names: readonly string[]): string {
  if (names.length <= NAMED_PER_REASON) return names.join(", ");
  return `${names.slice(0, NAMED_PER_REASON).join(", ")} and ${names.length - NAMED_PER_REASON} more`;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
