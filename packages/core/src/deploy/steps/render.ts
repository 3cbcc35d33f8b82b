import { readNixosImports } from "../../imports/read.js";
import { prepareDeploymentRepo } from "../../nixops4/index.js";
import { renderDeployment } from "../../render/render-deployment.js";
import type { ApplyStepDefinition } from "./context.js";

/**
 * `render`: writes the deployment directory with {@link renderDeployment} (the plan's files and the machines'
 * `nixosImports`; the directory kept out of the config's folder, the state folder and the secret store; only the
 * SDK's own files replaced) and commits the manifest's files, since Nix flakes only see committed files. Runs after
 * preflight, so a failed check leaves the directory and its history as they were.
 */
export const renderStep: ApplyStepDefinition = {
  name: "render",
  description: "write the deployment directory and commit it",
  resumable: false,
  async run(ctx) {
    const { plan, options: o } = ctx;
    // the config's folder guards the deployment directory only when given; imports are read from the working
    // directory otherwise (DeployerOptions.configDir's default)
    const imports =
      o.configDir === undefined && plan.machines.some((m) => m.nixosImports.length > 0)
        ? await readNixosImports(plan, process.cwd())
        : undefined;
    const written = await renderDeployment(plan, {
      dir: o.deployDir,
      ...(o.configDir !== undefined ? { configDir: o.configDir } : {}),
      ...(imports !== undefined ? { imports } : {}),
      stateDir: o.state.dir,
      ...(o.secrets.dir !== undefined ? { secretsDir: o.secrets.dir } : {}),
      ...(o.ssh?.defaultIdentityFile ? { defaultIdentityFile: o.ssh.defaultIdentityFile } : {}),
      overwriteEdited: o.overwriteEdited === true,
    });
    ctx.events.report("render.written", { dir: o.deployDir, ...written });
    const repo = await prepareDeploymentRepo(o.deployDir, { message: `fedi apply: ${plan.deployment.name}` });
    return `${written.written.length} file(s) written, ${written.removed.length} removed; commit ${repo.commit.slice(0, 12)}`;
  },
};
