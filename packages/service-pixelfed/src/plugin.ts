import { defineService, type HealthCheck, type ServicePlugin } from "@fediversity/core";
import { pixelfedModule } from "./module.js";
import { PixelfedOptions, type PixelfedOptionsInput } from "./options.js";
import { pixelfedRequirements } from "./requirements.js";

/** Health checks: PHP-FPM, the queue worker, database, Redis, nginx, and the NodeInfo document Pixelfed serves. */
function pixelfedChecks(options: PixelfedOptions): HealthCheck[] {
  return [
    { kind: "systemd-unit", unit: "mysql.service" },
    { kind: "systemd-unit", unit: "redis-pixelfed.service" },
    { kind: "systemd-unit", unit: "phpfpm-pixelfed.service" },
    { kind: "systemd-unit", unit: "pixelfed-horizon.service" },
    { kind: "systemd-unit", unit: "nginx.service" },
    { kind: "http", url: `https://${options.domain}/api/nodeinfo/2.0.json`, expectStatus: [200], viaMachine: true },
  ];
}

/**
 * The Pixelfed service plugin: one Pixelfed instance per machine through nixpkgs' `services.pixelfed`, with media in
 * an S3 bucket, the module's local MariaDB and Redis, nginx with Let's Encrypt, SDK-managed secrets, and an optional
 * initial administrator.
 */
export const pixelfed: ServicePlugin<PixelfedOptions, "pixelfed", PixelfedOptionsInput> = defineService({
  kind: "pixelfed",
  apiVersion: 1,
  coreVersion: "^0.1.0",
  displayName: "Pixelfed",
  options: PixelfedOptions,
  requirements: pixelfedRequirements,
  nixos: pixelfedModule,
  checks: (_ctx, options) => pixelfedChecks(options),
});
