/**
 * Encoders for the text formats values cross into on a machine: systemd `EnvironmentFile=` and unit `Environment=`,
 * shell-sourced environment files as nixpkgs' modules write them, and phpdotenv `.env` files. Each either encodes a
 * value so that the real consumer reads it back unchanged, or refuses it (FediError `VALUE_UNREPRESENTABLE`, or a
 * `...Problem` function that says why, for schemas).
 * @packageDocumentation
 */
export { dotenvLine, dotenvValue, dotenvValueProblem } from "./dotenv.js";
export { ENV_NAME_PATTERN, envNameProblem } from "./problems.js";
export { shellEnvLine, shellEnvValue, shellEnvValueProblem } from "./shell-env.js";
export {
  systemdEnvironmentProblem,
  systemdEnvironmentValue,
  systemdEnvLine,
  systemdEnvValue,
  systemdEnvValueProblem,
} from "./systemd-env.js";
