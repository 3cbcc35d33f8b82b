import { storageRuntimeInput } from "../storage-input.js";
import type { ApplyStepDefinition } from "./context.js";

/**
 * `storage`: the storage plugin's runtime provisions what the plan needs (cluster layout, buckets, keys, website
 * access, CORS), through SSH tunnels to the storage nodes. A storage kind without runtime operations skips it.
 */
export const storageStep: ApplyStepDefinition = {
  name: "storage",
  description: "provision storage: layout, buckets, keys, website access, CORS",
  resumable: true,
  async run(ctx) {
    const storage = ctx.options.registry.storage(ctx.plan.storage.kind);
    if (!storage?.runtime) return undefined;
    const steps = await storage.runtime.provision(await storageRuntimeInput(ctx.plan, ctx));
    for (const s of steps) ctx.events.report("storage.step", s);
    return steps.map((s) => s.summary).join("; ") || "storage up to date";
  },
};
