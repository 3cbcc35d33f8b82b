export {
  ACME_STAGING_SERVER,
  buildMachineModule,
  type MachineModuleInput,
  machineModuleDefinitions,
} from "../plan/machine-module.js";
export { SECRETS_INSTALLER_UNIT, staticModuleDefinitions } from "../plan/static-module-options.js";
export { type DeploymentFilesOptions, deploymentFiles, machineFile, memberPath } from "./deployment-files.js";
export { checkDeploymentDirLocation, type GuardedFolders } from "./location.js";
export { machineImportCopies, readMachineImports } from "./machine-imports.js";
export {
  DEPLOYMENT_MANIFEST_FILE,
  DEPLOYMENT_MANIFEST_VERSION,
  type DeploymentManifest,
  manifestHash,
  readDeploymentManifest,
} from "./manifest.js";
export { type RenderDeploymentOptions, renderDeployment } from "./render-deployment.js";
export {
  BASE_MODULE_FILE,
  SECRETS_INSTALLER_FILE,
  STATIC_NIX_FILES,
  staticNixDir,
  staticNixModules,
} from "./static-modules.js";
export { GENERATED_MARK, type WriteDeploymentDirOptions, type WriteReport, writeDeploymentDir } from "./write.js";
export { DEFAULT_DNS_TTL, type ZoneFileOptions, zoneFileFragment } from "./zone-file.js";
