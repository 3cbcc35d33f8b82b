import { memberPath } from "../../render/deployment-files.js";
import type { ApplyContext } from "./context.js";

/**
 * Runs `nixops4 apply` for `machines` (their member paths, added to the report's `applied`); `undefined` (nothing
 * to do) for none. Shared by the `storage-nodes` and `nixops4` steps.
 */
export async function switchMachines(ctx: ApplyContext, machines: readonly string[]): Promise<string | undefined> {
  if (machines.length === 0) return undefined;
  const members = machines.map(memberPath);
  ctx.report.applied.push(...members);
  const r = await ctx.driver.apply({ members, showTrace: true, ...(ctx.signal ? { signal: ctx.signal } : {}) });
  return `${machines.length} machine(s) switched in ${Math.round(r.durationMs / 1000)} s`;
}
