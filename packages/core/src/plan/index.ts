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
  checkNixosOverrides,
  definitionsOf,
  findNixosOverrides,
  type GeneratedDefinition,
  type GeneratedDefinitionKind,
  type NixosOverride,
  type NixosOverridesInput,
  nixosOverrideIssues,
  optionPathText,
  type UserDefinition,
  userDefinitionsOf,
} from "./nixos-overrides.js";
export {
  findNixosSecretProblems,
  NIXOS_NON_SECRET_NAMES,
  NIXOS_SECRET_HINT,
  type NixosSecretProblem,
  nixosSecretIssues,
} from "./nixos-secrets.js";
export {
  DEFAULT_PLACEMENT_SEARCH_STEPS,
  type PlacementInstance,
  type PlacementMachine,
  type PlacementOptions,
  type PlacementResult,
  placeInstances,
} from "./placement.js";
export { createPlan, createPlanFromUnknown, type PlanInput } from "./plan.js";
export * from "./types.js";
export { RESERVED_INSTANCE_NAMES, type ValidatedSpec, validateSpec } from "./validate.js";
