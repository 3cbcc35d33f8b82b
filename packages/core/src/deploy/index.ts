export {
  APPLY_STEPS,
  type ApplyOptions,
  type ApplyReport,
  type ApplyStep,
  Deployer,
  type DeployerOptions,
  type StatusReport,
  type StepReport,
} from "./deployer.js";
export {
  checkDns,
  type DnsCheckResult,
  type DnsCheckStatus,
  type DnsResolver,
  WILDCARD_PROBE_LABEL,
} from "./dns-check.js";
export {
  type CheckOutcome,
  type CheckResult,
  describeCheck,
  type HealthCheckOptions,
  runHealthCheck,
} from "./health-checks.js";
export { type SecretSyncResult, syncSecretFiles } from "./secret-files.js";
export { type SshAuthOptions, sshTarget } from "./targets.js";
