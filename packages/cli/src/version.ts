import { CORE_VERSION } from "@fediversity/core";
import packageJson from "../package.json" with { type: "json" };

/** Version of `@fediversity/cli`. */
export const CLI_VERSION: string = packageJson.version;

/** `fedi 0.1.0 (@fediversity/core 0.1.0, node v20.20.0)`. */
export function versionLine(): string {
  return `fedi ${CLI_VERSION} (@fediversity/core ${CORE_VERSION}, node ${process.version})`;
}
