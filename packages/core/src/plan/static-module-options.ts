/**
 * The NixOS option paths the static modules (`nix/fediversity-base.nix`, `nix/fediversity-secrets.nix`) define on a
 * machine, given what the generated machine module hands them. Kept beside the `.nix` files' description: a test
 * evaluates the real files and holds every path they define against this list, so a change to one without the other
 * fails.
 */
import type { MachineBase } from "./deployable.js";
import type { GeneratedDefinition, GeneratedDefinitionKind } from "./nixos-overrides.js";
import { BASE_MODULE_FILE, SECRETS_INSTALLER_FILE } from "./static-files.js";
import type { PlannedSecretFile } from "./types.js";

/** Name of the secrets installer's systemd unit (without `.service`), as `nix/fediversity-secrets.nix` defines it. */
export const SECRETS_INSTALLER_UNIT = "fediversity-secrets";

/**
 * What the static modules define for a machine with these base settings and secret files: `fediversity.*` as a whole
 * (the SDK's option namespace), and each NixOS option `nix/fediversity-base.nix` and `nix/fediversity-secrets.nix`
 * set under the same conditions as the files.
 */
export function staticModuleDefinitions(
  base: MachineBase,
  secretFiles: readonly PlannedSecretFile[],
): GeneratedDefinition[] {
  const out: GeneratedDefinition[] = [];
  const define = (by: string, kind: GeneratedDefinitionKind, ...paths: string[][]) => {
    for (const path of paths) out.push({ path, kind, by });
  };
  const baseBy = `the base system module (${BASE_MODULE_FILE})`;
  const secretsBy = `the secrets installer (${SECRETS_INSTALLER_FILE})`;
  define("the SDK's own options (fediversity.*)", "subtree", ["fediversity"]);

  define(
    baseBy,
    "value",
    ["networking", "hostName"],
    ["system", "stateVersion"],
    ["services", "openssh", "enable"],
    ["services", "openssh", "openFirewall"],
    ["services", "openssh", "settings", "PasswordAuthentication"],
    ["services", "openssh", "settings", "KbdInteractiveAuthentication"],
    ["services", "openssh", "settings", "PermitRootLogin"],
  );
  define(
    baseBy,
    "list",
    ["services", "openssh", "ports"],
    ["users", "users", base.deployUser, "openssh", "authorizedKeys", "keys"],
  );
  if (base.deployUser !== "root") {
    define(baseBy, "value", ["users", "users", base.deployUser, "isNormalUser"]);
    define(baseBy, "list", ["security", "sudo", "extraRules"], ["nix", "settings", "trusted-users"]);
  }
  if (base.mail !== undefined) define(baseBy, "value", ["services", "postfix", "settings", "main", "myhostname"]);
  const loader = base.boot.loader;
  if (loader === "systemd-boot") define(baseBy, "value", ["boot", "loader", "systemd-boot", "enable"]);
  if (loader === "grub" || loader === "grub-efi") {
    define(baseBy, "value", ["boot", "loader", "grub", "enable"]);
    define(baseBy, "list", ["boot", "loader", "grub", "devices"]);
  }
  if (loader === "grub-efi") {
    define(
      baseBy,
      "value",
      ["boot", "loader", "grub", "efiSupport"],
      ["boot", "loader", "grub", "efiInstallAsRemovable"],
    );
  }
  if (loader === "systemd-boot" || loader === "grub-efi") {
    define(
      baseBy,
      "value",
      ["boot", "loader", "efi", "efiSysMountPoint"],
      ["boot", "loader", "efi", "canTouchEfiVariables"],
    );
  }

  if (secretFiles.length > 0) {
    define(secretsBy, "list", ["assertions"], ["systemd", "tmpfiles", "rules"]);
    define(secretsBy, "subtree", ["systemd", "services", SECRETS_INSTALLER_UNIT]);
    // one installer unit per file (`fediversity-secret-<name>.service`)
    for (const f of secretFiles) define(secretsBy, "subtree", ["systemd", "services", `fediversity-secret-${f.name}`]);
  }
  return out;
}
