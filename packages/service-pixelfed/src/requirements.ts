import {
  ADMIN_PASSWORD_SECRET_ID,
  adminPasswordSecret,
  type SecretFileNeed,
  type SecretNeed,
  type ServiceRequirements,
  SMTP_PASSWORD_SECRET_ID,
  smtpAuthenticates,
  smtpPasswordSecret,
} from "@fediversity/core";
import type { PixelfedOptions } from "./options.js";

/** Local ids of the instance's secrets and secret files. */
export const PIXELFED_SECRETS = {
  /** Laravel's `APP_KEY`: 32 random characters (AES-256 key). */
  appKey: "app-key",
  /** The module's `secretFile`: APP_KEY, S3 credentials and the SMTP password as a `.env` fragment. */
  env: "env",
  /** Imported SMTP password (relay with a user only). */
  smtpPassword: SMTP_PASSWORD_SECRET_ID,
  /** Initial administrator's password (with `initialAdmin` only). */
  adminPassword: ADMIN_PASSWORD_SECRET_ID,
} as const;

/** The user Pixelfed's units run as (the module's default). */
export const PIXELFED_USER = "pixelfed";

/** Name of the oneshot unit that creates the initial administrator. */
export const ADMIN_UNIT = "pixelfed-fediversity-admin";

/** nixpkgs' oneshot that builds Pixelfed's `.env` (with the secret file) and runs the migrations. */
const SETUP_UNIT = "pixelfed-data-setup.service";

/** What one Pixelfed instance needs. */
export function pixelfedRequirements(options: PixelfedOptions): ServiceRequirements {
  const s = PIXELFED_SECRETS;
  const secrets: SecretNeed[] = [{ id: s.appKey, generate: { kind: "random-alnum", length: 32 } }];
  const entries: Record<string, { secret: string }> = {
    APP_KEY: { secret: s.appKey },
    AWS_ACCESS_KEY_ID: { secret: "s3-access-key-id" },
    AWS_SECRET_ACCESS_KEY: { secret: "s3-secret-key" },
  };
  const smtp = smtpPasswordSecret(options.smtp);
  if (smtp && smtpAuthenticates(options.smtp)) {
    secrets.push(smtp);
    entries.MAIL_PASSWORD = { secret: s.smtpPassword };
  }
  const secretFiles: SecretFileNeed[] = [
    // Read by systemd (LoadCredential, as root) for the oneshot pixelfed-data-setup, which appends it to Pixelfed's
    // .env and caches the config (`config:cache`); phpfpm-pixelfed and pixelfed-horizon load that when they start
    // (nixpkgs pixelfed.nix). After a change the setup runs again and both restart. Written in phpdotenv's syntax (an
    // imported SMTP password may hold any character).
    {
      id: s.env,
      content: { kind: "env", format: "dotenv", entries },
      owner: "root",
      neededBy: [SETUP_UNIT],
      rerunUnits: [SETUP_UNIT],
      restartUnits: ["phpfpm-pixelfed.service", "pixelfed-horizon.service"],
    },
  ];
  if (options.initialAdmin) {
    secrets.push(
      adminPasswordSecret(
        options.initialAdmin.password,
        `Password of the initial Pixelfed administrator '${options.initialAdmin.username}' on ${options.domain}`,
      ),
    );
    secretFiles.push({
      id: s.adminPassword,
      content: { kind: "value", secret: s.adminPassword },
      owner: PIXELFED_USER,
      neededBy: [`${ADMIN_UNIT}.service`],
      restartUnits: [], // read once, when the administrator is created
    });
  }
  return {
    cpus: options.resources.cpus,
    memoryMiB: options.resources.memoryMiB,
    diskGiB: options.resources.diskGiB,
    buckets: [{ id: "media", public: true }],
    secrets,
    secretFiles,
    domains: [options.domain],
    tcpPorts: [80, 443],
    acme: true,
    ...(options.smtp.mode === "local" ? { localMailDomain: options.domain } : {}),
    // What nixpkgs' services.pixelfed creates under fixed names (MySQL database.name, redis.servers.pixelfed, dataDir).
    keeps: [
      { kind: "database", engine: "mysql", name: "pixelfed" },
      { kind: "database", engine: "redis", name: "pixelfed" },
      { kind: "directory", path: "/var/lib/pixelfed" },
    ],
  };
}
