import {
  acmeVirtualHost,
  type ExtraSettingValue,
  FediError,
  requireBucket,
  requirePublicUrl,
  requireS3,
  type ServiceContext,
  smtpAuthenticates,
  virtualHostEndpoint,
} from "@fediversity/core";
import type { NixInput } from "@fediversity/core/nix";
import type { PeertubeOptions } from "./options.js";
import { PEERTUBE_BUCKETS, PEERTUBE_SECRETS } from "./requirements.js";

/** The default sender address: `notifications@<domain>`. */
export function fromAddress(options: PeertubeOptions): string {
  return options.smtp.from ?? `notifications@${options.domain}`;
}

/**
 * PeerTube's `object_storage` settings. PeerTube addresses buckets in virtual-host style (`<bucket>.<endpoint host>`),
 * so the endpoint is the storage's virtual-host root with the S3 API's port; without a scheme PeerTube assumes https,
 * so an http endpoint keeps its `http://`. Garage has no ACLs: `upload_acl` is null for public and private objects.
 * Public buckets get their public URL as `base_url`; private ones are read through PeerTube's proxy.
 * @throws FediError `SPEC_INVALID` when the storage has no virtual-host root domain.
 */
export function objectStorageSettings(ctx: ServiceContext): Record<string, ExtraSettingValue> {
  const s3 = requireS3(ctx, "PeerTube");
  const vhost = virtualHostEndpoint(s3);
  if (!vhost) {
    throw new FediError(
      "SPEC_INVALID",
      "The storage cannot serve PeerTube: PeerTube needs virtual-host-style bucket addresses.",
      {
        issues: [
          {
            path: "storage.options",
            message: `PeerTube instance '${ctx.instance.name}' addresses buckets as <bucket>.<root domain>, but the storage has no S3 root domain`,
          },
        ],
        hint: "Give the storage an S3 root domain (for Garage: s3RootDomain) and a wildcard DNS record *.<root domain> pointing at the storage node.",
        service: ctx.instance.name,
      },
    );
  }
  const settings: Record<string, ExtraSettingValue> = {
    enabled: true,
    endpoint: vhost.startsWith("https://") ? vhost.slice("https://".length) : vhost,
    region: s3.region,
    upload_acl: { public: null, private: null },
  };
  for (const [id, b] of Object.entries(PEERTUBE_BUCKETS)) {
    settings[b.section] = {
      bucket_name: requireBucket(ctx, id, "PeerTube").name,
      prefix: "",
      base_url: b.public ? requirePublicUrl(ctx, id, "PeerTube") : "",
    };
  }
  return settings;
}

/** PeerTube's `smtp` settings: Postfix on 127.0.0.1:25 for local mail, else the relay (password from a file). */
export function smtpSettings(options: PeertubeOptions): Record<string, ExtraSettingValue> {
  const smtp = options.smtp;
  const from = fromAddress(options);
  if (smtp.mode === "local") {
    return {
      transport: "smtp",
      hostname: "127.0.0.1",
      port: 25,
      username: null,
      tls: false,
      disable_starttls: true,
      from_address: from,
    };
  }
  return {
    transport: "smtp",
    hostname: smtp.host,
    port: smtp.port,
    username: smtpAuthenticates(smtp) ? smtp.user : null,
    tls: smtp.security === "tls",
    disable_starttls: smtp.security === "none",
    from_address: from,
  };
}

const isObject = (v: unknown): v is Record<string, ExtraSettingValue> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Merges `extra` under `base`: objects merge key by key, `base` wins elsewhere (reserved keys never collide). */
export function mergeSettings(
  extra: Record<string, ExtraSettingValue>,
  base: Record<string, ExtraSettingValue>,
): Record<string, ExtraSettingValue> {
  const out: Record<string, ExtraSettingValue> = { ...extra };
  for (const [k, v] of Object.entries(base)) {
    const e = Object.hasOwn(out, k) ? out[k] : undefined;
    Object.defineProperty(out, k, {
      value: isObject(e) && isObject(v) ? mergeSettings(e, v) : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * The NixOS module body of a PeerTube instance: `services.peertube` behind nginx on 443 with ACME, with local
 * PostgreSQL and Redis, videos in the instance's S3 buckets, secrets as file paths.
 */
export function peertubeModule(ctx: ServiceContext, options: PeertubeOptions): NixInput {
  const s = PEERTUBE_SECRETS;
  const settings = mergeSettings(options.extraSettings, {
    object_storage: objectStorageSettings(ctx),
    smtp: smtpSettings(options),
    admin: { email: options.adminEmail },
    signup: { enabled: options.registrations !== "closed", requires_approval: options.registrations === "approval" },
  });
  return {
    services: {
      peertube: {
        enable: true,
        localDomain: options.domain,
        listenWeb: 443,
        enableWebHttps: true,
        configureNginx: true,
        secrets: { secretsFile: ctx.secretPath(s.secret) },
        serviceEnvironmentFile: ctx.secretPath(s.env),
        database: { createLocally: true },
        redis: { createLocally: true },
        smtp: {
          createLocally: options.smtp.mode === "local",
          ...(smtpAuthenticates(options.smtp) ? { passwordFile: ctx.secretPath(s.smtpPassword) } : {}),
        },
        settings: settings as NixInput,
      },
      nginx: { virtualHosts: { [options.domain]: acmeVirtualHost() } },
    },
  };
}
