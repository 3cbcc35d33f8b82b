import type { FediEvents } from "../events.js";
import type { RetryOptions } from "../machine/index.js";
import type { LocalToolsOptions } from "../machine/local-tools.js";
import type { Plan } from "../plan/types.js";
import type { PluginRegistry } from "../plugin/registry.js";
import type { SecretStore } from "../secrets/index.js";
import type { StateStore } from "../state/store.js";
import type { CheckResult } from "./health-checks.js";
import type { SshAuthOptions } from "./targets.js";

/**
 * Steps of {@link Deployer.apply}, in order. The cheap checks come first: nothing is written, committed or generated
 * before every machine answers over SSH and NixOps4 is found.
 */
export const APPLY_STEPS = [
  "preflight",
  "render",
  "secrets",
  "upload",
  "storage-nodes",
  "storage",
  "nixops4",
  "activate",
  "verify",
] as const;
/** A step of {@link Deployer.apply}. */
export type ApplyStep = (typeof APPLY_STEPS)[number];

/** Options of {@link Deployer}. */
export interface DeployerOptions {
  /** Plugins (the storage plugin's runtime operations provision buckets and keys). */
  registry: PluginRegistry;
  /** Where the deployment directory is written (a git repository NixOps4 reads). */
  deployDir: string;
  /**
   * Folder that relative paths in the spec (`machines[].nixosImports`) start from. Default: the working directory.
   * The deployment directory must not be or contain it (nor the state folder or a file secret store's folder).
   */
  configDir?: string;
  /** Let the render step replace generated files someone edited since the SDK wrote them (default false: refused). */
  overwriteEdited?: boolean;
  /** The state folder. */
  state: StateStore;
  /** Where secret values live. */
  secrets: SecretStore;
  /** NixOps4: binary (default `nixops4` on PATH) and extra environment. */
  nixops4?: { binary?: string; env?: Record<string, string | undefined> };
  /** SSH: authentication, concurrency (default 8), retries, connect timeout. */
  ssh?: SshAuthOptions & { concurrency?: number; retry?: RetryOptions; connectTimeoutMs?: number };
  /** Verification after apply: failing checks are retried every `intervalMs` (5 s) until `timeoutMs` (120 s). */
  verify?: { timeoutMs?: number; intervalMs?: number };
  /** Another event stream that should see every (redacted) event, e.g. the CLI's. */
  events?: FediEvents;
  /**
   * The check of what NixOps4 needs on this computer (`ssh`, `nix` with flakes), run by preflight when the run
   * switches machines. Default: the real programs, with the environment NixOps4 gets (`nixops4.env` over the
   * process's). `false` skips it.
   */
  localTools?: LocalToolsOptions | false;
}

/** Options of {@link Deployer.apply}. */
export interface ApplyOptions {
  /** Apply every machine, not only those whose configuration changed. */
  all?: boolean;
  /** Cancels the run; nothing is left half-written. */
  signal?: AbortSignal;
  /** Asked when the plan removes or moves instances or changes the storage nodes; returning false cancels first. */
  confirm?: (plan: Plan) => boolean | Promise<boolean>;
}

/** Outcome of one step. */
export interface StepReport {
  /** The step. */
  step: ApplyStep;
  /** `done`, `skipped` (nothing to do, or finished by an earlier run), or `failed`. */
  status: "done" | "skipped" | "failed";
  /** For people. */
  summary: string;
  /** Duration. */
  durationMs: number;
}

/** What {@link Deployer.apply} did. */
export interface ApplyReport {
  /** Nothing needed doing. */
  upToDate: boolean;
  /** Steps in order. */
  steps: StepReport[];
  /** NixOps4 member paths applied. */
  applied: string[];
  /** Health check results. */
  checks: CheckResult[];
  /** Total duration. */
  durationMs: number;
}

/** What {@link Deployer.status} found. */
export interface StatusReport {
  /** Per machine: reachable and facts, or the problem. */
  machines: Array<{ machine: string; reachable: boolean; facts?: Record<string, unknown>; problem?: string }>;
  /** Health checks of every instance and storage node. */
  checks: CheckResult[];
}
