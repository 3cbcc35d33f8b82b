import { syncSecretFiles } from "../secret-files.js";
import type { ApplyStepDefinition, UploadedFiles } from "./context.js";

const UPLOADED = "uploaded:";

/** The progress marker recorded once a machine's changed secret files are uploaded: `uploaded:<machine>`. */
export function uploadMarker(machine: string): string {
  return `${UPLOADED}${machine}`;
}

/**
 * The machines an earlier run of the same plan uploaded secret files to (from its progress markers). Only the
 * machines are recorded, so every file of each is reinstalled (`"all"`) when the run continues.
 */
export function uploadedBefore(markers: Iterable<string>): Map<string, UploadedFiles> {
  const uploaded = new Map<string, UploadedFiles>();
  for (const marker of markers) if (marker.startsWith(UPLOADED)) uploaded.set(marker.slice(UPLOADED.length), "all");
  return uploaded;
}

/**
 * `upload`: brings every machine's secret files to what the plan needs (changed files uploaded root-only, 0400;
 * files no longer needed removed), machines in parallel. Each machine with a change is recorded at once
 * (`uploaded:<machine>`), also when another machine's upload fails, so that `activate` reinstalls its files even in
 * a later run. Nothing to do (no file changed anywhere) reports the step as skipped.
 */
export const uploadStep: ApplyStepDefinition = {
  name: "upload",
  description: "upload secret files",
  resumable: true,
  async run(ctx) {
    const { plan, signal } = ctx;
    let synced = 0;
    const results = await Promise.all(
      plan.machines.map(async (m) => {
        const r = await syncSecretFiles(ctx.pool, ctx.targets.get(m.name)!, m, ctx.options.secrets, {
          ...(signal ? { signal } : {}),
          onUpload: (file, path) => ctx.events.report("secret.uploaded", { file, path }, { machine: m.name }),
        });
        if (r.uploaded.length > 0 || r.removed.length > 0) {
          ctx.uploadedOn.set(m.name, r.uploaded);
          await ctx.progress.record(uploadMarker(m.name)); // kept even if another machine's upload fails
        }
        synced += 1;
        ctx.events.report(
          "step.progress",
          { step: "upload", done: synced, total: plan.machines.length, message: m.name },
          { machine: m.name },
        );
        return r;
      }),
    );
    const up = results.reduce((n, r) => n + r.uploaded.length, 0);
    const rm = results.reduce((n, r) => n + r.removed.length, 0);
    return up + rm === 0 ? undefined : `${up} file(s) uploaded, ${rm} removed`;
  },
};
