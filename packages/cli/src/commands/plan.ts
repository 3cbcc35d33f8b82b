import { planSummary } from "@fediversity/core";
import { planOutput } from "../output/plan-json.js";
import { EXIT } from "../terminal/global-options.js";
import { displayPath, outDirFor, writeDeployment } from "../workflow/plan-deployment.js";
import {
  ADOPT_OPTION,
  ALLOW_MOVES_OPTION,
  ALLOW_STORAGE_CHANGES_OPTION,
  CONFIG_OPTION,
  loadFromFlags,
  OVERWRITE_EDITED_OPTION,
  planLoaded,
  STATE_OPTION,
  stringFlag,
  withStateLock,
} from "./shared.js";
import type { Command } from "./types.js";

/** `fedi plan`: validates, plans against the state, prints the summary (or JSON) and writes the deployment directory. */
export const planCommand: Command = {
  name: "plan",
  summary: "plan the deployment and write its NixOS/NixOps4 files",
  usage:
    "fedi plan [--config FILE] [--out DIR] [--state DIR] [--allow-moves] [--allow-storage-changes] [--adopt NAMES] [--overwrite-edited] [--json]",
  description: [
    "Validates the config, places every service instance on a machine (sticking to where the last apply put it),",
    "allocates buckets, S3 keys, secrets, ports and domains, and compares the result with the last apply",
    "(<state>/state.json). Prints machines with their instances and resource use, buckets, keys, secret names and the",
    "changes, then writes the deployment directory (flake.nix, deployment.nix, machines/*.nix, plan.json); files",
    "whose content did not change are left untouched. Secret values never appear in the output or the files.",
    "The deployment directory belongs to the SDK: it records what it wrote in .fedi-manifest.json, never replaces or",
    "removes another file (DEPLOY_DIR_FOREIGN_FILE), refuses a generated file edited since (DEPLOY_DIR_EDITED, unless",
    "--overwrite-edited), and must not be, contain or lie in the config's folder or the state folder (DEPLOY_DIR_OVERLAP).",
    "",
    "With --json, stdout carries only a JSON object (schema: @fediversity/cli/schema/plan-output.schema.json);",
    'progress still goes to stderr. On failure the JSON is {"error": {code, message, hint?, issues}}.',
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    out: {
      type: "string",
      short: "o",
      valueName: "DIR",
      description: "deployment directory to write (default: deploy/ next to the config)",
    },
    state: STATE_OPTION,
    "allow-moves": ALLOW_MOVES_OPTION,
    "overwrite-edited": OVERWRITE_EDITED_OPTION,
    "allow-storage-changes": ALLOW_STORAGE_CHANGES_OPTION,
    adopt: ADOPT_OPTION,
    json: { type: "boolean", description: "print the plan as JSON on stdout (for scripts) instead of the summary" },
  },
  examples: [
    { command: "fedi plan", description: "plan the nearest fedi.config.ts and write deploy/ next to it" },
    {
      command: "fedi plan --config examples/all-in-one/fedi.config.ts --out out/all-in-one",
      description: "plan an example into out/all-in-one",
    },
    {
      command: "fedi plan --json | jq '.plan.machines[] | {name, used}'",
      description: "resource use per machine, for a script",
    },
    { command: "fedi plan --allow-moves", description: "accept moving instances that no longer fit on their machine" },
    {
      command: "fedi plan --allow-storage-changes",
      description: "accept adding or dropping storage nodes (a running cluster keeps its replication factor)",
    },
  ],
  async run(ctx) {
    const { cwd } = ctx.io;
    const loaded = await loadFromFlags(ctx);
    const outDir = outDirFor(loaded.config, cwd, stringFlag(ctx.flags, "out"));
    // The state read and the files written belong together: no apply (or other plan) runs in between.
    const { planned, report } = await withStateLock(loaded.stateDir, "fedi plan", async () => {
      const planned = await planLoaded(ctx, loaded);
      const report = await writeDeployment(
        planned.plan,
        {
          outDir,
          configDir: loaded.config.dir,
          stateDir: loaded.stateDir,
          imports: planned.imports,
          overwriteEdited: ctx.flags["overwrite-edited"] === true,
        },
        cwd,
        ctx.events,
      );
      return { planned, report };
    });
    if (ctx.flags.json === true) {
      const output = planOutput(planned.plan, {
        configFile: planned.config.path,
        stateFile: planned.stateFile,
        outDir,
        files: report,
      });
      ctx.io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    } else {
      ctx.io.stdout.write(
        planSummary(
          planned.plan,
          {
            state: planned.state,
            stateFile: displayPath(cwd, planned.stateFile),
            written: { dir: displayPath(cwd, outDir), report },
          },
          ctx.out,
        ),
      );
    }
    return EXIT.ok;
  },
};
