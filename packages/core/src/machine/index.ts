/**
 * Machines layer: talking to existing NixOS machines over SSH with a pinned host key — commands, atomic SFTP
 * uploads, tunnels, retries, a connection pool and preflight facts. It never prints; progress goes to callbacks.
 * @module
 */
export {
  ADOPT_NIX_FUNCTION,
  ADOPT_ROOT_SCRIPT,
  ADOPT_USER_SCRIPT,
  type AdoptedBoot,
  type AdoptedMachineFacts,
  type AdoptionReport,
  type AdoptOptions,
  adoptedMachineFacts,
  adoptMachine,
  type BootSource,
  HARDWARE_CONFIG_HEADER,
  type HardwareConfigAction,
  type HardwareConfigWrite,
  hardwareConfigImport,
  hardwareConfigPath,
  type MachineStateVersion,
  readStateVersion,
  type SkippedKeyLine,
  type StateVersionSource,
  type WriteHardwareConfigOptions,
  writeHardwareConfig,
} from "./adopt/index.js";
export { type ConnectOptions, connect, connectOnce, IdentityKeyCache, SshConnection } from "./connection.js";
export type { MachineEvent, MachineEventListener } from "./events.js";
export type { ExecCheckedOptions, ExecOptions, ExecResult } from "./exec.js";
export { sudoCommand } from "./exec.js";
export {
  checkFacts,
  FACTS_SCRIPT,
  type FactCheck,
  type FactExpectations,
  gatherFacts,
  MEMORY_SLACK,
  nixSystem,
  nixTrust,
  type PreflightFacts,
  type PreflightProblem,
  parseFacts,
  type SystemdState,
} from "./facts.js";
export {
  fingerprintSha256,
  HOST_KEY_TYPES,
  type HostKeyType,
  type OpenSshPublicKey,
  parseOpenSshPublicKey,
  validateOpenSshPublicKey,
} from "./host-key.js";
export { type KeyscanOptions, type KeyscanResult, keyscan } from "./keyscan.js";
export {
  checkLocalTools,
  LOCAL_MACHINE,
  type LocalRunner,
  type LocalRunResult,
  type LocalToolsOptions,
  localRunner,
  runLocal,
} from "./local-tools.js";
export { DEFAULT_PROBE_CONCURRENCY, MachinePool, type MachinePoolOptions, type WithMachineOptions } from "./pool.js";
export {
  assertPreflight,
  type PreflightMachine,
  type PreflightOptions,
  type PreflightReport,
  preflight,
} from "./preflight.js";
export {
  backoffDelay,
  DEFAULT_RETRY,
  type RetryOptions,
  type RetryTransientOptions,
  retryTransient,
} from "./retry.js";
export {
  type ReadFileOptions,
  type RemoveFileOptions,
  readRemoteFile,
  removeRemoteFile,
  removeStaleUploads,
  type UploadOptions,
  uploadFile,
  uploadTempPrefix,
} from "./sftp.js";
export { checkRemotePath, shellQuote } from "./shell.js";
export { isTransientSshError } from "./ssh-errors.js";
export type {
  SftpDirEntry,
  SftpOpenFlags,
  SftpSession,
  SftpStats,
  SshCallback,
  SshChannel,
  SshClient,
} from "./ssh-types.js";
export { describeTarget, hostPort, type SshTarget } from "./target.js";
export { openTunnel, type Tunnel, type TunnelOptions } from "./tunnel.js";
