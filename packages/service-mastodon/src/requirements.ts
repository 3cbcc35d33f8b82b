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

/**
 * The long-running Mastodon units (nixpkgs `mastodon.nix`: `mastodon-web`, `mastodon-sidekiq-all` — the module's
 * default `sidekiqProcesses` — and `mastodon-streaming-<i>`). Each reads `/var/lib/mastodon/.secrets_env` (written by
 * `mastodon-init-dirs` from the secret files) and `extraEnvFiles` through `EnvironmentFile=` when it starts, and keeps
 * them: they restart when one of the instance's secret files changes.
 */
export function mastodonProcessUnits(options: MastodonOptions): string[] {
  const streaming = Array.from(
    { length: streamingProcesses(options) },
    (_, i) => `mastodon-streaming-${i + 1}.service`,
  );
  return ["mastodon-web.service", "mastodon-sidekiq-all.service", ...streaming];
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
  const processes = mastodonProcessUnits(options);
  const valueFile = (id: string, neededBy: string[], restartUnits: string[], rerunUnits: string[]): SecretFileNeed => ({
    id,
    content: { kind: "value", secret: id },
    owner: MASTODON_USER,
    neededBy,
    restartUnits,
    rerunUnits,
  });
  // Read by `mastodon-init-dirs` (a oneshot: `$(cat ...)` into /var/lib/mastodon/.secrets_env), which the processes
  // read: it runs again and they restart.
  const initDirs = ["mastodon-init-dirs.service"];
  const secretValue = (id: string) => valueFile(id, initDirs, processes, initDirs);
  // `extraEnvFiles` is `EnvironmentFile=` of every unit but mastodon-init-dirs (mastodon-init-db, the processes,
  // mastodon-media-auto-remove) and of the setup unit; the oneshots read it anew when they next run.
  const envReaders = mastodonUnits(options).filter((u) => u !== "mastodon-init-dirs.service");
  const secrets: SecretNeed[] = [
    { id: s.secretKeyBase, generate: { kind: "random-hex", bytes: 64 } },
    { id: s.arDeterministicKey, generate: { kind: "random-alnum", length: 32 } },
    { id: s.arKeyDerivationSalt, generate: { kind: "random-alnum", length: 32 } },
    { id: s.arPrimaryKey, generate: { kind: "random-alnum", length: 32 } },
  ];
  const secretFiles: SecretFileNeed[] = [
    secretValue(s.secretKeyBase),
    secretValue(s.arDeterministicKey),
    secretValue(s.arKeyDerivationSalt),
    secretValue(s.arPrimaryKey),
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
      neededBy: envReaders,
      restartUnits: processes,
    },
  ];
  const smtp = smtpPasswordSecret(options.smtp);
  if (smtp) {
    secrets.push(smtp);
    secretFiles.push(secretValue(s.smtpPassword));
  }
  if (options.initialAdmin) {
    secrets.push(
      adminPasswordSecret(
        options.initialAdmin.password,
        `Password of the initial Mastodon owner '${options.initialAdmin.username}' on ${options.domain}`,
      ),
    );
    // Read once by the setup unit (it sets the password when it creates the owner, then records a marker).
    secretFiles.push(valueFile(s.adminPassword, [`${SETUP_UNIT}.service`], [], []));
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
    ...(options.smtp.mode === "local" ? { localMailDomain: options.domain } : {}),
    // What nixpkgs' services.mastodon creates under fixed names (database.name, redis.servers.mastodon, its state).
    keeps: [
      { kind: "database", engine: "postgresql", name: "mastodon" },
      { kind: "database", engine: "redis", name: "mastodon" },
      { kind: "directory", path: "/var/lib/mastodon" },
    ],
  };
}
