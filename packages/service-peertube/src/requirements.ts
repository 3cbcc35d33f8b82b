import {
  ADMIN_PASSWORD_SECRET_ID,
  adminPasswordSecret,
  type BucketNeed,
  type CorsRule,
  type SecretFileNeed,
  type SecretNeed,
  type ServiceRequirements,
  SMTP_PASSWORD_SECRET_ID,
  smtpPasswordSecret,
} from "@fediversity/core";
import type { PeertubeOptions } from "./options.js";

/** Local ids of the instance's secrets and secret files. */
export const PEERTUBE_SECRETS = {
  /** PeerTube's own secret (`openssl rand -hex 32`): the module's `secrets.secretsFile`. */
  secret: "peertube-secret",
  /** The module's `serviceEnvironmentFile`: S3 credentials and the root account's initial password. */
  env: "env",
  /** Imported SMTP password (relay with a user only). */
  smtpPassword: SMTP_PASSWORD_SECRET_ID,
  /** The root account's initial password (with `initialAdmin` only). */
  adminPassword: ADMIN_PASSWORD_SECRET_ID,
} as const;

/** The user PeerTube runs as (the module's default). */
export const PEERTUBE_USER = "peertube";

/**
 * Object storage buckets: id → PeerTube's `object_storage` section and whether its objects are public. These are
 * the sections of PeerTube's config/default.yaml (`object_storage.*.bucket_name`) since 7.1, which added `captions`
 * (PeerTube issues #5788, #6933, #7098; nixpkgs ships a later release); caption files are read by the players like
 * the video files, so their bucket is public.
 */
export const PEERTUBE_BUCKETS = {
  "web-videos": { section: "web_videos", public: true },
  "streaming-playlists": { section: "streaming_playlists", public: true },
  captions: { section: "captions", public: true },
  "user-exports": { section: "user_exports", public: false },
  "original-video-files": { section: "original_video_files", public: false },
} as const;

/** Path prefix on the instance's own domain under which nginx proxies the private buckets' download URLs. */
export const PRIVATE_BUCKET_PATH = "/fediversity-s3";

/** CORS of the public video buckets: players on any origin fetch segments and files (with Range requests). */
export const VIDEO_CORS: CorsRule = {
  allowedOrigins: ["*"],
  allowedMethods: ["GET", "HEAD"],
  allowedHeaders: ["*"],
  exposeHeaders: ["Content-Length", "Content-Range", "ETag"],
  maxAgeSeconds: 3600,
};

/** What one PeerTube instance needs. */
export function peertubeRequirements(options: PeertubeOptions): ServiceRequirements {
  const s = PEERTUBE_SECRETS;
  const unit = ["peertube.service"];
  const secrets: SecretNeed[] = [{ id: s.secret, generate: { kind: "random-hex", bytes: 32 } }];
  const env: Record<string, { secret: string }> = {
    AWS_ACCESS_KEY_ID: { secret: "s3-access-key-id" },
    AWS_SECRET_ACCESS_KEY: { secret: "s3-secret-key" },
  };
  if (options.initialAdmin) {
    secrets.push(
      adminPasswordSecret(
        options.initialAdmin.password,
        `Initial password of PeerTube's root account on ${options.domain}`,
      ),
    );
    env.PT_INITIAL_ROOT_PASSWORD = { secret: s.adminPassword };
  }
  const secretFiles: SecretFileNeed[] = [
    // Read with `cat` by the peertube service script, as the peertube user.
    { id: s.secret, content: { kind: "value", secret: s.secret }, owner: PEERTUBE_USER, neededBy: unit },
    // systemd EnvironmentFile of peertube.service: read by systemd as root.
    { id: s.env, content: { kind: "env", entries: env }, owner: "root", neededBy: unit },
  ];
  const smtp = smtpPasswordSecret(options.smtp);
  if (smtp) {
    secrets.push(smtp);
    secretFiles.push({
      id: s.smtpPassword,
      content: { kind: "value", secret: s.smtpPassword },
      owner: PEERTUBE_USER,
      neededBy: unit,
    });
  }
  const buckets: BucketNeed[] = Object.entries(PEERTUBE_BUCKETS).map(([id, b]) => ({
    id,
    public: b.public,
    virtualHost: true,
    ...(b.public ? { cors: [VIDEO_CORS] } : {}),
  }));
  return {
    cpus: options.resources.cpus,
    memoryMiB: options.resources.memoryMiB,
    diskGiB: options.resources.diskGiB,
    buckets,
    secrets,
    secretFiles,
    domains: [options.domain],
    tcpPorts: [80, 443],
    acme: true,
    ...(options.smtp.mode === "local" ? { localMailDomain: options.domain } : {}),
    // What nixpkgs' services.peertube creates under fixed names (database.name, redis.servers.peertube, its state).
    keeps: [
      { kind: "database", engine: "postgresql", name: "peertube" },
      { kind: "database", engine: "redis", name: "peertube" },
      { kind: "directory", path: "/var/lib/peertube" },
    ],
  };
}
