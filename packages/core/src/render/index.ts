export { ACME_STAGING_SERVER, buildMachineModule, type MachineModuleInput } from "../plan/machine-module.js";
export { type DeploymentFilesOptions, deploymentFiles, machineFile, memberPath } from "./deployment-files.js";
export { machineImportCopies, readMachineImports } from "./machine-imports.js";
export {
  BASE_MODULE_FILE,
  SECRETS_INSTALLER_FILE,
  STATIC_NIX_FILES,
  staticNixDir,
  staticNixModules,
} from "./static-modules.js";
export { type WriteReport, writeDeploymentDir } from "./write.js";
export { DEFAULT_DNS_TTL, type ZoneFileOptions, zoneFileFragment } from "./zone-file.js";
