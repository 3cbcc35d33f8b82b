import {
  ADMIN_PASSWORD_SECRET_ID,
  adminPasswordSecret,
  type CorsRule,
  type SecretFileNeed,
  type SecretNeed,
  type ServiceRequirements,
  SMTP_PASSWORD_SECRET_ID,
  smtpPasswordSecret,
} from "@fediversity/core";
import type { MastodonOptions } from "./options.js";

/** Local ids of the instance's secrets and secret files. */
export const MASTODON_SECRETS = {
  /** Rails' secret key base (`rails secret`: 64 random bytes as hex). */
  secretKeyBase: "secret-key-base",
  /** Active Record encryption keys (`rails db:encryption:init`: 32 random characters each). */
  arDeterministicKey: "ar-deterministic-key",
  arKeyDerivationSalt: "ar-key-derivation-salt",
  arPrimaryKey: "ar-primary-key",
  /** Environment file with the S3 credentials. */
  s3Env: "s3-env",
  /** Imported SMTP password (relay with a user only). */
  smtpPassword: SMTP_PASSWORD_SECRET_ID,
  /** Initial administrator's password (with `initialAdmin` only). */
  adminPassword: ADMIN_PASSWORD_SECRET_ID,
} as const;

/** The user Mastodon's units run as (the module's default). */
export const MASTODON_USER = "mastodon";

/** Name of the oneshot unit that applies registrations and the contact address, and creates the initial admin. */
export const SETUP_UNIT = "mastodon-fediversity-setup";

/** CORS rule of the media bucket: browsers on any origin may GET media (the web UI fetches it cross-origin). */
export const MEDIA_CORS: CorsRule = {
  allowedOrigins: ["*"],
  allowedMethods: ["GET", "HEAD"],
  allowedHeaders: ["*"],
  maxAgeSeconds: 3600,
};

/** Number of streaming processes: the module's advice, CPU cores minus one, at least one. */
export function streamingProcesses(options: MastodonOptions): number {
  return Math.max(1, Math.floor(options.resources.cpus) - 1);
}

/** Every systemd unit (with `.service`) that reads the instance's environment files or secrets. */
export function mastodonUnits(options: MastodonOptions): string[] {
  const streaming = Array.from(
    { length: streamingProcesses(options) },
    (_, i) => `mastodon-streaming-${i + 1}.service`,
  );
  return [
    "mastodon-init-dirs.service",
    "mastodon-init-db.service",
    "mastodon-web.service",
    "mastodon-sidekiq-all.service",
    ...streaming,
    "mastodon-media-auto-remove.service",
    `${SETUP_UNIT}.service`,
  ];
}

/** What one Mastodon instance needs. */
export function mastodonRequirements(options: MastodonOptions): ServiceRequirements {
  const s = MASTODON_SECRETS;
  const valueFile = (id: string, neededBy: string[]): SecretFileNeed => ({
    id,
    content: { kind: "value", secret: id },
    owner: MASTODON_USER,
    neededBy,
  });
  const initDirs = ["mastodon-init-dirs.service"];
  const secrets: SecretNeed[] = [
    { id: s.secretKeyBase, generate: { kind: "random-hex", bytes: 64 } },
    { id: s.arDeterministicKey, generate: { kind: "random-alnum", length: 32 } },
    { id: s.arKeyDerivationSalt, generate: { kind: "random-alnum", length: 32 } },
    { id: s.arPrimaryKey, generate: { kind: "random-alnum", length: 32 } },
  ];
  const secretFiles: SecretFileNeed[] = [
    valueFile(s.secretKeyBase, initDirs),
    valueFile(s.arDeterministicKey, initDirs),
    valueFile(s.arKeyDerivationSalt, initDirs),
    valueFile(s.arPrimaryKey, initDirs),
    {
      id: s.s3Env,
      content: {
        kind: "env",
        entries: {
          AWS_ACCESS_KEY_ID: { secret: "s3-access-key-id" },
          AWS_SECRET_ACCESS_KEY: { secret: "s3-secret-key" },
        },
      },
      owner: "root",
      neededBy: mastodonUnits(options),
    },
  ];
  const smtp = smtpPasswordSecret(options.smtp);
  if (smtp) {
    secrets.push(smtp);
    secretFiles.push(valueFile(s.smtpPassword, initDirs));
  }
  if (options.initialAdmin) {
    secrets.push(
      adminPasswordSecret(
        options.initialAdmin.password,
        `Password of the initial Mastodon owner '${options.initialAdmin.username}' on ${options.domain}`,
      ),
    );
    secretFiles.push(valueFile(s.adminPassword, [`${SETUP_UNIT}.service`]));
  }
  return {
    cpus: options.resources.cpus,
    memoryMiB: options.resources.memoryMiB,
    diskGiB: options.resources.diskGiB,
    buckets: [{ id: "media", public: true, cors: [MEDIA_CORS] }],
    secrets,
    secretFiles,
    domains: [options.domain],
    tcpPorts: [80, 443],
    acme: true,
    // What nixpkgs' services.mastodon creates under fixed names (database.name, redis.servers.mastodon, its state).
    keeps: [
      { kind: "database", engine: "postgresql", name: "mastodon" },
      { kind: "database", engine: "redis", name: "mastodon" },
      { kind: "directory", path: "/var/lib/mastodon" },
    ],
  };
}
