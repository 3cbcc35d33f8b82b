import { storageNodeTunnel, storageSecretReader } from "../deploy/storage-input.js";
import type { SshAuthOptions } from "../deploy/targets.js";
import { FediError } from "../errors.js";
import type { MachinePool } from "../machine/pool.js";
import type { DeploymentSpec } from "../model/spec.js";
import { machineFacts } from "../plan/stages/validate.js";
import type { StorageNode, StoragePlugin, StorageRemoval } from "../plugin/types.js";
import type { SecretStore } from "../secrets/store.js";
import type { DeploymentState } from "../state/types.js";
import type { PruneStorage } from "./execute.js";

/** What {@link pruneStorage} needs to reach the storage backend. */
export interface PruneStorageSources {
  /** The validated spec (machines: how to reach the storage nodes). */
  spec: DeploymentSpec;
  /** The storage plugin and its validated options (`validateSpec(...).storage`). */
  storage: { plugin: StoragePlugin<unknown>; options: unknown };
  /** The state: which machines hold the storage backend's data (`state.storage.nodes`). */
  state: DeploymentState;
  /** The secret store (the storage's own secrets, e.g. Garage's admin token). */
  secrets: SecretStore;
  /** SSH connections; tunnels to the storage nodes go through them. */
  pool: MachinePool;
  /** SSH authentication, as for the deployer. */
  ssh?: SshAuthOptions;
  /** Progress messages of the storage runtime. */
  progress?: (message: string) => void;
  /** Cancellation. */
  signal?: AbortSignal;
}

/** A {@link PruneStorage} that must be closed (it may hold tunnels and session resources). */
export interface PruneStorageSession extends PruneStorage {
  /** Closes the storage session if one was opened. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The storage operations of a prune, through the storage plugin's `runtime.removal` session. The session is opened
 * on the first bucket or key deletion (a prune of databases and secrets only never reaches the storage backend) and
 * once: a failure to open it fails every bucket and key item with the same error. The nodes are the machines the
 * state records as holding the data (`state.storage.nodes`, the cluster as last applied, whatever the current spec
 * would plan), as far as the spec still names them; no plan is made, so a spec a plan would refuse (for example
 * one that reuses a removed instance's name) can still be pruned.
 * @throws FediError `PRUNE_FAILED` (from the operations) when the plugin has no removal operation, no storage node is
 * recorded, or none of them is in the spec any more.
 */
export function pruneStorage(sources: PruneStorageSources): PruneStorageSession {
  let opening: Promise<StorageRemoval> | undefined;
  let closed = false;
  const session = () => {
    if (closed) return Promise.reject(new FediError("INTERNAL", "The prune's storage session is closed."));
    opening ??= openRemoval(sources);
    return opening;
  };
  return {
    deleteBucket: async (name) => (await session()).deleteBucket(name),
    deleteKey: async (name) => (await session()).deleteKey(name),
    async close() {
      closed = true;
      const pending = opening;
      opening = undefined;
      if (pending) await pending.then((s) => s.close()).catch(() => {});
    },
  };
}

async function openRemoval(sources: PruneStorageSources): Promise<StorageRemoval> {
  const { spec, storage, state } = sources;
  const kind = storage.plugin.kind;
  const removal = storage.plugin.runtime?.removal;
  if (!removal) {
    throw new FediError("PRUNE_FAILED", `The storage plugin '${kind}' cannot delete buckets or keys.`, {
      hint: "Delete them with the storage backend's own tools, then run `fedi prune` again to forget them.",
    });
  }
  const recorded = state.storage?.kind === kind ? state.storage.nodes : [];
  if (recorded.length === 0) {
    throw new FediError("PRUNE_FAILED", `The state records no ${kind} storage nodes to delete buckets or keys on.`, {
      hint: "Apply the deployment once (it records the storage nodes), or delete the buckets and keys by hand.",
    });
  }
  const byName = new Map(spec.machines.map((m) => [m.name, m]));
  const present = recorded.filter((n) => byName.has(n));
  if (present.length === 0) {
    throw new FediError(
      "PRUNE_FAILED",
      `None of the storage nodes the state records (${recorded.join(", ")}) is in the config any more.`,
      { hint: "Add a storage node machine back to the config to reach the cluster, or delete by hand." },
    );
  }
  // Zone and capacity as the planner's defaults give them; removal only needs to reach the nodes.
  const nodes: StorageNode[] = present.map((n) => {
    const m = byName.get(n)!;
    return { machine: machineFacts(m), zone: m.zone ?? m.name, capacityBytes: m.resources.diskGiB * 1024 ** 3 };
  });
  const read = storageSecretReader(sources.secrets);
  return removal({
    options: storage.options,
    nodes,
    secret: (id) => read(`storage.${id}`),
    tunnel: storageNodeTunnel(byName, sources.pool, sources.ssh),
    progress: sources.progress ?? (() => {}),
    ...(sources.signal ? { signal: sources.signal } : {}),
  });
}
