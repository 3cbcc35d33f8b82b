/**
 * `@fediversity/storage-garage`: the Garage S3 storage backend of the Fediversity SDK. The plugin ({@link garage})
 * chooses storage nodes and generates their NixOS configuration; the runtime half (admin API client, cluster layout,
 * bucket and key provisioning, verification) is re-exported from `./runtime.js`.
 * @packageDocumentation
 */
export { type GarageAccessContext, garagePublicUrl, garageS3Access, s3NodeFor } from "./access.js";
export { hostPort, isIpAddress } from "./address.js";
export { garageDns } from "./dns.js";
export * from "./nixos/index.js";
export {
  GARAGE_DEFAULT_PORTS,
  GARAGE_PACKAGES,
  GarageOptions,
  type GarageOptionsInput,
  type GaragePorts,
} from "./options.js";
export { GARAGE_NODE_RESOURCES, garage, garageChecks } from "./plugin.js";
export * from "./runtime.js";
export { GARAGE_ENV_FILE_ID, GARAGE_SECRET_IDS, GARAGE_UNIT, garageSecretFiles, garageSecrets } from "./secrets.js";
export {
  defaultReplicationFactor,
  type GarageLayoutNode,
  type GarageTopology,
  garageLayoutNodes,
  hostnameIssue,
  OPTIONS_PATH,
  resolveTopology,
  throwOptionsIssues,
} from "./topology.js";
