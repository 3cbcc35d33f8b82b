import type { ServicePlugin, StoragePlugin } from "./types.js";

/**
 * Defines a service plugin. Types flow from the `options` schema into `requirements`, `nixos` and `checks`; the
 * plugin's type keeps its literal `kind` and its schema's input and output, so that specs written against it are
 * checked at compile time ({@link DeploymentSpecInputOf}, {@link defineSpec}).
 *
 * @example
 * ```ts
 * import { defineService } from "@fediversity/core";
 * import { z } from "zod";
 *
 * export const hello = defineService({
 *   kind: "hello", apiVersion: 1, options: z.object({ domain: z.string() }),
 *   requirements: () => ({ cpus: 1, memoryMiB: 256, diskGiB: 1 }),
 *   nixos: (_ctx, o) => ({ services: { nginx: { enable: true, virtualHosts: { [o.domain]: {} } } } }),
 *   checks: () => [{ kind: "systemd-unit", unit: "nginx.service" }],
 * });
 * ```
 */
export function defineService<Options, const Kind extends string = string, Input = unknown>(
  plugin: Omit<ServicePlugin<Options, Kind, Input>, "type">,
): ServicePlugin<Options, Kind, Input> {
  return Object.freeze({ ...plugin, type: "service" as const });
}

/**
 * Defines a storage plugin (a storage backend such as Garage). As with {@link defineService}, the plugin's type keeps
 * its literal `kind` and its options schema's input and output.
 */
export function defineStorage<Options, const Kind extends string = string, Input = unknown>(
  plugin: Omit<StoragePlugin<Options, Kind, Input>, "type">,
): StoragePlugin<Options, Kind, Input> {
  return Object.freeze({ ...plugin, type: "storage" as const });
}
