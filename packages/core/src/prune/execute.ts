import { FediError, isFediError } from "../errors.js";
import type { ExecOptions, ExecResult } from "../machine/exec.js";
import { cancelledError } from "../machine/retry.js";
import type { StorageRemoval } from "../plugin/types.js";
import type { SecretStore } from "../secrets/store.js";
import type { DeploymentState } from "../state/types.js";
import {
  deleteDirectoryCommand,
  dropMysqlCommand,
  dropPostgresCommand,
  type PruneCommandOutcome,
  redisDataDir,
} from "./commands.js";
import { leftoverId, type PruneItem, type PrunePlan } from "./plan.js";

/** Runs a command as root on a machine (e.g. `MachinePool.exec` with the machine's SSH target, sudo for non-root). */
export type PruneRunner = (machine: string, command: string, options: ExecOptions) => Promise<ExecResult>;

/**
 * Deletes buckets and keys of the storage backend: a storage plugin's {@link StorageRemoval} session (see
 * `StorageRuntime.removal`), or anything with the same two operations.
 */
export type PruneStorage = Pick<StorageRemoval, "deleteBucket" | "deleteKey">;

/** What {@link prune} needs. */
export interface PruneOptions {
  /** Runs commands on the machines. */
  run: PruneRunner;
  /** The local secret store. */
  secrets: SecretStore;
  /** Storage operations; without them bucket and key items fail (and stay recorded). */
  storage?: PruneStorage;
  /** Reports each item as it is done. */
  onItem?: (result: PruneItemResult) => void;
  /** Cancellation: items not started stay recorded. */
  signal?: AbortSignal;
}

/** The outcome of one item. */
export interface PruneItemResult {
  /** The item. */
  item: PruneItem;
  /** `deleted`, `already-gone` (idempotent re-run), `kept` (manual items) or `failed`. */
  outcome: "deleted" | "already-gone" | "kept" | "failed";
  /** For `failed`: what went wrong (no secret value). */
  error?: string;
}

/** What {@link prune} did. */
export interface PruneReport {
  /** Every item's outcome, in plan order. */
  results: PruneItemResult[];
  /** Identities (`leftoverId`) of the leftovers that are gone now and can be forgotten. */
  gone: string[];
  /** Number of failed items. */
  failed: number;
}

/**
 * Executes a {@link PrunePlan}: drops databases and deletes directories on the machines (through `options.run`, every
 * value shell-quoted, SQL identifiers quoted), deletes buckets and keys through `options.storage` and secrets from the
 * store. Idempotent: an item that is not there is `already-gone`. A failed item does not stop the others; it stays
 * recorded. Record the result with {@link forgetPruned} (under the state lock).
 */
export async function prune(plan: PrunePlan, options: PruneOptions): Promise<PruneReport> {
  const results: PruneItemResult[] = [];
  for (const group of plan.groups) {
    for (const item of group.items) {
      if (options.signal?.aborted) throw cancelledError("prune");
      const result = await pruneItem(item, options);
      results.push(result);
      options.onItem?.(result);
    }
  }
  return {
    results,
    gone: results.filter((r) => r.outcome === "deleted" || r.outcome === "already-gone").map((r) => r.item.leftover),
    failed: results.filter((r) => r.outcome === "failed").length,
  };
}

async function pruneItem(item: PruneItem, options: PruneOptions): Promise<PruneItemResult> {
  try {
    const outcome = await perform(item, options);
    return { item, outcome: outcome === "kept" ? "kept" : outcome === "deleted" ? "deleted" : "already-gone" };
  } catch (error) {
    if (isFediError(error) && error.code === "CANCELLED") throw error;
    return { item, outcome: "failed", error: isFediError(error) ? error.message : String(error) };
  }
}

async function perform(item: PruneItem, options: PruneOptions): Promise<PruneCommandOutcome | "kept"> {
  switch (item.kind) {
    case "manual":
      return "kept";
    case "secret":
      if (!(await options.secrets.has(item.name))) return "absent";
      await options.secrets.delete(item.name);
      return "deleted";
    case "bucket":
    case "key": {
      if (!options.storage)
        throw new FediError("PRUNE_FAILED", `No storage runtime to delete ${item.kind} '${item.name}'.`);
      return item.kind === "bucket" ? options.storage.deleteBucket(item.name) : options.storage.deleteKey(item.name);
    }
    case "directory":
      return remote(item.machine, deleteDirectoryCommand(item.path), `delete ${item.path}`, options);
    case "database": {
      const command =
        item.engine === "postgresql"
          ? dropPostgresCommand(item.name)
          : item.engine === "mysql"
            ? dropMysqlCommand(item.name)
            : deleteDirectoryCommand(redisDataDir(item.name));
      return remote(item.machine, command, `drop ${item.engine} database ${item.name}`, options);
    }
  }
}

async function remote(
  machine: string,
  command: string,
  label: string,
  options: PruneOptions,
): Promise<PruneCommandOutcome> {
  const r = await options.run(machine, command, { label, ...(options.signal ? { signal: options.signal } : {}) });
  const last = r.stdout.trim().split("\n").pop();
  if (r.code === 0 && (last === "deleted" || last === "absent")) return last;
  throw new FediError(
    "PRUNE_FAILED",
    `"${label}" on '${machine}' failed (exit ${r.code ?? r.signal ?? "?"})${r.stderr.trim() ? `: ${r.stderr.trim().split("\n").slice(-3).join(" ")}` : ""}.`,
    { machine },
  );
}

/** The state without the leftovers `report` deleted (or found gone); write it atomically under the state lock. */
export function forgetPruned(state: DeploymentState, report: PruneReport): DeploymentState {
  const gone = new Set(report.gone);
  return { ...state, leftovers: state.leftovers.filter((l) => !gone.has(leftoverId(l))) };
}
