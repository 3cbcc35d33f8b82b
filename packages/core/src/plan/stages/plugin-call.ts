import { FediError, isFediError } from "../../errors.js";

/** The error for a plugin that broke its contract (a bug in the plugin, not in the spec). */
export function contract(who: string, what: string): FediError {
  return new FediError("PLUGIN_CONTRACT", `The ${who} ${what}.`, {
    hint: "This is a bug in the plugin: report it to its authors.",
  });
}

/**
 * Calls plugin code; a FediError passes through, anything else becomes a `PLUGIN_CONTRACT` error naming the plugin
 * (`who`) and the spec path it was handling.
 */
export function callPlugin<T>(who: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isFediError(error)) throw error;
    throw new FediError(
      "PLUGIN_CONTRACT",
      `The ${who} failed while handling ${path}: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
        hint: "This is a bug in the plugin (or options it does not handle): report it to its authors.",
      },
    );
  }
}

/** Throws `ALLOCATION_CONFLICT` when a value occurs twice; `what` names the kind of value for the message. */
export function checkUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v))
      throw new FediError("ALLOCATION_CONFLICT", `The ${what} '${v}' is claimed twice.`, {
        hint: "Rename one of them.",
      });
    seen.add(v);
  }
}
