import { FediError } from "../../errors.js";
import type { CheckResult } from "../health-checks.js";
import { verifyDeployment } from "../verification.js";
import type { ApplyStepDefinition } from "./context.js";

/**
 * `verify`, the last step: every health check of the plan (retried until `verify.timeoutMs` while services start)
 * and the storage's S3 round trip; results go into the report.
 * @throws FediError `VERIFY_FAILED` naming each failed check (the step stays unfinished, so a re-run verifies again
 * without switching the machines again).
 */
export const verifyStep: ApplyStepDefinition = {
  name: "verify",
  description: "verify units, HTTP endpoints and S3",
  resumable: true,
  async run(ctx) {
    ctx.report.checks = await verifyDeployment(ctx.plan, ctx, { wait: true });
    const failed = ctx.report.checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      throw new FediError(
        "VERIFY_FAILED",
        `${failed.length} of ${ctx.report.checks.length} check(s) failed after apply.`,
        {
          issues: failed.map((c) => ({ path: `${c.machine}/${c.owner}`, message: `${c.check}: ${c.detail}` })),
          hint: verifyHint(failed),
        },
      );
    }
    return `${ctx.report.checks.length} check(s) passed`;
  },
};

/** The hint of `VERIFY_FAILED`: the commands that show why, naming the failed units, and how to check again. */
export function verifyHint(failed: readonly CheckResult[]): string {
  const units = failed.flatMap((c) => (c.check.startsWith("unit ") ? [`${c.machine}: ${c.check.slice(5)}`] : []));
  const unitHint =
    units.length > 0
      ? `On the machine, \`systemctl status <unit>\` and \`journalctl -u <unit>\` show why a unit is not running (${units.join(", ")}). `
      : "";
  return `${unitHint}Run \`fedi apply\` again to verify again (the machines are not switched again), or \`fedi status\` to check later.`;
}
