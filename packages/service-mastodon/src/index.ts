/**
 * `@fediversity/service-mastodon`: the Mastodon service plugin of the Fediversity SDK.
 * @packageDocumentation
 */

export {
  MASTODON_DEFAULT_RESOURCES,
  MASTODON_FLOOR,
  MastodonOptions,
  type MastodonOptionsInput,
} from "./options.js";
export { mastodon } from "./plugin.js";
export { MASTODON_SECRETS, MASTODON_USER, mastodonProcessUnits, mastodonUnits, SETUP_UNIT } from "./requirements.js";
