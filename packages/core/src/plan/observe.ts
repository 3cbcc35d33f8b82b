import { isFediError } from "../errors.js";
import type { FediEvents } from "../events.js";
import type { Plan } from "./types.js";

/**
 * Runs `plan` and reports it to `events`: `run.start`, `plan.done` (or `plan.failed`, then the error is rethrown)
 * and `run.end`. The deployment name is the spec's `name` when it is a string (the spec is not validated yet).
 */
export function observedPlan(events: FediEvents, spec: unknown, plan: () => Plan): Plan {
  const started = Date.now();
  const name = spec && typeof spec === "object" ? (spec as { name?: unknown }).name : undefined;
  events.report("run.start", { command: "plan", deployment: typeof name === "string" ? name : "" });
  try {
    const result = plan();
    const d = result.diff;
    const summary = d.upToDate
      ? "Up to date: nothing to apply."
      : `${d.added.length} to add, ${d.changed.length} to change, ${d.moved.length} to move, ${d.removed.length} to remove.`;
    events.report("plan.done", {
      deployment: result.deployment.name,
      machines: result.machines.length,
      instances: result.instances.length,
      upToDate: d.upToDate,
      added: d.added.length,
      changed: d.changed.length,
      moved: d.moved.length,
      removed: d.removed.length,
    });
    events.report("run.end", { ok: true, durationMs: Date.now() - started, summary });
    return result;
  } catch (error) {
    const code = isFediError(error) ? error.code : "INTERNAL";
    const message = error instanceof Error ? error.message : String(error);
    const issues = isFediError(error) ? error.issues.length : 0;
    events.report("plan.failed", { code, message, issues }, { level: "error" });
    events.report("run.end", { ok: false, durationMs: Date.now() - started, summary: `Planning failed (${code}).` });
    throw error;
  }
}
