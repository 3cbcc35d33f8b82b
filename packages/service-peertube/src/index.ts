/**
 * `@fediversity/service-peertube`: the PeerTube service plugin of the Fediversity SDK.
 * @packageDocumentation
 */

export {
  PEERTUBE_DEFAULT_RESOURCES,
  PEERTUBE_FLOOR,
  PeertubeOptions,
  type PeertubeOptionsInput,
} from "./options.js";
export { peertube } from "./plugin.js";
export { PEERTUBE_BUCKETS, PEERTUBE_SECRETS, PEERTUBE_USER } from "./requirements.js";
