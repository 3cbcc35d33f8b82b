import type { z } from "zod";
import type { DeploymentSpecInput, ServiceInstanceSpec } from "../model/spec.js";
import type { Plugin } from "./types.js";

/** Flattens an intersection into one object type (for readable editor hovers). */
export type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** `options` as a spec entry writes it: optional when the schema accepts `{}` (the spec's default), else required. */
export type OptionsField<Input> = Record<never, never> extends Input ? { options?: Input } : { options: Input };

/** The fields of a service entry besides `kind` and `options` (`name`, `machine`). */
export type ServiceEntryFields = Omit<z.input<typeof ServiceInstanceSpec>, "kind" | "options">;

/** A service entry for an untyped plugin (one whose kind is just `string`): today's `DeploymentSpecInput` entry. */
export type UntypedServiceEntry = z.input<typeof ServiceInstanceSpec>;

/** The service plugins among a list of plugins. */
export type ServicePluginsOf<P extends readonly Plugin[]> = Extract<P[number], { readonly type: "service" }>;

/** The storage plugins among a list of plugins. */
export type StoragePluginsOf<P extends readonly Plugin[]> = Extract<P[number], { readonly type: "storage" }>;

/** The service kinds a list of plugins provides, e.g. `"mastodon" | "pixelfed"`. */
export type ServiceKindOf<P extends readonly Plugin[]> = ServicePluginsOf<P>["kind"];

/** The storage kinds a list of plugins provides, e.g. `"garage"`. */
export type StorageKindOf<P extends readonly Plugin[]> = StoragePluginsOf<P>["kind"];

/**
 * The `services[]` entry of one service plugin `S` (distributes over a union of plugins): `{ kind; options; name;
 * machine? }` with the plugin's option input, or the untyped entry for a plugin whose kind is just `string`.
 */
export type ServiceEntryOf<S> = S extends { readonly kind: infer K extends string; readonly options: infer Schema }
  ? string extends K
    ? UntypedServiceEntry
    : Schema extends z.ZodType
      ? Simplify<{ kind: K } & OptionsField<z.input<Schema>> & ServiceEntryFields>
      : never
  : never;

/**
 * The `storage` entry of one storage plugin `S` (distributes over a union of plugins): `{ kind; options }` with the
 * plugin's option input, or the untyped entry for a plugin whose kind is just `string`.
 */
export type StorageEntryOf<S> = S extends { readonly kind: infer K extends string; readonly options: infer Schema }
  ? string extends K
    ? DeploymentSpecInput["storage"]
    : Schema extends z.ZodType
      ? Simplify<{ kind: K } & OptionsField<z.input<Schema>>>
      : never
  : never;

/**
 * A `services[]` entry of a spec typed by its plugins: the union, over the service plugins of `P`, of
 * `{ kind: K; options: z.input<schema of K>; name; machine? }`. An unknown kind, a misspelt option or a value of the
 * wrong type is a compile error, and editors complete kinds and option names. A plugin typed only as
 * {@link ServicePlugin} (kind `string`) adds the untyped entry, which accepts any kind and options.
 */
export type ServiceSpecInputOf<P extends readonly Plugin[]> = ServiceEntryOf<ServicePluginsOf<P>>;

/** The `storage` of a spec typed by its plugins: the union, over the storage plugins of `P`, of `{ kind; options }`. */
export type StorageSpecInputOf<P extends readonly Plugin[]> = StorageEntryOf<StoragePluginsOf<P>>;

/**
 * A deployment spec typed by the plugins that will plan it: {@link DeploymentSpecInput} whose `services` and `storage`
 * entries are checked against the plugins' kinds and options schemas (see {@link ServiceSpecInputOf}). Runtime
 * validation is the same; this only moves the mistakes a compiler can see to compile time.
 *
 * @example
 * ```ts
 * import { type DeploymentSpecInputOf, defineService } from "@fediversity/core";
 * import { z } from "zod";
 *
 * const hello = defineService({
 *   kind: "hello", apiVersion: 1, options: z.object({ domain: z.string() }),
 *   requirements: () => ({ cpus: 1, memoryMiB: 256, diskGiB: 1 }),
 *   nixos: () => ({}),
 *   checks: () => [],
 * });
 * type Services = DeploymentSpecInputOf<[typeof hello]>["services"];
 * const ok: Services = [{ name: "hi", kind: "hello", options: { domain: "hello.example.org" } }];
 * // @ts-expect-error: 'domian' is not an option of 'hello'
 * const misspelt: Services = [{ name: "hi", kind: "hello", options: { domian: "hello.example.org" } }];
 * ```
 */
export type DeploymentSpecInputOf<P extends readonly Plugin[]> = Simplify<
  Omit<DeploymentSpecInput, "services" | "storage"> & {
    /** The storage backend: one of the storage plugins' kinds and its options. */
    storage: StorageSpecInputOf<P>;
    /** Service instances: each one of the service plugins' kinds and its options. */
    services?: ServiceSpecInputOf<P>[];
  }
>;

/**
 * The spec type {@link createPlan} takes for a registry of plugins `P`: {@link DeploymentSpecInputOf} when `P` is
 * known (a registry from `createRegistry([garage, mastodon])`), or any value when the registry is untyped
 * (`PluginRegistry`, e.g. plugins loaded at run time); the planner validates either at run time.
 */
export type SpecInputFor<P extends readonly Plugin[]> = Plugin[] extends P ? unknown : DeploymentSpecInputOf<P>;

/**
 * Types a deployment spec by its plugins and returns it unchanged, for embedders (the library equivalent of the CLI's
 * `defineDeployment`). A misspelt option, a value of the wrong type or an unknown kind is a compile error.
 *
 * @example
 * ```ts
 * import { createPlan, createRegistry, defineService, defineSpec, type StoragePlugin } from "@fediversity/core";
 * import { z } from "zod";
 *
 * const hello = defineService({
 *   kind: "hello", apiVersion: 1, options: z.object({ domain: z.string() }),
 *   requirements: () => ({ cpus: 1, memoryMiB: 256, diskGiB: 1 }),
 *   nixos: () => ({}),
 *   checks: () => [],
 * });
 * declare const store: StoragePlugin<{ bucketsOn: string }, "store", { bucketsOn: string }>;
 * const plugins = [store, hello] as const;
 * const spec = defineSpec(plugins, {
 *   name: "demo",
 *   machines: [],
 *   storage: { kind: "store", options: { bucketsOn: "m1" } },
 *   services: [{ name: "hi", kind: "hello", options: { domain: "hello.example.org" } }],
 * });
 * export const plan = () => createPlan({ spec, registry: createRegistry(plugins) });
 * ```
 */
export function defineSpec<const P extends readonly Plugin[]>(
  _plugins: P,
  spec: NoInfer<DeploymentSpecInputOf<P>>,
): DeploymentSpecInputOf<P> {
  return spec;
}
