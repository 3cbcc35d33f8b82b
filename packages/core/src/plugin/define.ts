import type { ServicePlugin, StoragePlugin } from "./types.js";

/**
 * Defines a service plugin. Types flow from the `options` schema into `requirements`, `nixos` and `checks`.
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
export function defineService<Options>(plugin: Omit<ServicePlugin<Options>, "type">): ServicePlugin<Options> {
  return Object.freeze({ ...plugin, type: "service" as const });
}

/** Defines a storage plugin (a storage backend such as Garage). */
export function defineStorage<Options>(plugin: Omit<StoragePlugin<Options>, "type">): StoragePlugin<Options> {
  return Object.freeze({ ...plugin, type: "storage" as const });
}
