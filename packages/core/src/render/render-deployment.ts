import { FediError } from "../errors.js";
import { type NixosImports, readNixosImports } from "../imports/read.js";
import type { Plan } from "../plan/types.js";
import { deploymentFiles } from "./deployment-files.js";
import { checkDeploymentDirLocation } from "./location.js";
import { type WriteReport, writeDeploymentDir } from "./write.js";

/** Options of {@link renderDeployment}. */
export interface RenderDeploymentOptions {
  /** The deployment directory to write (created when missing). */
  dir: string;
  /**
   * The machines' imported module files as read for the plan ({@link readNixosImports}); when left out they are read
   * from `configDir`. One of the two is needed when a machine imports files.
   */
  imports?: NixosImports;
  /** The config file's folder: where `machines[].nixosImports` paths start; the directory must not be or contain it. */
  configDir?: string;
  /** The state folder: the directory must not be, contain or lie inside it. */
  stateDir?: string;
  /** The secret store's folder (e.g. `FileSecretStore.dir`): the directory must not be, contain or lie inside it. */
  secretsDir?: string;
  /** Identity file NixOps4's ssh uses for machines without `ssh.identityFile` (see `DeploymentFilesOptions`). */
  defaultIdentityFile?: string;
  /** Replace (or remove) generated files that were edited since the SDK wrote them (see `writeDeploymentDir`). */
  overwriteEdited?: boolean;
}

/**
 * Writes the complete deployment of a plan into `options.dir`: `flake.nix`, `deployment.nix`, the machine modules,
 * the SDK's static modules, `plan.json` and the copies of the machines' imported module files, and returns what
 * changed. The one entry point for rendering: the CLI (`fedi plan`) and the Deployer's `render` step use it.
 *
 * Checks everything before it writes anything: the directory stays out of the config's folder, the state folder and
 * the secret store (`DEPLOY_DIR_OVERLAP`); the imported files are the ones the plan was made with
 * (`MACHINE_IMPORT_INVALID`); no file the SDK did not write, or wrote and someone edited, would be replaced
 * (`DEPLOY_DIR_FOREIGN_FILE`, `DEPLOY_DIR_EDITED`). Then files are written atomically and the directory's manifest
 * last (see {@link writeDeploymentDir}). Rendering the same plan again writes nothing.
 * @example
 * ```ts
 * import { createPlanFromUnknown, createRegistry, readNixosImports, renderDeployment } from "@fediversity/core";
 * import { mastodon } from "@fediversity/service-mastodon";
 * import { garage } from "@fediversity/storage-garage";
 *
 * declare const spec: unknown; // the deployment spec, e.g. a loaded fedi.config.ts
 * const configDir = "."; // the folder nixosImports paths are relative to
 * const registry = createRegistry([garage, mastodon]);
 * const imports = await readNixosImports(spec, configDir);
 * const plan = createPlanFromUnknown({ spec, registry, imports });
 * const { written, removed } = await renderDeployment(plan, { dir: "deploy", imports, configDir, stateDir: ".fedi" });
 * ```
 * @throws FediError `DEPLOY_DIR_OVERLAP`, `DEPLOY_DIR_FOREIGN_FILE`, `DEPLOY_DIR_EDITED`, `MACHINE_IMPORT_INVALID`,
 *   `SPEC_INVALID` (SSH settings NixOps4 cannot take), `USAGE` (imports needed but neither `imports` nor
 *   `configDir` given), `IO_FAILED`.
 */
export async function renderDeployment(plan: Plan, options: RenderDeploymentOptions): Promise<WriteReport> {
  await checkDeploymentDirLocation(options.dir, options);
  const needsImports = plan.machines.some((m) => m.nixosImports.length > 0);
  let imports = options.imports;
  if (imports === undefined && needsImports) {
    if (options.configDir === undefined) {
      throw new FediError(
        "USAGE",
        "renderDeployment: the plan's machines import files; pass options.imports or options.configDir.",
        {
          hint: "Pass the imports read for the plan (readNixosImports) or the config's folder to read them from.",
        },
      );
    }
    imports = await readNixosImports(plan, options.configDir);
  }
  const files = deploymentFiles(plan, {
    ...(imports !== undefined ? { imports } : {}),
    ...(options.defaultIdentityFile !== undefined ? { defaultIdentityFile: options.defaultIdentityFile } : {}),
  });
  return writeDeploymentDir(options.dir, files, { overwriteEdited: options.overwriteEdited === true });
}
