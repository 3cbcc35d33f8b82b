import { defineService, type HealthCheck, type ServicePlugin } from "@fediversity/core";
import { mastodonModule } from "./module.js";
import { MastodonOptions, type MastodonOptionsInput } from "./options.js";
import { mastodonRequirements, streamingProcesses } from "./requirements.js";

/** Health checks: the long-running units and Mastodon's `/health` endpoint (plain `OK`). */
function mastodonChecks(options: MastodonOptions): HealthCheck[] {
  const streaming = Array.from(
    { length: streamingProcesses(options) },
    (_, i) => `mastodon-streaming-${i + 1}.service`,
  );
  return [
    { kind: "systemd-unit", unit: "postgresql.service" },
    { kind: "systemd-unit", unit: "redis-mastodon.service" },
    { kind: "systemd-unit", unit: "mastodon-web.service" },
    { kind: "systemd-unit", unit: "mastodon-sidekiq-all.service" },
    ...streaming.map((unit): HealthCheck => ({ kind: "systemd-unit", unit })),
    { kind: "systemd-unit", unit: "nginx.service" },
    { kind: "http", url: `https://${options.domain}/health`, expectStatus: [200], viaMachine: true },
  ];
}

/**
 * The Mastodon service plugin: one Mastodon instance per machine through nixpkgs' `services.mastodon`, with media in
 * an S3 bucket, local PostgreSQL and Redis, nginx with Let's Encrypt, SDK-managed secrets, and an optional initial
 * owner account.
 */
export const mastodon: ServicePlugin<MastodonOptions, "mastodon", MastodonOptionsInput> = defineService({
  kind: "mastodon",
  apiVersion: 1,
  coreVersion: "^0.1.0",
  displayName: "Mastodon",
  options: MastodonOptions,
  requirements: mastodonRequirements,
  nixos: mastodonModule,
  checks: (_ctx, options) => mastodonChecks(options),
});
