import { systemdEnvironmentValue } from "@fediversity/core";
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

/** Exit code of {@link SET_PASSWORD_RUBY} when the initial owner's account does not exist. */
export const NO_ACCOUNT_EXIT = 3;

/**
 * Ruby run by `rails runner`: sets the initial owner's password from the secret file (never from the command line);
 * exits {@link NO_ACCOUNT_EXIT} when the account does not exist (creation failed).
 */
const SET_PASSWORD_RUBY = [
  `account = Account.find_local(ENV.fetch('FEDI_ADMIN_USERNAME')) or exit(${NO_ACCOUNT_EXIT})`,
  "password = File.read(ENV.fetch('FEDI_ADMIN_PASSWORD_FILE')).chomp",
  "account.user.update!(password: password, password_confirmation: password)",
].join("; ");

/**
 * The script of the setup unit. It runs as the `mastodon` user in the package folder with the same environment as
 * `mastodon-web` and is idempotent:
 * - the registration mode and contact address are applied when they differ from what the unit applied last (so a
 *   change in the admin UI stands until the spec changes);
 * - the initial owner is created once (`tootctl accounts create --confirmed --approve --role Owner`, whose printed
 *   random password is discarded), then its password is set from the secret file, and a marker file records that it
 *   was done; an account that already exists only gets its password set.
 *
 * Mastodon validates an e-mail address's domain in production (app/validators/email_mx_validator.rb: no MX, A or
 * AAAA record → "unreachable"), unless the domain is on `EMAIL_DOMAIN_ALLOWLIST` (`on_allowlist?`; the variable feeds
 * `config.x.email_domains_allowlist`). The create command alone gets `EMAIL_DOMAIN_ALLOWLIST=<the owner's domain>`
 * (`FEDI_ADMIN_EMAIL_DOMAIN`, empty for a domain that is not a plain host name), so an owner on a domain without DNS is still created, and sign-ups of the running
 * instance are not restricted. When creation fails anyway (any other validation), the unit reports tootctl's words
 * in the journal and exits 0 without the marker, so it tries again on its next start instead of failing every boot.
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
      "  created=yes",
      '  if ! said=$(EMAIL_DOMAIN_ALLOWLIST="$FEDI_ADMIN_EMAIL_DOMAIN" bin/tootctl accounts create "$FEDI_ADMIN_USERNAME" --email "$FEDI_ADMIN_EMAIL" --confirmed --approve --role Owner 2>&1); then',
      "    created=no",
      "  fi",
      "  rc=0",
      `  bin/rails runner "${SET_PASSWORD_RUBY}" || rc=$?`,
      '  if [ "$rc" -eq 0 ]; then',
      '    touch "$marker"',
      `  elif [ "$rc" -eq ${NO_ACCOUNT_EXIT} ] && [ "$created" = no ]; then`,
      '    echo "The initial owner $FEDI_ADMIN_USERNAME could not be created; tootctl said:" >&2',
      `    printf '%s\\n' "$said" | grep -v '^New password:' >&2 || true`,
      '    echo "Fix the cause (e.g. the e-mail address); this unit tries again on its next start." >&2',
      "  else",
      '    exit "$rc"',
      "  fi",
      "fi",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The e-mail domain put on `EMAIL_DOMAIN_ALLOWLIST` for the create command: a plain host name, else nothing. */
export function allowlistDomain(email: string): string | undefined {
  const domain = email.slice(email.lastIndexOf("@") + 1).toLowerCase();
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(domain) ? domain : undefined;
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
  const raw: Record<string, [value: string, field: string]> = {
    FEDI_REGISTRATIONS_MODE: [mode, "registrations"],
    FEDI_CONTACT_EMAIL: [options.adminEmail, "adminEmail"],
    FEDI_SETTINGS_STAMP: [`registrations=${mode};contact=${options.adminEmail}`, "adminEmail"],
  };
  if (options.initialAdmin && adminPasswordFile) {
    raw.FEDI_ADMIN_USERNAME = [options.initialAdmin.username, "initialAdmin.username"];
    raw.FEDI_ADMIN_EMAIL = [options.initialAdmin.email, "initialAdmin.email"];
    raw.FEDI_ADMIN_EMAIL_DOMAIN = [allowlistDomain(options.initialAdmin.email) ?? "", "initialAdmin.email"];
    raw.FEDI_ADMIN_PASSWORD_FILE = [adminPasswordFile, "initialAdmin"];
  }
  // The unit's own Environment= lines: `%` doubled, since systemd expands specifiers there.
  const declared = Object.fromEntries(
    Object.entries(raw).map(([name, [value, field]]) => [name, systemdEnvironmentValue(value, field)]),
  );
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
