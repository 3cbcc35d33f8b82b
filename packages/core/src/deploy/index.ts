export { Deployer, APPLY_STEPS, type ApplyStep, type ApplyOptions, type ApplyReport, type DeployerOptions, type StatusReport, type StepReport } from "./deployer.js";
export { runHealthCheck, describeCheck, type CheckResult } from "./health-checks.js";
export { syncSecretFiles, type SecretSyncResult } from "./secret-files.js";
export { sshTarget, type SshAuthOptions } from "./targets.js";
