import { systemdEnvironmentValue } from "@fediversity/core";
import type { NixInput } from "@fediversity/core/nix";
import type { PixelfedOptions } from "./options.js";
import { PIXELFED_USER } from "./requirements.js";

/** Marker recording that the initial administrator was created (Pixelfed's data folder). */
export const ADMIN_MARKER = "/var/lib/pixelfed/.fediversity-initial-admin";

/** The management command the module installs (`php artisan` in the package, as the pixelfed user). */
const MANAGE = "/run/current-system/sw/bin/pixelfed-manage";

/**
 * The script of the admin unit, idempotent: once the marker exists it does nothing; an account that already exists
 * (by user name) is left as it is; otherwise `user:create` makes it an administrator with a confirmed e-mail and the
 * password read from the secret file. The password passes through `artisan`'s command line (`user:create` has no
 * other way), visible in the process list for the second it runs.
 */
export function adminScript(): string {
  return [
    "set -eu",
    `marker=${ADMIN_MARKER}`,
    '[ -e "$marker" ] && exit 0',
    `if ${MANAGE} user:show "$FEDI_ADMIN_USERNAME" | grep -q 'User ID:'; then`,
    '  echo "user $FEDI_ADMIN_USERNAME exists already; leaving it unchanged"',
    "else",
    `  ${MANAGE} user:create --name="$FEDI_ADMIN_USERNAME" --username="$FEDI_ADMIN_USERNAME" --email="$FEDI_ADMIN_EMAIL" --password="$(cat "$FEDI_ADMIN_PASSWORD_FILE")" --is_admin=true --confirm_email=1 > /dev/null`,
    "fi",
    'touch "$marker"',
    "",
  ].join("\n");
}

/** `systemd.services.pixelfed-fediversity-admin`: a oneshot unit after Pixelfed's data setup (migrations). */
export function adminUnit(admin: NonNullable<PixelfedOptions["initialAdmin"]>, passwordFile: string): NixInput {
  return {
    description: "Fediversity: Pixelfed initial administrator",
    wantedBy: ["multi-user.target"],
    after: ["pixelfed-data-setup.service", "mysql.service", "redis-pixelfed.service"],
    requires: ["pixelfed-data-setup.service"],
    // Environment= lines: `%` doubled, since systemd expands specifiers there.
    environment: {
      FEDI_ADMIN_USERNAME: systemdEnvironmentValue(admin.username, "initialAdmin.username"),
      FEDI_ADMIN_EMAIL: systemdEnvironmentValue(admin.email, "initialAdmin.email"),
      FEDI_ADMIN_PASSWORD_FILE: systemdEnvironmentValue(passwordFile, "initialAdmin"),
    },
    serviceConfig: {
      Type: "oneshot",
      User: PIXELFED_USER,
      Group: PIXELFED_USER,
      UMask: "0077",
      PrivateTmp: true,
      NoNewPrivileges: true,
    },
    script: adminScript(),
  };
}
