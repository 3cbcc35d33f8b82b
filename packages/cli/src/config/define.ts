import type { DeploymentSpecInput, DeploymentSpecInputOf, Plugin } from "@fediversity/core";
import type { mastodon } from "@fediversity/service-mastodon";
import type { peertube } from "@fediversity/service-peertube";
import type { pixelfed } from "@fediversity/service-pixelfed";
import type { garage } from "@fediversity/storage-garage";

/** The plugins `fedi` registers without configuration: Garage storage, Mastodon, Pixelfed and PeerTube. */
export type BuiltinPlugins = readonly [typeof garage, typeof mastodon, typeof pixelfed, typeof peertube];

/**
 * A deployment as written in `fedi.config.ts`: the deployment spec (machines, storage, services, ...) plus, optionally,
 * third-party plugins to register beside the built-in ones (Garage, Mastodon, Pixelfed, PeerTube). Untyped: any kind
 * and options (the loader validates them); {@link DeploymentConfigOf} is the same typed by the plugins.
 */
export type DeploymentConfig = DeploymentSpecInput & {
  /** Extra plugins (made with `defineService` / `defineStorage`); a kind may be provided only once. */
  plugins?: readonly Plugin[];
};

/**
 * A deployment config typed by the built-in plugins plus the extra plugins `P`: `storage` and each `services[]` entry
 * must name a kind one of them provides, with options its schema accepts (see `DeploymentSpecInputOf` in
 * `@fediversity/core`).
 */
export type DeploymentConfigOf<P extends readonly Plugin[] = readonly []> = DeploymentSpecInputOf<
  readonly [...BuiltinPlugins, ...P]
> & {
  /** Extra plugins (made with `defineService` / `defineStorage`); a kind may be provided only once. */
  plugins?: P;
};

/** What {@link defineDeployment} takes: the spec typed by the built-in plugins and `P`, and `P` itself. */
export type DefineDeploymentInput<P extends readonly Plugin[]> = NoInfer<
  DeploymentSpecInputOf<readonly [...BuiltinPlugins, ...P]>
> & {
  plugins?: P;
};

/** A config module's default export: the config itself, or a function (possibly async) that returns it. */
export type DeploymentConfigExport = DeploymentConfig | (() => DeploymentConfig | Promise<DeploymentConfig>);

/**
 * Types a deployment config. It returns its argument unchanged; its only job is to give editors the types (as Vite's
 * `defineConfig` does). Kinds and options are typed by the built-in plugins and by those given in `plugins`: a
 * misspelt option, a value of the wrong type or an unknown kind is a compile error.
 *
 * It also takes a function (sync or async) that returns the config, called when the config is loaded; it then
 * returns that function. A function that adds plugins should return `defineDeployment({ plugins, ... })`, so that
 * their kinds are inferred.
 *
 * @example
 * ```ts
 * // fedi.config.ts
 * import { defineDeployment } from "@fediversity/cli";
 *
 * export default defineDeployment({
 *   name: "demo",
 *   acme: { email: "ops@example.org" },
 *   machines: [
 *     {
 *       name: "demo01",
 *       host: "203.0.113.10",
 *       ssh: {
 *         hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N",
 *         authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBFqfjk8dHYUqt/NJ46s3PQjLzxwLldl9F9+iap5k3 ops@example.org"],
 *       },
 *       resources: { cpus: 8, memoryMiB: 16384, diskGiB: 200 },
 *       stateVersion: "25.05",
 *       boot: { loader: "grub", devices: ["/dev/vda"] },
 *       nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } } },
 *     },
 *   ],
 *   storage: { kind: "garage", options: { replicationFactor: 1, webRootDomain: "media.example.org" } },
 *   services: [
 *     { name: "social", kind: "mastodon", options: { domain: "social.example.org", adminEmail: "ops@example.org" } },
 *   ],
 * });
 * ```
 */
export function defineDeployment<const P extends readonly Plugin[] = readonly [], R = never>(
  config: DefineDeploymentInput<P> | (() => R & (DefineDeploymentInput<P> | Promise<DefineDeploymentInput<P>>)),
): [R] extends [never] ? DeploymentConfigOf<P> : () => DeploymentConfigOf<P> | Promise<DeploymentConfigOf<P>>;
export function defineDeployment(config: DeploymentConfigExport): DeploymentConfigExport {
  return config;
}
