export { type DeploymentFilesOptions, deploymentFiles, machineFile, memberPath } from "./deployment-files.js";
export { readMachineImports } from "./machine-imports.js";
export { ACME_STAGING_SERVER, buildMachineModule, type MachineModuleInput } from "./machine-module.js";
export { SECRETS_INSTALLER_FILE, secretsInstallerModule } from "./secrets-installer.js";
export { type WriteReport, writeDeploymentDir } from "./write.js";
export { DEFAULT_DNS_TTL, type ZoneFileOptions, zoneFileFragment } from "./zone-file.js";
