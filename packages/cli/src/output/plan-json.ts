import type { Plan, WriteReport } from "@fediversity/core";

/** Version of the `fedi plan --json` output format (schema/plan-output.schema.json). Bumped on incompatible changes. */
export const PLAN_OUTPUT_VERSION = 1;

/** What `fedi plan --json` prints on stdout: where things were read and written, and the plan (no secret values). */
export interface PlanOutput {
  /** {@link PLAN_OUTPUT_VERSION}. */
  outputVersion: typeof PLAN_OUTPUT_VERSION;
  /** Absolute path of the config file. */
  configFile: string;
  /** Absolute path of the state file the plan was made against (it need not exist). */
  stateFile: string;
  /** Absolute path of the deployment directory. */
  outDir: string;
  /** What happened to the files of the deployment directory. */
  files: WriteReport;
  /** The plan, as in `<outDir>/plan.json`. */
  plan: Plan;
}

/** Builds the `fedi plan --json` object. */
export function planOutput(plan: Plan, where: Omit<PlanOutput, "outputVersion" | "plan">): PlanOutput {
  return {
    outputVersion: PLAN_OUTPUT_VERSION,
    configFile: where.configFile,
    stateFile: where.stateFile,
    outDir: where.outDir,
    files: {
      written: [...where.files.written],
      unchanged: [...where.files.unchanged],
      removed: [...where.files.removed],
    },
    plan,
  };
}
