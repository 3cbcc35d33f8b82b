import { defineStorage, type HealthCheck, ownValue, recordFromEntries, type StoragePlugin } from "@fediversity/core";
import { garagePublicUrl, garageS3Access } from "./access.js";
import { garageDns } from "./dns.js";
import { garageNodeModule } from "./nixos/node-module.js";
import { garageNodeKeeps } from "./nixos/settings.js";
import { GarageOptions, type GarageOptionsInput } from "./options.js";
import { garageRuntime } from "./runtime-operations.js";
import { GARAGE_UNIT, garageSecretFiles, garageSecrets } from "./secrets.js";
import { resolveTopology } from "./topology.js";

/**
 * What one Garage node needs from its machine beyond the OS reserve. Garage's data capacity is not counted here: it
 * is a placement weight in the cluster layout, not a reservation (see `capacityGiB`).
 */
export const GARAGE_NODE_RESOURCES = Object.freeze({
  /** CPU cores. */
  cpus: 0.5,
  /** Memory in MiB. */
  memoryMiB: 1024,
  /** Disk in GiB (metadata; object data is not reserved). */
  diskGiB: 1,
});

/** The health checks of one storage node: the systemd unit, and Garage's own `/health` on the local admin port. */
export function garageChecks(options: GarageOptions): HealthCheck[] {
  return [
    { kind: "systemd-unit", unit: GARAGE_UNIT },
    {
      kind: "command",
      command: `curl -fsS --max-time 10 http://127.0.0.1:${options.ports.admin}/health`,
      description: "Garage answers on its admin API and has quorum for reads and writes (GET /health)",
    },
  ];
}

/**
 * The Garage storage backend plugin (kind `garage`): chooses the storage nodes, generates each node's NixOS
 * configuration (nixpkgs `services.garage`), tells services how to reach S3, and gives public buckets their URLs.
 * Cluster layout, buckets, keys, website access and CORS are set at deploy time through the admin API. Every node
 * declares its metadata and data directories as what it keeps ({@link garageNodeKeeps}): a dropped node leaves them
 * recorded for `fedi prune`.
 */
export const garage: StoragePlugin<GarageOptions, "garage", GarageOptionsInput> = defineStorage({
  kind: "garage",
  apiVersion: 1,
  coreVersion: "^0.1.0",
  displayName: "Garage",
  options: GarageOptions,
  requirements(options, machines, applied) {
    const topology = resolveTopology(options, machines, applied);
    const capacity = options.capacityGiB;
    return {
      nodes: topology.nodes,
      perNode: { ...GARAGE_NODE_RESOURCES },
      secrets: garageSecrets(),
      secretFiles: garageSecretFiles(),
      exclusive: topology.dedicated,
      replicationFactor: topology.replicationFactor,
      keeps: garageNodeKeeps(),
      layout: recordFromEntries(
        topology.nodes.map((name) => {
          const gib = typeof capacity === "number" ? capacity : ownValue(capacity, name);
          return [
            name,
            {
              zone: ownValue(topology.zones, name)!,
              ...(gib === undefined ? {} : { capacityBytes: Math.floor(gib * 1024 ** 3) }),
            },
          ];
        }),
      ),
    };
  },
  nixos: (ctx, node, options) => garageNodeModule(ctx, node, options),
  s3Access: (ctx, machine, options) => garageS3Access(ctx, machine, options),
  publicUrl: (bucket, options) => garagePublicUrl(bucket, options),
  checks: (_ctx, _node, options) => garageChecks(options),
  dns: (ctx, options) => garageDns(ctx, options),
  runtime: garageRuntime(),
});
