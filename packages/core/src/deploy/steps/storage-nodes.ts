import type { ApplyStepDefinition } from "./context.js";
import { switchMachines } from "./switch-machines.js";

/**
 * `storage-nodes`: switches the storage nodes among the machines to apply, first, since the storage runtime needs
 * the storage service running before it can create buckets and keys.
 */
export const storageNodesStep: ApplyStepDefinition = {
  name: "storage-nodes",
  description: "apply the storage nodes' NixOS configurations with NixOps4",
  resumable: true,
  run: (ctx) =>
    switchMachines(
      ctx,
      ctx.toApply.filter((m) => ctx.storageNodes.has(m)),
    ),
};
