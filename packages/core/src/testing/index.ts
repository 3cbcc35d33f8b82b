export {
  type CheckedModule,
  checkServicePlugin,
  type ServicePluginCases,
  type ServicePluginReport,
  secretLookingValues,
} from "./plugin-kit.js";
export { requireNix } from "./require-nix.js";
