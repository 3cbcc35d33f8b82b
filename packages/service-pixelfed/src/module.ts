import {
  acmeVirtualHost,
  dotenvValue,
  requireBucket,
  requirePublicUrl,
  requireS3,
  type ServiceContext,
  smtpAuthenticates,
} from "@fediversity/core";
import type { NixInput } from "@fediversity/core/nix";
import { adminUnit } from "./admin-unit.js";
import type { PixelfedOptions } from "./options.js";
import { ADMIN_UNIT, PIXELFED_SECRETS } from "./requirements.js";

/** The default sender address: `notifications@<domain>`. */
export function fromAddress(options: PixelfedOptions): string {
  return options.smtp.from ?? `notifications@${options.domain}`;
}

/**
 * Pixelfed's cloud storage settings (non-secret; they land in the Nix store): media goes to the instance's bucket
 * through the S3 API (`AWS_ENDPOINT`, path style when the storage wants it) and is served from its public URL
 * (`AWS_URL`). The keys are in the secret file.
 */
export function s3Settings(ctx: ServiceContext): Record<string, string | boolean> {
  const s3 = requireS3(ctx, "Pixelfed");
  return {
    PF_ENABLE_CLOUD: true,
    FILESYSTEM_CLOUD: "s3",
    AWS_DEFAULT_REGION: s3.region,
    AWS_BUCKET: requireBucket(ctx, "media", "Pixelfed").name,
    AWS_URL: requirePublicUrl(ctx, "media", "Pixelfed"),
    AWS_ENDPOINT: s3.endpoint.replace(/\/+$/, ""),
    AWS_USE_PATH_STYLE_ENDPOINT: s3.forcePathStyle,
  };
}

/**
 * Laravel's mail settings. Local mail goes to Postfix on 127.0.0.1:25 without TLS. A relay uses `MAIL_ENCRYPTION`
 * `tls` for STARTTLS and implicit TLS alike (Laravel picks implicit TLS on port 465), `null` for none.
 */
export function mailSettings(options: PixelfedOptions): Record<string, string | number> {
  const common = {
    MAIL_DRIVER: "smtp",
    MAIL_MAILER: "smtp",
    MAIL_FROM_ADDRESS: fromAddress(options),
    MAIL_FROM_NAME: options.domain,
  };
  const smtp = options.smtp;
  if (smtp.mode === "local") return { ...common, MAIL_HOST: "127.0.0.1", MAIL_PORT: 25, MAIL_ENCRYPTION: "null" };
  return {
    ...common,
    MAIL_HOST: smtp.host,
    MAIL_PORT: smtp.port,
    MAIL_ENCRYPTION: smtp.security === "none" ? "null" : "tls",
    ...(smtpAuthenticates(smtp) ? { MAIL_USERNAME: smtp.user } : {}),
  };
}

/**
 * `services.pixelfed.settings` ready for the module's `.env`: the module writes them with
 * `lib.generators.toKeyValue { }`, string values raw (nixos/modules/services/web-apps/pixelfed.nix, `configFile`),
 * so every string is encoded for phpdotenv here ({@link dotenvValue}: plain values unchanged, others double-quoted
 * and escaped), and a newline, `#`, quote or `${...}` in a value can never add or override a line. Booleans and
 * numbers are left to the module (it reads `ACTIVITY_PUB` and `OAUTH_ENABLED` as booleans).
 * @param fields - setting name → spec path of its value, for errors.
 * @throws FediError `VALUE_UNREPRESENTABLE` for a value phpdotenv cannot hold (NUL, a lone surrogate).
 */
export function dotenvSettings(
  settings: Record<string, string | number | boolean>,
  fields: Record<string, string> = {},
): Record<string, string | number | boolean> {
  return Object.fromEntries(
    Object.entries(settings).map(([k, v]) => [k, typeof v === "string" ? dotenvValue(v, fields[k] ?? k) : v]),
  );
}

/**
 * The NixOS module body of a Pixelfed instance: `services.pixelfed` with the module's local database (MariaDB) and
 * Redis, its nginx virtual host with ACME, media in the instance's S3 bucket, secrets in `secretFile`, Postfix for
 * local mail, and the initial administrator's unit.
 */
export function pixelfedModule(ctx: ServiceContext, options: PixelfedOptions): NixInput {
  const services: Record<string, NixInput> = {
    pixelfed: {
      enable: true,
      domain: options.domain,
      secretFile: ctx.secretPath(PIXELFED_SECRETS.env),
      nginx: acmeVirtualHost(),
      settings: dotenvSettings(
        {
          ...options.extraSettings,
          OPEN_REGISTRATION: options.registrations === "open",
          INSTANCE_CONTACT_EMAIL: options.adminEmail,
          ...s3Settings(ctx),
          ...mailSettings(options),
        },
        {
          ...Object.fromEntries(Object.keys(options.extraSettings).map((k) => [k, `extraSettings.${k}`])),
          INSTANCE_CONTACT_EMAIL: "adminEmail",
          MAIL_FROM_ADDRESS: "smtp.from",
          MAIL_USERNAME: "smtp.user",
        },
      ),
    },
  };
  if (options.smtp.mode === "local") services.postfix = { enable: true };
  const body: Record<string, NixInput> = { services };
  if (options.initialAdmin) {
    body.systemd = {
      services: { [ADMIN_UNIT]: adminUnit(options.initialAdmin, ctx.secretPath(PIXELFED_SECRETS.adminPassword)) },
    };
  }
  return body;
}
