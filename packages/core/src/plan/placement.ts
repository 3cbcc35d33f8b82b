import { FediError, type FediIssue } from "../errors.js";
import { needsText, shortOf, whyNoMachine } from "./placement/explain.js";
import { type MachineState, placeGreedily, take } from "./placement/greedy.js";
import { type SearchInstance, searchPlacement } from "./placement/search.js";
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

/** Options of {@link placeInstances}. */
export interface PlacementOptions {
  /** Let an instance that ran elsewhere move (its data does not move with it). */
  allowMoves: boolean;
  /**
   * The exact search's bound, in steps (one step: one instance checked against one machine), shared by every search
   * one call runs. Default {@link DEFAULT_PLACEMENT_SEARCH_STEPS}.
   */
  searchSteps?: number;
}

/**
 * The default bound of the exact placement search: 20,000,000 steps, where a step is one check of one instance
 * against one machine. On one core that is 0.3 to 1 s (bench/placement.bench.ts); a search that hits it fails with
 * `PLACEMENT_SEARCH_LIMIT` ("No placement found within 20000000 steps"), never with `PLACEMENT_IMPOSSIBLE`.
 */
export const DEFAULT_PLACEMENT_SEARCH_STEPS = 20_000_000;

/**
 * Places instances on machines. Deterministic (the same input gives the same placement); respects capacities (CPU,
 * memory, disk), pins, roles (machines that may not host services get none) and one instance of a kind per machine.
 *
 * 1. Pinned instances go to their machine.
 * 2. Sticky: an instance with a previous machine stays there unless it no longer fits; then it moves only when
 *    `allowMoves` is set (else `PLACEMENT_MOVE_REQUIRED`).
 * 3. Fast path for the others: largest first, each to the feasible machine with the most free memory (ties: most
 *    free CPU, then name), which spreads load across a fleet.
 * 4. When the fast path leaves an instance out, an exact search (branch and bound, see `placement/search.ts`) places
 *    all of them, or proves that no arrangement exists (`PLACEMENT_IMPOSSIBLE`), or stops at its bound of
 *    `searchSteps` steps (default {@link DEFAULT_PLACEMENT_SEARCH_STEPS}; a step is one instance checked against one
 *    machine): then the error is `PLACEMENT_SEARCH_LIMIT`, "no placement found within N steps".
 * 5. Kept instances stay where they run during that search: a running instance is never moved to make room for
 *    another (its database and files would stay behind), even with `allowMoves`. When the search finds nothing, a
 *    second search within the same bound lets them move (each tried on its current machine first); if that one finds
 *    a placement, the error is `PLACEMENT_MOVE_REQUIRED`, naming the instances that would have to move and where, so
 *    that the user can pin them there (an explicit move).
 *
 * Every error issue has the instance's spec path (`services[i]`) and names the instance, its needs and why it fits
 * nowhere: which resource is short on which machines, which machines already run its kind, which may not host
 * services.
 */
export function placeInstances(
  machines: readonly PlacementMachine[],
  instances: readonly PlacementInstance[],
  options: PlacementOptions,
): PlacementResult {
  const maxSteps = options.searchSteps ?? DEFAULT_PLACEMENT_SEARCH_STEPS;
  const state = new Map<string, MachineState>(
    machines.map((m) => [m.name, { ...m, free: { ...m.free }, kinds: new Set<string>() }]),
  );
  const machineOf = new Map<string, string>();
  const how = new Map<string, "pinned" | "kept" | "placed" | "moved">();
  const moves = new Map<string, { from: string; reason: string }>();
  const pinIssues: FediIssue[] = [];
  const moveIssues: FediIssue[] = [];
  const placeOn = (inst: PlacementInstance, name: string) => {
    take(state.get(name)!, inst);
    machineOf.set(inst.name, name);
  };

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

  const byName = [...instances].sort((a, b) => cmp(a.name, b.name));
  // 1. pins
  for (const inst of byName.filter((i) => i.pin !== undefined)) {
    const problem = fitProblem(inst, inst.pin!);
    if (problem) {
      pinIssues.push({
        path: `${inst.path}.machine`,
        message: `cannot run '${inst.name}' on the pinned machine: ${problem}`,
      });
      continue;
    }
    placeOn(inst, inst.pin!);
    how.set(inst.name, inst.previous && inst.previous !== inst.pin ? "moved" : "pinned");
    if (inst.previous && inst.previous !== inst.pin)
      moves.set(inst.name, { from: inst.previous, reason: `pinned to '${inst.pin}'` });
  }
  const afterPins = cloneState(state);
  // 2. sticky
  const unplaced: PlacementInstance[] = [];
  const kept: PlacementInstance[] = [];
  for (const inst of byName.filter((i) => i.pin === undefined)) {
    if (inst.previous === undefined) {
      unplaced.push(inst);
      continue;
    }
    const problem = fitProblem(inst, inst.previous);
    if (!problem) {
      placeOn(inst, inst.previous);
      how.set(inst.name, "kept");
      kept.push(inst);
    } else if (options.allowMoves) {
      moves.set(inst.name, { from: inst.previous, reason: problem });
      unplaced.push(inst);
    } else {
      moveIssues.push({
        path: inst.path,
        message: `'${inst.name}' must move off '${inst.previous}': ${problem}`,
        code: "PLACEMENT_MOVE_REQUIRED",
      });
    }
  }
  if (moveIssues.length > 0 && pinIssues.length === 0) throw moveRequired(moveIssues);
  // 3. fast path, on a copy of the state: kept if it places everything
  const trial = cloneState(state);
  const fast = placeGreedily([...trial.values()], unplaced);
  const placedHow = (inst: PlacementInstance) => (moves.has(inst.name) ? "moved" : "placed");
  if (fast.failed.length === 0) {
    for (const inst of unplaced) {
      machineOf.set(inst.name, fast.machineOf.get(inst.name)!);
      how.set(inst.name, placedHow(inst));
    }
    if (pinIssues.length > 0) throw impossible([...pinIssues, ...moveIssues]);
    return { machineOf, how, moves };
  }

  // 4. exact search. Instances that fit on no machine even alone are reported as they are; the others are searched.
  const hosts = [...state.values()].filter((m) => m.hostsServices);
  const hostsAfterPins = [...afterPins.values()].filter((m) => m.hostsServices);
  const fitsAlone = (on: readonly MachineState[], inst: PlacementInstance) =>
    on.some((m) => !m.kinds.has(inst.kind) && fits(m.free, inst.needs));
  const alone = new Set(unplaced.filter((inst) => !fitsAlone(hosts, inst)));
  const rest = unplaced.filter((inst) => !alone.has(inst));
  const first = searchPlacement(hosts, rest.map(searchInstance), maxSteps);
  if (first.result === "found" && alone.size === 0) {
    for (const inst of rest) {
      placeOn(inst, first.machineOf.get(inst.name)!);
      how.set(inst.name, placedHow(inst));
    }
    if (pinIssues.length > 0) throw impossible([...pinIssues, ...moveIssues]);
    return { machineOf, how, moves };
  }

  // 5. Would moving running instances help? The answer is an error either way: a running instance moves to make room
  // for another only when the user pins it elsewhere (its data does not move with it).
  let steps = first.steps;
  // The instances left without a machine: those that fit nowhere alone, and when the search failed, those the fast
  // path left out.
  const blocked = first.result === "found" ? fast.failed.filter((inst) => alone.has(inst)) : fast.failed;
  const movable = [...kept, ...unplaced];
  if (pinIssues.length === 0 && kept.length > 0 && movable.every((inst) => fitsAlone(hostsAfterPins, inst))) {
    const second = searchPlacement(hostsAfterPins, movable.map(searchInstance), Math.max(0, maxSteps - steps));
    steps += second.steps;
    if (second.result === "found") {
      const forWhom = blocked.map((inst) => `'${inst.name}'`).join(", ");
      const movedKept = kept.filter((inst) => second.machineOf.get(inst.name) !== inst.previous);
      throw moveRequired(
        [
          ...blocked.map((inst) => ({
            path: inst.path,
            message: `'${inst.name}' (${inst.kind}) needs ${needsText(inst.needs)} and fits only if running instances move: ${whyNoMachine(inst.kind, inst.needs, [...trial.values()])}`,
            code: "PLACEMENT_MOVE_REQUIRED",
          })),
          ...movedKept.map((inst) => {
            const target = second.machineOf.get(inst.name)!;
            return {
              path: `${inst.path}.machine`,
              message: `'${inst.name}' runs on '${inst.previous}'; a placement that fits ${forWhom} moves it to '${target}' (set ${inst.path}.machine to "${target}" and re-plan with --allow-moves to move it)`,
              code: "PLACEMENT_MOVE_REQUIRED",
            };
          }),
        ].sort((a, b) => pathIndex(a.path) - pathIndex(b.path) || cmp(a.path, b.path)),
        "No placement fits every instance while the running ones stay where they run.",
        "Moving a service moves its database and files, so the SDK never moves a running instance to make room for another by itself. Pin the instances named to their new machine to move them, or add machines or capacity.",
      );
    }
  }

  // No placement: name each instance the fast path left out, with what the others leave free for it.
  const issues: FediIssue[] = [];
  const whileRunningStay = kept.length > 0 ? " while the running instances stay where they run" : "";
  for (const inst of blocked) {
    const isAlone = alone.has(inst);
    const why = whyNoMachine(inst.kind, inst.needs, [...(isAlone ? state : trial).values()]);
    const context = isAlone
      ? "fits on no machine"
      : first.result === "impossible"
        ? `fits on a machine alone, but no arrangement of the ${rest.length} instances to place fits them all${whileRunningStay} (exhaustive search); placed largest first, the others leave`
        : `was not placed: no placement found within ${maxSteps} steps (the search placed at most ${first.result === "limit" ? first.mostPlaced : rest.length} of the ${rest.length} instances to place together); placed largest first, the others leave`;
    issues.push({
      path: inst.path,
      message: `'${inst.name}' (${inst.kind}) needs ${needsText(inst.needs)} and ${context}: ${why}`,
    });
  }
  issues.sort((a, b) => pathIndex(a.path) - pathIndex(b.path) || cmp(a.path, b.path));
  const service = issues.length === 1 ? nameAt(issues[0]!, instances) : "";
  if (first.result === "limit") {
    throw new FediError(
      "PLACEMENT_SEARCH_LIMIT",
      `No placement found within ${maxSteps} steps: the exact search stopped at its bound before placing every instance or proving that no placement exists.`,
      {
        issues: [...pinIssues, ...moveIssues, ...issues],
        hint: "A placement may still exist. Pin some instances to machines (services[].machine), add machines or capacity, or lower the instances' requirements; a library caller may raise the bound (createPlan's placementSearchSteps).",
        details: { steps, maxSteps },
        ...(service ? { service } : {}),
      },
    );
  }
  throw impossible([...pinIssues, ...moveIssues, ...issues], service);
}

function fits(free: ResourceAmount, needs: ResourceAmount): boolean {
  return needs.cpus <= free.cpus && needs.memoryMiB <= free.memoryMiB && needs.diskGiB <= free.diskGiB;
}

function searchInstance(inst: PlacementInstance): SearchInstance {
  return {
    name: inst.name,
    kind: inst.kind,
    needs: inst.needs,
    ...(inst.previous !== undefined ? { prefer: inst.previous } : {}),
  };
}

function cloneState(state: Map<string, MachineState>): Map<string, MachineState> {
  return new Map(
    [...state].map(([name, m]) => [name, { ...m, free: { ...m.free }, kinds: new Set(m.kinds) }] as const),
  );
}

function impossible(issues: FediIssue[], service = ""): FediError {
  return new FediError("PLACEMENT_IMPOSSIBLE", `${issues.length} instance(s) cannot be placed.`, {
    issues,
    hint: "Add machines or capacity, lower the instance's requirements, or change its pin.",
    ...(service ? { service } : {}),
  });
}

function moveRequired(
  issues: FediIssue[],
  message = "Some instances can no longer stay where they run.",
  hint = "Moving a service moves its database and files. Free the machine, pin the instance, or re-plan with moves allowed (`--allow-moves`) and migrate its data.",
): FediError {
  return new FediError("PLACEMENT_MOVE_REQUIRED", message, { issues, hint });
}

function pathIndex(path: string): number {
  const match = /^services\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}

function nameAt(issue: FediIssue, instances: readonly PlacementInstance[]): string {
  return instances.find((i) => i.path === issue.path)?.name ?? "";
}

/** Code-point string comparison (locale-independent, so plans are identical on every machine). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
