/**
 * The NixOps4 adapter: everything NixOps4-specific lives here. Prepares the rendered deployment directory as a git
 * repository, runs `nixops4`, streams and attributes its output, and classifies its failures.
 * @packageDocumentation
 */
export {
  attributeLine,
  failedResourceInLine,
  hostInLine,
  machineForHost,
  machineForResource,
  machineForSystemPath,
  machineOfMember,
  memberInLoadError,
  type NixOps4Context,
} from "./attribute.js";
export {
  classifyNixOps4Failure,
  NIXOPS4_FAILURE_KINDS,
  type NixOps4Failure,
  type NixOps4FailureKind,
  type NixOps4FailureSignal,
} from "./classify.js";
export {
  buildApplyArgs,
  buildMembersListArgs,
  NIXOPS4_INSTALL_HINT,
  type NixOps4ApplyOptions,
  type NixOps4ApplyResult,
  NixOps4Driver,
  type NixOps4DriverOptions,
  type NixOps4Line,
  type NixOps4MembersListOptions,
} from "./driver.js";
export { NIXOPS4_FAILURE_DESCRIPTIONS, NIXOPS4_FAILURE_HINTS } from "./hints.js";
export {
  DEPLOYMENT_COMMIT_IDENTITY,
  type PrepareDeploymentRepoOptions,
  type PrepareDeploymentRepoResult,
  prepareDeploymentRepo,
} from "./repo.js";
export {
  identityFileProblem,
  type NixOps4Ssh,
  type NixOps4SshFields,
  type NixOps4SshInput,
  nixops4Ssh,
  nixops4SshEnvironment,
} from "./ssh-options.js";
export { normaliseHost, stripAnsi } from "./text.js";
