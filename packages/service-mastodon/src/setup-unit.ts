import { type NixInput, nix } from "@fediversity/core/nix";
import type { MastodonOptions } from "./options.js";
import { MASTODON_USER } from "./requirements.js";

/** Mastodon's names of the registration modes (`Setting.registrations_mode`). */
const REGISTRATIONS_MODE = { open: "open", approval: "approved", closed: "none" } as const;

/** Where the unit records what it applied (Mastodon's state directory, kept across restarts). */
export const SETUP_STATE = {
  settings: "/var/lib/mastodon/.fediversity-settings",
  initialAdmin: "/var/lib/mastodon/.fediversity-initial-admin",
} as const;

/** Ruby run by `rails runner`: applies the declared site settings. Values come from the environment. */
const APPLY_SETTINGS_RUBY =
  "Setting.registrations_mode = ENV.fetch('FEDI_REGISTRATIONS_MODE'); Setting.site_contact_email = ENV.fetch('FEDI_CONTACT_EMAIL')";

/** Ruby run by `rails runner`: sets the initial owner's password from the secret file (never from the command line). */
const SET_PASSWORD_RUBY = [
  "account = Account.find_local(ENV.fetch('FEDI_ADMIN_USERNAME')) || abort('the initial owner account does not exist')",
  "password = File.read(ENV.fetch('FEDI_ADMIN_PASSWORD_FILE')).chomp",
  "account.user.update!(password: password, password_confirmation: password)",
].join("; ");

/**
 * The script of the setup unit. It runs as the `mastodon` user in the package folder with the same environment as
 * `mastodon-web` and is idempotent:
 * - the registration mode and contact address are applied when they differ from what the unit applied last (so a
 *   change in the admin UI stands until the spec changes);
 * - the initial owner is created once (`tootctl accounts create --role Owner`, whose printed random password is
 *   discarded), then its password is set from the secret file; a marker file records that it was done, and an
 *   account that already exists only gets its password set.
 */
export function setupScript(options: MastodonOptions): string {
  const lines = [
    "set -eu",
    `state=${SETUP_STATE.settings}`,
    'if [ "$(cat "$state" 2>/dev/null || true)" != "$FEDI_SETTINGS_STAMP" ]; then',
    `  bin/rails runner "${APPLY_SETTINGS_RUBY}"`,
    `  printf '%s\\n' "$FEDI_SETTINGS_STAMP" > "$state"`,
    "fi",
  ];
  if (options.initialAdmin) {
    lines.push(
      `marker=${SETUP_STATE.initialAdmin}`,
      'if [ ! -e "$marker" ]; then',
      '  if ! bin/tootctl accounts create "$FEDI_ADMIN_USERNAME" --email "$FEDI_ADMIN_EMAIL" --confirmed --approve --role Owner > /dev/null; then',
      '    echo "tootctl did not create $FEDI_ADMIN_USERNAME (it may exist already); setting its password" >&2',
      "  fi",
      `  bin/rails runner "${SET_PASSWORD_RUBY}"`,
      '  touch "$marker"',
      "fi",
    );
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `systemd.services.mastodon-fediversity-setup`: a oneshot unit after the database is migrated. Its environment is
 * `mastodon-web`'s without `PATH` (read from `config`; a stand-in without it yields an empty set) plus the declared values;
 * secrets come from the module's `.secrets_env`, the S3 environment file and, for the initial owner, a password file.
 */
export function setupUnit(
  options: MastodonOptions,
  s3EnvFile: string,
  adminPasswordFile: string | undefined,
): NixInput {
  const mode = REGISTRATIONS_MODE[options.registrations];
  const declared: Record<string, string> = {
    FEDI_REGISTRATIONS_MODE: mode,
    FEDI_CONTACT_EMAIL: options.adminEmail,
    FEDI_SETTINGS_STAMP: `registrations=${mode};contact=${options.adminEmail}`,
  };
  if (options.initialAdmin && adminPasswordFile) {
    declared.FEDI_ADMIN_USERNAME = options.initialAdmin.username;
    declared.FEDI_ADMIN_EMAIL = options.initialAdmin.email;
    declared.FEDI_ADMIN_PASSWORD_FILE = adminPasswordFile;
  }
  // mastodon-web's environment without PATH: systemd's module sets each unit's PATH from its own `path`.
  const webEnvironment = nix.apply(
    "builtins.removeAttrs",
    nix.select(nix.ref("config"), ["systemd", "services", "mastodon-web", "environment"], nix.attrs({})),
    ["PATH"],
  );
  const units = ["mastodon-init-dirs.service", "mastodon-init-db.service"];
  return {
    description: "Fediversity: Mastodon site settings and initial owner",
    wantedBy: ["multi-user.target"],
    after: [...units, "redis-mastodon.service", "postgresql.target"],
    requires: units,
    environment: nix.op(webEnvironment, "//", declared),
    serviceConfig: {
      Type: "oneshot",
      User: MASTODON_USER,
      Group: MASTODON_USER,
      WorkingDirectory: nix.s`${nix.ref("pkgs.mastodon")}`,
      EnvironmentFile: ["/var/lib/mastodon/.secrets_env", s3EnvFile],
      StateDirectory: "mastodon",
      UMask: "0077",
      PrivateTmp: true,
      NoNewPrivileges: true,
    },
    script: setupScript(options),
  };
}
