import { createRegistry, type Plugin, type PluginRegistry } from "@fediversity/core";
import { mastodon } from "@fediversity/service-mastodon";
import { peertube } from "@fediversity/service-peertube";
import { pixelfed } from "@fediversity/service-pixelfed";
import { garage } from "@fediversity/storage-garage";

/** The plugins `fedi` knows without configuration: Garage storage, Mastodon, Pixelfed and PeerTube. */
export function defaultPlugins(): Plugin[] {
  return [garage, mastodon, pixelfed, peertube];
}

/**
 * The registry for a config: the default plugins plus the config's own.
 * @throws FediError `PLUGIN_DUPLICATE_KIND`, `PLUGIN_INCOMPATIBLE` or `PLUGIN_CONTRACT` (from the registry).
 */
export function registryFor(extra: readonly Plugin[]): PluginRegistry {
  return createRegistry([...defaultPlugins(), ...extra]);
}
