import type { MachineFacts } from "@fediversity/core";
import { hostPort } from "../address.js";
import type { GarageOptions } from "../options.js";

/** Where Garage keeps its metadata; under `/var/lib/garage`, so the nixpkgs module's `StateDirectory` covers it. */
export const GARAGE_METADATA_DIR = "/var/lib/garage/meta";
/** Where Garage keeps object data blocks. */
export const GARAGE_DATA_DIR = "/var/lib/garage/data";

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
