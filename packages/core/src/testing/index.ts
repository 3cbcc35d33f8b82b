export { requireNix } from "./require-nix.js";
export { checkServicePlugin, secretLookingValues, type CheckedModule, type ServicePluginCases, type ServicePluginReport } from "./plugin-kit.js";
