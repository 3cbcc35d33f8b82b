import type { ApplyStepDefinition } from "./context.js";
import { switchMachines } from "./switch-machines.js";

/** `nixops4`: switches the other machines to apply (the service machines), once storage is provisioned. */
export const nixops4Step: ApplyStepDefinition = {
  name: "nixops4",
  description: "apply the other machines' NixOS configurations with NixOps4",
  resumable: true,
  run: (ctx) =>
    switchMachines(
      ctx,
      ctx.toApply.filter((m) => !ctx.storageNodes.has(m)),
    ),
};
