/**
 * `@fediversity/cli`: the `fedi` command, and `defineDeployment` for typed `fedi.config.ts` files.
 * This entry point is what config files import; it stays small (types and one identity function).
 * @packageDocumentation
 */
export {
  type BuiltinPlugins,
  type DefineDeploymentInput,
  type DeploymentConfig,
  type DeploymentConfigExport,
  type DeploymentConfigOf,
  defineDeployment,
} from "./config/define.js";
