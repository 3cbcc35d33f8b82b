import type { Leftover } from "../plan/types.js";
import type { DurableItem } from "../plugin/types.js";

/**
 * Schema version of {@link DeploymentState} that this SDK writes. Version 2 added `storage`; a version 1 file is read
 * as a state without it (see `StateStore.read`), and an older SDK refuses a version 2 file rather than drop the record.
 */
export const STATE_SCHEMA_VERSION = 2;

/** Schema versions of {@link DeploymentState} this SDK reads. */
export type StateSchemaVersion = 1 | typeof STATE_SCHEMA_VERSION;

/** What was last applied of the storage backend: its kind, the machines holding its data, its replication factor. */
export interface AppliedStorageRecord {
  /** Storage plugin kind. */
  kind: string;
  /** Storage node machine names, sorted. */
  nodes: string[];
  /** Replication factor, when the plugin reports one. */
  replicationFactor?: number;
  /**
   * What every storage node keeps on its machine, as the plugin declared (`StorageRequirements.keeps`; absent when it
   * declares nothing, and in states written before this was recorded). A node the next plan drops leaves exactly these.
   */
  keeps?: DurableItem[];
}

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
  /** What it keeps on its machine, as its plugin declared (absent when the plugin declares nothing). */
  keeps?: DurableItem[];
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
  /** {@link STATE_SCHEMA_VERSION}, or 1 for a state read from a file written before `storage` was recorded. */
  schemaVersion: StateSchemaVersion;
  /** Deployment name. */
  deployment: string;
  /** When the last apply finished (ISO 8601), or undefined if none finished yet. */
  appliedAt?: string;
  /** Applied instances by name. */
  instances: Record<string, AppliedInstance>;
  /** Applied machines by name. */
  machines: Record<string, AppliedMachine>;
  /** The storage backend as last applied; absent before the first apply (and in version 1 files). */
  storage?: AppliedStorageRecord;
  /** Things removed instances left behind, kept until the user deletes them. */
  leftovers: Leftover[];
  /** An unfinished apply. */
  progress?: ApplyProgress;
}

/** A state with nothing applied. */
export function emptyState(deployment: string): DeploymentState {
  return { schemaVersion: STATE_SCHEMA_VERSION, deployment, instances: {}, machines: {}, leftovers: [] };
}
