import type { SecretFileNeed, SecretNeed } from "@fediversity/core";

/**
 * Plugin-local ids of the Garage deployment secrets (their global names are `storage.<id>`). The runtime reads the
 * admin token with `input.secret(GARAGE_SECRET_IDS.adminToken)`.
 */
export const GARAGE_SECRET_IDS = Object.freeze({
  /** Cluster RPC secret shared by every node: 32 random bytes as hex. */
  rpcSecret: "rpc-secret",
  /** Admin API bearer token (full scope). */
  adminToken: "admin-token",
  /** Bearer token of the Prometheus `/metrics` endpoint. */
  metricsToken: "metrics-token",
} as const);

/** Plugin-local id of the environment file every node reads (`/run/fediversity/secrets/storage-env`). */
export const GARAGE_ENV_FILE_ID = "env";

/** The systemd unit of a Garage node (nixpkgs `services.garage`). */
export const GARAGE_UNIT = "garage.service";

/** The deployment secrets a Garage cluster needs. Hex values: safe in an environment file without quoting. */
export function garageSecrets(): SecretNeed[] {
  return [
    { id: GARAGE_SECRET_IDS.rpcSecret, generate: { kind: "random-hex", bytes: 32 } },
    { id: GARAGE_SECRET_IDS.adminToken, generate: { kind: "random-hex", bytes: 32 } },
    { id: GARAGE_SECRET_IDS.metricsToken, generate: { kind: "random-hex", bytes: 32 } },
  ];
}

/**
 * The environment file on every node (`services.garage.environmentFile`): Garage reads `GARAGE_RPC_SECRET`,
 * `GARAGE_ADMIN_TOKEN` and `GARAGE_METRICS_TOKEN` from its environment, so no secret enters `garage.toml` (which is
 * in the Nix store). Root-owned, 0400: systemd reads `EnvironmentFile=` as root before starting the DynamicUser.
 */
export function garageSecretFiles(): SecretFileNeed[] {
  return [
    {
      id: GARAGE_ENV_FILE_ID,
      owner: "root",
      group: "root",
      mode: "0400",
      neededBy: [GARAGE_UNIT],
      content: {
        kind: "env",
        entries: {
          GARAGE_RPC_SECRET: { secret: GARAGE_SECRET_IDS.rpcSecret },
          GARAGE_ADMIN_TOKEN: { secret: GARAGE_SECRET_IDS.adminToken },
          GARAGE_METRICS_TOKEN: { secret: GARAGE_SECRET_IDS.metricsToken },
        },
      },
    },
  ];
}
