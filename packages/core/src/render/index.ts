export { deploymentFiles, machineFile, memberPath } from "./deployment-files.js";
export { writeDeploymentDir, type WriteReport } from "./write.js";
export { buildMachineModule, type MachineModuleInput, ACME_STAGING_SERVER } from "./machine-module.js";
export { secretsInstallerModule, SECRETS_INSTALLER_FILE } from "./secrets-installer.js";
