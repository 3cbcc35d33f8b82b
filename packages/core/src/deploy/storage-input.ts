import { FediError } from "../errors.js";
import type { FediEvents } from "../events.js";
import type { MachinePool } from "../machine/index.js";
import { machineFacts } from "../plan/plan.js";
import type { Plan, PlannedMachine } from "../plan/types.js";
import type { StorageNode, StorageRuntimeInput } from "../plugin/types.js";
import type { SecretStore } from "../secrets/store.js";
import { type SshAuthOptions, sshTarget } from "./targets.js";
import type { DeployerOptions } from "./types.js";

/** What {@link storageRuntimeInput} reads from: the Deployer's options, the run's connections and events. */
export interface StorageInputSources {
  /** Secret store and SSH authentication. */
  options: Pick<DeployerOptions, "secrets" | "ssh">;
  /** SSH connections (tunnels to the storage nodes go through them). */
  pool: MachinePool;
  /** Where the storage runtime's progress messages go. */
  events: FediEvents;
  /** Cancels the storage operations. */
  signal?: AbortSignal;
}

/**
 * The input of the storage plugin's runtime operations (provision, verify): the plan's nodes, buckets with their
 * keys' values from the secret store, the storage secrets, and SSH tunnels to the nodes.
 * @throws FediError `SECRET_FAILED` when a key's secret is missing from the store.
 */
export async function storageRuntimeInput(plan: Plan, sources: StorageInputSources): Promise<StorageRuntimeInput> {
  const { options: o, pool, events, signal } = sources;
  const byName = new Map(plan.machines.map((m) => [m.name, m]));
  const nodes: StorageNode[] = plan.storage.nodes.map((n) => ({
    machine: machineFacts(byName.get(n.machine)!),
    zone: n.zone,
    capacityBytes: n.capacityBytes,
  }));
  const read = storageSecretReader(o.secrets);
  const keys = new Map(plan.keys.map((k) => [k.name, k]));
  const buckets = await Promise.all(
    plan.buckets.map(async (b) => {
      const key = keys.get(b.key)!;
      return {
        name: b.name,
        public: b.public,
        ...(b.cors ? { cors: b.cors } : {}),
        ...(b.quotas ? { quotas: b.quotas } : {}),
        key: {
          name: key.name,
          accessKeyId: await read(key.accessKeyIdSecret),
          secretAccessKey: await read(key.secretKeySecret),
        },
      };
    }),
  );
  return {
    options: plan.storage.options,
    nodes,
    ...(plan.storage.replicationFactor !== undefined ? { replicationFactor: plan.storage.replicationFactor } : {}),
    buckets,
    secret: (id) => read(`storage.${id}`),
    tunnel: storageNodeTunnel(byName, pool, o.ssh),
    progress: (message) => events.report("log", { message }),
    ...(signal ? { signal } : {}),
  };
}

/**
 * Reads a deployment secret's value for the storage runtime (bucket keys, `storage.<id>` secrets).
 * @throws FediError `SECRET_FAILED` when the secret is missing from the store.
 */
export function storageSecretReader(secrets: SecretStore): (name: string) => Promise<string> {
  return async (name) => {
    const value = await secrets.get(name);
    if (value === undefined)
      throw new FediError("SECRET_FAILED", `Secret '${name}' is missing from the secret store.`, {
        hint: "Run `fedi apply` again: its secrets step generates missing secrets.",
      });
    return value;
  };
}

/** The storage runtime's `tunnel`: a forwarded port to `127.0.0.1:port` on a node, through the pool's SSH. */
export function storageNodeTunnel(
  machines: ReadonlyMap<string, Pick<PlannedMachine, "name" | "host" | "ssh">>,
  pool: MachinePool,
  ssh: SshAuthOptions | undefined,
): StorageRuntimeInput["tunnel"] {
  return async (node, port) => {
    const machine = machines.get(node);
    if (!machine) throw new FediError("INTERNAL", `Storage node '${node}' is not a machine of the deployment.`);
    const t = await pool.openTunnel(sshTarget(machine, ssh), { remotePort: port });
    return { url: `http://127.0.0.1:${t.localPort}`, close: () => t.close() };
  };
}
