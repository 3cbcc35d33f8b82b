import { defineService, type HealthCheck, type ServicePlugin } from "@fediversity/core";
import { peertubeModule } from "./module.js";
import { PeertubeOptions, type PeertubeOptionsInput } from "./options.js";
import { peertubeRequirements } from "./requirements.js";

/** Health checks: database, Redis, PeerTube, nginx, and PeerTube's public configuration endpoint. */
function peertubeChecks(options: PeertubeOptions): HealthCheck[] {
  return [
    { kind: "systemd-unit", unit: "postgresql.service" },
    { kind: "systemd-unit", unit: "redis-peertube.service" },
    { kind: "systemd-unit", unit: "peertube.service" },
    { kind: "systemd-unit", unit: "nginx.service" },
    { kind: "http", url: `https://${options.domain}/api/v1/config`, expectStatus: [200], viaMachine: true },
  ];
}

/**
 * The PeerTube service plugin: one PeerTube instance per machine through nixpkgs' `services.peertube`, with videos in
 * S3 buckets (virtual-host style), local PostgreSQL and Redis, nginx with Let's Encrypt, SDK-managed secrets, and an
 * optional initial password for the `root` account.
 */
export const peertube: ServicePlugin<PeertubeOptions, "peertube", PeertubeOptionsInput> = defineService({
  kind: "peertube",
  apiVersion: 1,
  coreVersion: "^0.1.0",
  displayName: "PeerTube",
  options: PeertubeOptions,
  requirements: peertubeRequirements,
  nixos: peertubeModule,
  checks: (_ctx, options) => peertubeChecks(options),
});
