/**
 * Adopting an existing NixOS machine: reading what its new configuration must keep (hardware configuration,
 * stateVersion, boot loader, the deploy user's authorized keys) and writing its hardware configuration file.
 * @module
 */
export { type AdoptOptions, adoptMachine, type MachineStateVersion, readStateVersion } from "./adopt.js";
export {
  HARDWARE_CONFIG_HEADER,
  type HardwareConfigAction,
  type HardwareConfigWrite,
  hardwareConfigImport,
  hardwareConfigPath,
  type WriteHardwareConfigOptions,
  writeHardwareConfig,
} from "./hardware-file.js";
export {
  type AdoptedBoot,
  type AdoptedMachineFacts,
  type AdoptionReport,
  adoptedMachineFacts,
  type BootSource,
  type SkippedKeyLine,
  type StateVersionSource,
} from "./report.js";
export { ADOPT_NIX_FUNCTION, ADOPT_ROOT_SCRIPT, ADOPT_USER_SCRIPT } from "./scripts.js";
