import semver from "semver";
import { FediError } from "../errors.js";
import { CORE_VERSION } from "../version.js";
import { PLUGIN_API_VERSION, type Plugin, type ServicePlugin, type StoragePlugin } from "./types.js";

const KIND = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * The set of plugins a deployment may use, checked when built. Immutable. `P` is the registered plugins' tuple type
 * when {@link createRegistry} was given a literal list (`createRegistry([garage, mastodon])`): {@link createPlan} then
 * takes a spec typed by them. The default, `readonly Plugin[]`, is the untyped registry.
 */
export interface PluginRegistry<P extends readonly Plugin[] = readonly Plugin[]> {
  /** The registered plugins, in the order given. */
  readonly plugins: P;
  /** The service plugin of a kind, if registered. */
  service(kind: string): ServicePlugin<unknown> | undefined;
  /** The storage plugin of a kind, if registered. */
  storage(kind: string): StoragePlugin<unknown> | undefined;
  /** Registered service kinds, sorted. */
  serviceKinds(): string[];
  /** Registered storage kinds, sorted. */
  storageKinds(): string[];
}

/**
 * Builds a registry. Each plugin is checked: known `type`, valid `kind`, `apiVersion` equal to this core's
 * {@link PLUGIN_API_VERSION}, `coreVersion` range satisfied by this core, no two plugins of one kind.
 * @throws FediError `PLUGIN_INCOMPATIBLE`, `PLUGIN_DUPLICATE_KIND` or `PLUGIN_CONTRACT`.
 */
export function createRegistry<const P extends readonly Plugin[]>(plugins: P): PluginRegistry<P> {
  const services = new Map<string, ServicePlugin<unknown>>();
  const storages = new Map<string, StoragePlugin<unknown>>();
  for (const plugin of plugins) {
    checkPlugin(plugin);
    const map: Map<string, Plugin> = plugin.type === "service" ? services : storages;
    if (map.has(plugin.kind)) {
      throw new FediError("PLUGIN_DUPLICATE_KIND", `Two ${plugin.type} plugins claim the kind '${plugin.kind}'.`, {
        hint: "Register each plugin once; if you publish a fork of a plugin, give it another kind.",
      });
    }
    map.set(plugin.kind, plugin);
  }
  return {
    plugins: Object.freeze([...plugins]) as unknown as P,
    service: (kind) => services.get(kind),
    storage: (kind) => storages.get(kind),
    serviceKinds: () => [...services.keys()].sort(),
    storageKinds: () => [...storages.keys()].sort(),
  };
}

function checkPlugin(plugin: Plugin): void {
  const candidate = plugin as Partial<Plugin> | null;
  const label = `plugin '${String(candidate?.kind ?? "?")}'`;
  if (!candidate || (candidate.type !== "service" && candidate.type !== "storage")) {
    throw new FediError("PLUGIN_CONTRACT", `${label} is not a plugin made with defineService or defineStorage.`, {
      hint: "Export the value returned by defineService(...) or defineStorage(...).",
    });
  }
  if (typeof candidate.kind !== "string" || !KIND.test(candidate.kind)) {
    throw new FediError("PLUGIN_CONTRACT", `${label} has an invalid kind.`, {
      hint: "A kind is 1-40 characters of a-z, 0-9 and '-', starting with a letter.",
    });
  }
  if (candidate.apiVersion !== PLUGIN_API_VERSION) {
    throw new FediError(
      "PLUGIN_INCOMPATIBLE",
      `${label} implements plugin API version ${String(candidate.apiVersion)}, but this @fediversity/core ${CORE_VERSION} implements version ${PLUGIN_API_VERSION}.`,
      { hint: "Install a version of the plugin made for this core, or a core version the plugin supports." },
    );
  }
  if (candidate.coreVersion !== undefined) {
    const range = semver.validRange(candidate.coreVersion);
    if (!range) {
      throw new FediError(
        "PLUGIN_CONTRACT",
        `${label} declares an invalid core version range '${candidate.coreVersion}'.`,
        {
          hint: "Use a semver range such as '^0.1.0'.",
        },
      );
    }
    if (!semver.satisfies(CORE_VERSION, range, { includePrerelease: true })) {
      throw new FediError(
        "PLUGIN_INCOMPATIBLE",
        `${label} supports @fediversity/core ${candidate.coreVersion}, but this is ${CORE_VERSION}.`,
        {
          hint: `Install a release of the plugin that supports core ${CORE_VERSION}, or core ${candidate.coreVersion}.`,
        },
      );
    }
  }
  for (const fn of plugin.type === "service"
    ? (["requirements", "nixos", "checks"] as const)
    : (["requirements", "nixos", "s3Access", "publicUrl", "checks"] as const)) {
    if (typeof (plugin as unknown as Record<string, unknown>)[fn] !== "function") {
      throw new FediError("PLUGIN_CONTRACT", `${label} has no '${fn}' function.`, {
        hint: "Every plugin implements the functions of its interface; see the plugin guide.",
      });
    }
  }
  if (!candidate.options || typeof (candidate.options as { safeParse?: unknown }).safeParse !== "function") {
    throw new FediError("PLUGIN_CONTRACT", `${label} has no zod options schema.`, {
      hint: "Give `options` a zod schema, e.g. z.object({...}).",
    });
  }
}
