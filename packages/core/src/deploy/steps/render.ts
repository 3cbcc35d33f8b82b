import { prepareDeploymentRepo } from "../../nixops4/index.js";
import { deploymentFiles } from "../../render/deployment-files.js";
import { readMachineImports } from "../../render/machine-imports.js";
import { writeDeploymentDir } from "../../render/write.js";
import type { ApplyStepDefinition } from "./context.js";

/**
 * `render`: writes the deployment directory (the plan's files and the machines' `nixosImports`, atomically) and
 * commits it, since Nix flakes only see committed files. Runs after preflight, so a failed check leaves the
 * directory and its history as they were.
 */
export const renderStep: ApplyStepDefinition = {
  name: "render",
  description: "write the deployment directory and commit it",
  resumable: false,
  async run(ctx) {
    const { plan, options: o } = ctx;
    const files = deploymentFiles(plan, {
      ...(o.ssh?.defaultIdentityFile ? { defaultIdentityFile: o.ssh.defaultIdentityFile } : {}),
    });
    for (const [path, text] of await readMachineImports(plan, o.configDir ?? process.cwd())) files.set(path, text);
    const written = await writeDeploymentDir(o.deployDir, files);
    ctx.events.report("render.written", { dir: o.deployDir, ...written });
    const repo = await prepareDeploymentRepo(o.deployDir, { message: `fedi apply: ${plan.deployment.name}` });
    return `${written.written.length} file(s) written, ${written.removed.length} removed; commit ${repo.commit.slice(0, 12)}`;
  },
};
