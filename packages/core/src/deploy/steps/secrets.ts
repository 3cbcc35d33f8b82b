import { ensureSecrets, redactor } from "../../secrets/index.js";
import type { ApplyStepDefinition } from "./context.js";

/**
 * `secrets`: generates the plan's missing secrets in the secret store (existing values are kept), then redacts
 * every value from the run's later events. Runs after preflight: a failed check generates nothing.
 */
export const secretsStep: ApplyStepDefinition = {
  name: "secrets",
  description: "generate missing secrets",
  resumable: false,
  async run(ctx) {
    const r = await ensureSecrets(ctx.options.secrets, ctx.plan.secrets);
    for (const name of r.created) ctx.events.report("secret.generated", { name });
    ctx.setRedact(await redactor(ctx.options.secrets));
    return `${r.created.length} generated, ${r.kept.length} kept`;
  },
};
