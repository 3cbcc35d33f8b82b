export { bucketName, isValidBucketName, secretFileName, secretName } from "./allocate.js";
export {
  checkMachinesDeployable,
  deployabilityIssues,
  importIssues,
  type MachineBase,
  machineBase,
} from "./deployable.js";
export { diffAgainstState } from "./diff.js";
export {
  canonicalIPv6,
  type DnsPlanInput,
  type DnsRecord,
  type DnsRecordType,
  dnsNameMatches,
  planDns,
} from "./dns.js";
export {
  DEFAULT_PLACEMENT_SEARCH_STEPS,
  type PlacementInstance,
  type PlacementMachine,
  type PlacementOptions,
  type PlacementResult,
  placeInstances,
} from "./placement.js";
export { createPlan, type PlanInput } from "./plan.js";
export * from "./types.js";
export { RESERVED_INSTANCE_NAMES, type ValidatedSpec, validateSpec } from "./validate.js";
