import { type FediEvents, isFediError } from "@fediversity/core";

/**
 * Runs one step and reports `step.start` and `step.end` (with its duration and a summary made from the result).
 * A failed step reports `ok: false` and rethrows.
 */
export async function step<T>(
  events: FediEvents | undefined,
  name: string,
  description: string,
  fn: () => T | Promise<T>,
  summary: (result: T) => string,
): Promise<T> {
  const started = performance.now();
  events?.report("step.start", { step: name, description });
  try {
    const result = await fn();
    events?.report("step.end", {
      step: name,
      ok: true,
      durationMs: performance.now() - started,
      summary: summary(result),
    });
    return result;
  } catch (error) {
    events?.report(
      "step.end",
      {
        step: name,
        ok: false,
        durationMs: performance.now() - started,
        summary: `${description} failed${isFediError(error) ? ` (${error.code})` : ""}`,
      },
      { level: "error" },
    );
    throw error;
  }
}
