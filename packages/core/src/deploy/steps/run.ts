import { FediError, isFediError } from "../../errors.js";
import type { ApplyContext, ApplyStepDefinition } from "./context.js";

/**
 * Runs `steps` in order over `ctx`: each reports `step.start` and `step.end` and adds its `StepReport` to
 * `ctx.report.steps`. A resumable step that an earlier run of the same plan finished is skipped ("finished by an
 * earlier run"); one that finishes is recorded in the progress. The first failure is reported and rethrown, and
 * the remaining steps do not run; an aborted signal stops before the next step with `CANCELLED`.
 */
export async function runSteps(steps: readonly ApplyStepDefinition[], ctx: ApplyContext): Promise<void> {
  for (const step of steps) await runStep(step, ctx);
}

async function runStep(step: ApplyStepDefinition, ctx: ApplyContext): Promise<void> {
  const { name } = step;
  if (ctx.signal?.aborted) throw cancelled();
  if (step.resumable && ctx.progress.has(name)) {
    ctx.report.steps.push({ step: name, status: "skipped", summary: "finished by an earlier run", durationMs: 0 });
    return;
  }
  const t0 = Date.now();
  ctx.events.report("step.start", { step: name, description: step.description });
  try {
    const summary = await step.run(ctx);
    const durationMs = Date.now() - t0;
    ctx.report.steps.push({
      step: name,
      status: summary === undefined ? "skipped" : "done",
      summary: summary ?? "nothing to do",
      durationMs,
    });
    ctx.events.report("step.end", {
      step: name,
      ok: true,
      durationMs,
      skipped: summary === undefined,
      summary: summary ?? "nothing to do",
    });
    if (step.resumable) await ctx.progress.record(name);
  } catch (error) {
    const durationMs = Date.now() - t0;
    const message = isFediError(error) ? error.message : String(error);
    ctx.report.steps.push({ step: name, status: "failed", summary: message, durationMs });
    ctx.events.report("step.end", { step: name, ok: false, durationMs, summary: message }, { level: "error" });
    throw error;
  }
}

function cancelled(): FediError {
  return new FediError("CANCELLED", "The run was cancelled; finished steps are recorded and the next run continues.", {
    hint: "Run `fedi apply` again to continue.",
  });
}
