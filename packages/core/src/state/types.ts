import type { Leftover } from "../plan/types.js";

/** Schema version of {@link DeploymentState}. */
export const STATE_SCHEMA_VERSION = 1;

/** What was last applied for one instance. */
export interface AppliedInstance {
  /** Plugin kind. */
  kind: string;
  /** Machine it runs on. */
  machine: string;
  /** Fingerprint of its options and module. */
  fingerprint: string;
  /** Buckets it owns. */
  buckets: string[];
  /** S3 key name. */
  key?: string;
  /** Secrets it owns (global names). */
  secrets: string[];
}

/** What was last applied for one machine. */
export interface AppliedMachine {
  /** Hash of the NixOS module that was applied. */
  configHash: string;
}

/** Progress of an apply that has not finished, so a re-run continues rather than repeats. */
export interface ApplyProgress {
  /** Hash of the plan being applied. */
  planHash: string;
  /** Steps finished, e.g. `preflight`, `storage`, `secrets:web01`, `nixops4`, `verify`. */
  completed: string[];
  /** When the apply started (ISO 8601). */
  startedAt: string;
}

/** `.fedi/state.json`: what was last applied. Contains no secret values. */
export interface DeploymentState {
  /** {@link STATE_SCHEMA_VERSION}. */
  schemaVersion: typeof STATE_SCHEMA_VERSION;
  /** Deployment name. */
  deployment: string;
  /** When the last apply finished (ISO 8601), or undefined if none finished yet. */
  appliedAt?: string;
  /** Applied instances by name. */
  instances: Record<string, AppliedInstance>;
  /** Applied machines by name. */
  machines: Record<string, AppliedMachine>;
  /** Things removed instances left behind, kept until the user deletes them. */
  leftovers: Leftover[];
  /** An unfinished apply. */
  progress?: ApplyProgress;
}

/** A state with nothing applied. */
export function emptyState(deployment: string): DeploymentState {
  return { schemaVersion: STATE_SCHEMA_VERSION, deployment, instances: {}, machines: {}, leftovers: [] };
}
