import type { DurableItem, MachineFacts } from "@fediversity/core";
import { hostPort } from "../address.js";
import type { GarageOptions } from "../options.js";

/** Where Garage keeps its metadata; under `/var/lib/garage`, so the nixpkgs module's `StateDirectory` covers it. */
export const GARAGE_METADATA_DIR = "/var/lib/garage/meta";
/** Where Garage keeps object data blocks. */
export const GARAGE_DATA_DIR = "/var/lib/garage/data";

/**
 * Where the Garage unit's state really is. nixpkgs' `services.garage` (nixos/modules/services/web-servers/garage.nix)
 * sets `StateDirectory = "garage"` (the data and metadata directories are under `/var/lib/garage`) and
 * `DynamicUser = lib.mkDefault true`; with a dynamic user systemd keeps the state directory at
 * `/var/lib/private/garage` and makes `/var/lib/garage` a symlink to it (systemd.exec(5), `StateDirectory=`).
 */
export const GARAGE_PRIVATE_STATE_DIR = "/var/lib/private/garage";

/** The unit's state directory as services see it: `/var/lib/garage` (a symlink under `DynamicUser`, see above). */
export const GARAGE_STATE_DIR = "/var/lib/garage";

/**
 * What every Garage node keeps on its machine (`StorageRequirements.keeps`), in deletion order: the metadata
 * directory (node key, cluster layout, the metadata database) and the data directory (object blocks), the unit's
 * private state directory, then `/var/lib/garage` itself. A prune never follows a symlink as the last component of a
 * path, but does resolve the ones before it: under the module's `DynamicUser` the first two are deleted through the
 * `/var/lib/garage` symlink, the third is the real state directory, and the last removes the then dangling link;
 * without a dynamic user the third is absent and the last is the real directory. Either way, and in any order, every
 * byte goes: `/var/lib/garage` is never the only path listed, since deleting a symlink alone leaves the data behind.
 */
export function garageNodeKeeps(): DurableItem[] {
  return [
    { kind: "directory", path: GARAGE_METADATA_DIR },
    { kind: "directory", path: GARAGE_DATA_DIR },
    { kind: "directory", path: GARAGE_PRIVATE_STATE_DIR },
    { kind: "directory", path: GARAGE_STATE_DIR },
  ];
}

/** The `[s3_api]` section. */
export type GarageS3ApiSettings = {
  /** Listen address of the S3 API. */
  api_bind_addr: string;
  /** Region clients must use. */
  s3_region: string;
  /** Suffix for virtual-host style requests (`.<domain>`). */
  root_domain?: string;
};

/** The `[s3_web]` section. */
export type GarageWebSettings = {
  /** Listen address of the web endpoint. */
  bind_addr: string;
  /** Suffix removed from the Host header to find the bucket (`.<domain>`). */
  root_domain: string;
};

/** The `[admin]` section. */
export type GarageAdminSettings = {
  /** Listen address of the admin API. */
  api_bind_addr: string;
};

/** The `garage.toml` settings of one node, as `services.garage.settings` takes them. */
export interface GarageSettings {
  /** Copies of each object; identical on every node. */
  replication_factor: number;
  /** Read/write quorum behaviour. */
  consistency_mode: string;
  /** Metadata engine. */
  db_engine: string;
  /** Metadata directory. */
  metadata_dir: string;
  /** Data directory (one; its capacity lives in the cluster layout). */
  data_dir: string;
  /** RPC listen address. */
  rpc_bind_addr: string;
  /** Address the other nodes connect to. */
  rpc_public_addr: string;
  /** S3 API. */
  s3_api: GarageS3ApiSettings;
  /** Web endpoint for public buckets; only with a web root domain (Garage requires `root_domain` in it). */
  s3_web?: GarageWebSettings;
  /** Admin API, on localhost only (the deployer reaches it through an SSH tunnel). */
  admin: GarageAdminSettings;
}

/**
 * The settings of the node on `machine`. No secret is among them: they land in `/etc/garage.toml` in the Nix store;
 * the RPC secret and the tokens come from the environment file. `bootstrap_peers` is not set: the deployer joins the
 * nodes through the admin API (ConnectClusterNodes), and Garage remembers its peers in its metadata.
 * `replication_factor` (since Garage 1.0) is understood by both `garage_1` and `garage_2`.
 */
export function garageSettings(
  machine: MachineFacts,
  options: GarageOptions,
  replicationFactor: number,
): GarageSettings {
  const { ports } = options;
  return {
    replication_factor: replicationFactor,
    consistency_mode: options.consistencyMode,
    db_engine: options.dbEngine,
    metadata_dir: GARAGE_METADATA_DIR,
    data_dir: GARAGE_DATA_DIR,
    rpc_bind_addr: `[::]:${ports.rpc}`,
    rpc_public_addr: hostPort(machine.host, ports.rpc),
    s3_api: {
      api_bind_addr: `[::]:${ports.s3}`,
      s3_region: options.s3Region,
      ...(options.s3RootDomain ? { root_domain: `.${options.s3RootDomain}` } : {}),
    },
    ...(options.webRootDomain
      ? { s3_web: { bind_addr: `[::]:${ports.web}`, root_domain: `.${options.webRootDomain}` } }
      : {}),
    admin: { api_bind_addr: `127.0.0.1:${ports.admin}` },
  };
}
