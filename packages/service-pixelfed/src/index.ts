/**
 * `@fediversity/service-pixelfed`: the Pixelfed service plugin of the Fediversity SDK.
 * @packageDocumentation
 */

export {
  PIXELFED_DEFAULT_RESOURCES,
  PIXELFED_FLOOR,
  PixelfedOptions,
  type PixelfedOptionsInput,
} from "./options.js";
export { pixelfed } from "./plugin.js";
export { ADMIN_UNIT, PIXELFED_SECRETS, PIXELFED_USER } from "./requirements.js";
