export { type FirewallPlan, firewallModule, iptablesCommands, nftablesRules, type SourceRule } from "./firewall.js";
export { firewallPlan, garageNodeModule } from "./node-module.js";
export {
  GARAGE_DATA_DIR,
  GARAGE_METADATA_DIR,
  GARAGE_PRIVATE_STATE_DIR,
  GARAGE_STATE_DIR,
  type GarageAdminSettings,
  type GarageS3ApiSettings,
  type GarageSettings,
  type GarageWebSettings,
  garageNodeKeeps,
  garageSettings,
} from "./settings.js";
export { bucketWebHost, webProxyModule } from "./web-proxy.js";
