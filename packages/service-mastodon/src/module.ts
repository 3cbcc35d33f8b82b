import {
  acmeVirtualHost,
  parseS3Endpoint,
  requireBucket,
  requirePublicUrl,
  requireS3,
  type ServiceContext,
  smtpAuthenticates,
} from "@fediversity/core";
import type { NixInput } from "@fediversity/core/nix";
import { assertMastodonEnvironment } from "./environment.js";
import type { MastodonOptions } from "./options.js";
import { MASTODON_SECRETS, SETUP_UNIT, streamingProcesses } from "./requirements.js";
import { setupUnit } from "./setup-unit.js";

/** The default sender address: `notifications@<domain>`. */
export function fromAddress(options: MastodonOptions): string {
  return options.smtp.from ?? `notifications@${options.domain}`;
}

/**
 * Mastodon's S3 environment variables (non-secret; they land in the Nix store). Media is written through the S3 API
 * and served from the bucket's public URL (`S3_ALIAS_HOST`, `S3_PROTOCOL`); `S3_OVERRIDE_PATH_STYLE` is `"true"` only
 * for virtual-host addressing; `S3_PERMISSION` is empty because Garage has no ACLs.
 */
export function s3Environment(ctx: ServiceContext): Record<string, string> {
  const s3 = requireS3(ctx, "Mastodon");
  const bucket = requireBucket(ctx, "media", "Mastodon");
  const publicUrl = new URL(requirePublicUrl(ctx, "media", "Mastodon"));
  const endpoint = parseS3Endpoint(s3.endpoint);
  const aliasPath = publicUrl.pathname.replace(/\/+$/, "");
  return {
    S3_ENABLED: "true",
    S3_BUCKET: bucket.name,
    S3_REGION: s3.region,
    S3_ENDPOINT: s3.endpoint.replace(/\/+$/, ""),
    S3_HOSTNAME: endpoint.host,
    S3_PROTOCOL: publicUrl.protocol.replace(/:$/, ""),
    S3_ALIAS_HOST: `${publicUrl.host}${aliasPath}`,
    S3_OVERRIDE_PATH_STYLE: s3.forcePathStyle ? "false" : "true",
    S3_PERMISSION: "",
  };
}

/** TLS environment of a relay (`SMTP_ENABLE_STARTTLS`, `SMTP_TLS`); nothing for local mail. */
function smtpEnvironment(options: MastodonOptions): Record<string, string> {
  if (options.smtp.mode !== "relay") return {};
  switch (options.smtp.security) {
    case "starttls":
      return { SMTP_ENABLE_STARTTLS: "always" };
    case "tls":
      return { SMTP_TLS: "true", SMTP_ENABLE_STARTTLS: "never" };
    case "none":
      return { SMTP_ENABLE_STARTTLS: "never" };
  }
}

/** `extraSettings` as environment strings (booleans as `true`/`false`, which Mastodon reads; the module would print `1`). */
function extraEnvironment(options: MastodonOptions): Record<string, string> {
  return Object.fromEntries(Object.entries(options.extraSettings).map(([k, v]) => [k, String(v)]));
}

/** `services.mastodon.smtp`. */
function smtpSettings(ctx: ServiceContext, options: MastodonOptions): Record<string, NixInput> {
  const smtp = options.smtp;
  if (smtp.mode === "local") return { createLocally: true, fromAddress: fromAddress(options) };
  return {
    createLocally: false,
    host: smtp.host,
    port: smtp.port,
    fromAddress: fromAddress(options),
    authenticate: smtpAuthenticates(smtp),
    ...(smtpAuthenticates(smtp)
      ? { user: smtp.user, passwordFile: ctx.secretPath(MASTODON_SECRETS.smtpPassword) }
      : {}),
  };
}

/**
 * The NixOS module body of a Mastodon instance: `services.mastodon` with local PostgreSQL and Redis (the module's
 * defaults), nginx with ACME, media in the instance's S3 bucket, the SDK's secrets as file paths, and the setup unit.
 */
export function mastodonModule(ctx: ServiceContext, options: MastodonOptions): NixInput {
  const s = MASTODON_SECRETS;
  const s3EnvFile = ctx.secretPath(s.s3Env);
  const adminPasswordFile = options.initialAdmin ? ctx.secretPath(s.adminPassword) : undefined;
  const s3 = s3Environment(ctx);
  const extraConfig = { ...extraEnvironment(options), ...s3, ...smtpEnvironment(options) };
  const smtp = smtpSettings(ctx, options);
  const fields: Record<string, string> = Object.fromEntries([
    ...Object.keys(options.extraSettings).map((k) => [k, `extraSettings.${k}`]),
    // S3 values come from the storage's endpoint, region, bucket names and public URLs.
    ...Object.keys(s3).map((k) => [k, "storage.options"]),
    ["SMTP_FROM_ADDRESS", "smtp.from"],
    ["SMTP_LOGIN", "smtp.user"],
    ["SMTP_SERVER", "smtp.host"],
  ]);
  assertMastodonEnvironment(
    {
      ...extraConfig,
      SMTP_FROM_ADDRESS: fromAddress(options),
      ...(typeof smtp.user === "string" ? { SMTP_LOGIN: smtp.user } : {}),
      ...(typeof smtp.host === "string" ? { SMTP_SERVER: smtp.host } : {}),
    },
    fields,
  );
  return {
    services: {
      mastodon: {
        enable: true,
        localDomain: options.domain,
        configureNginx: true,
        streamingProcesses: streamingProcesses(options),
        secretKeyBaseFile: ctx.secretPath(s.secretKeyBase),
        activeRecordEncryptionDeterministicKeyFile: ctx.secretPath(s.arDeterministicKey),
        activeRecordEncryptionKeyDerivationSaltFile: ctx.secretPath(s.arKeyDerivationSalt),
        activeRecordEncryptionPrimaryKeyFile: ctx.secretPath(s.arPrimaryKey),
        database: { createLocally: true },
        redis: { createLocally: true },
        smtp,
        extraConfig,
        extraEnvFiles: [s3EnvFile],
      },
      nginx: { virtualHosts: { [options.domain]: acmeVirtualHost() } },
    },
    systemd: { services: { [SETUP_UNIT]: setupUnit(options, s3EnvFile, adminPasswordFile) } },
  };
}
