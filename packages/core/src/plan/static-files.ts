/**
 * Where the static NixOS modules lie in a deployment directory. The plan's machine modules import them by these
 * paths; the renderer copies the files there (see `render/static-modules.ts`).
 */

/**
 * The static NixOS modules the SDK ships (hand-written `.nix` files, kept in the repository's top-level `nix/` and
 * copied into `@fediversity/core`'s package by its build), by their path in a deployment directory.
 */
export const STATIC_NIX_FILES = {
  /** The base system: host name, stateVersion, sshd, the deploy user, sudo, trusted users, boot loader. */
  base: "nix/fediversity-base.nix",
  /** The secrets installer: `fediversity.secrets.files.<name>` and `fediversity-secrets.service`. */
  secrets: "nix/fediversity-secrets.nix",
} as const;

/** Path, relative to the deployment directory, of the base system module. */
export const BASE_MODULE_FILE = STATIC_NIX_FILES.base;
/** Path, relative to the deployment directory, of the secrets installer module. */
export const SECRETS_INSTALLER_FILE = STATIC_NIX_FILES.secrets;
