import { isIP } from "node:net";
import {
  acmeVirtualHost,
  type ExtraSettingValue,
  FediError,
  parseS3Endpoint,
  requireBucket,
  requirePublicUrl,
  requireS3,
  type ServiceContext,
  smtpAuthenticates,
  virtualHostEndpoint,
} from "@fediversity/core";
import type { NixInput } from "@fediversity/core/nix";
import type { PeertubeOptions } from "./options.js";
import { PEERTUBE_BUCKETS, PEERTUBE_SECRETS, PRIVATE_BUCKET_PATH } from "./requirements.js";

/** The default sender address: `notifications@<domain>`. */
export function fromAddress(options: PeertubeOptions): string {
  return options.smtp.from ?? `notifications@${options.domain}`;
}

/**
 * How PeerTube reaches the instance's buckets. PeerTube addresses buckets in virtual-host style only
 * (`<bucket>.<endpoint host>`; config/default.yaml: "PeerTube doesn't support path style requests"), so its endpoint is
 * the storage's virtual-host root with the S3 API's scheme and port (without a scheme PeerTube assumes https). Each
 * bucket host is pinned in `/etc/hosts` to the address of the S3 API the storage hands this machine (127.0.0.1 when
 * the storage node is the machine itself, else the node's address, which the storage's firewall opens to the service
 * machines): no DNS record and no extra firewall port are needed for PeerTube to reach its buckets.
 */
export interface PeertubeS3Route {
  /** `object_storage.endpoint`: `http://<root>:<port>`, or `<root>[:port]` for https. */
  endpoint: string;
  /** The S3 API as nginx reaches it: the storage's endpoint URL, e.g. `http://127.0.0.1:3900`. */
  upstream: string;
  /** Address every bucket host resolves to (`networking.hosts`), when the storage's endpoint is an IP address. */
  address: string | undefined;
  /** Bucket id → its virtual host as PeerTube signs requests for it (`<bucket>.<root>[:port]`). */
  hosts: Record<string, string>;
}

/**
 * The {@link PeertubeS3Route} of an instance.
 * @throws FediError `SPEC_INVALID` when the storage has no virtual-host root domain.
 */
export function peertubeS3Route(ctx: ServiceContext): PeertubeS3Route {
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
        hint: "Give the storage an S3 root domain (for Garage: s3RootDomain).",
        service: ctx.instance.name,
      },
    );
  }
  const api = parseS3Endpoint(s3.endpoint);
  const root = new URL(vhost);
  const hosts: Record<string, string> = {};
  for (const id of Object.keys(PEERTUBE_BUCKETS)) {
    hosts[id] = `${requireBucket(ctx, id, "PeerTube").name}.${root.host}`;
  }
  const ip = api.hostname.replace(/^\[|\]$/g, "");
  return {
    endpoint: vhost.startsWith("https://") ? vhost.slice("https://".length) : vhost,
    upstream: s3.endpoint.replace(/\/+$/, ""),
    address: isIP(ip) !== 0 ? ip : undefined,
    hosts,
  };
}

/**
 * PeerTube's `object_storage` settings. Garage has no ACLs: `upload_acl` is null for public and private objects.
 * Public buckets get their public URL as `base_url`. Private buckets (user exports, original files) are downloaded
 * through presigned URLs that PeerTube signs for the internal bucket host and then rewrites to `base_url`
 * (lib/object-storage/pre-signed-urls.ts, `getObjectStoragePublicFileUrl`: scheme and host replaced, path and query
 * kept); their `base_url` is a path on the instance's own HTTPS domain that nginx proxies to the S3 API with the signed
 * Host (see {@link privateBucketLocations}), so browsers never get an internal `http://<bucket>.<root>:3900` URL.
 * @throws FediError `SPEC_INVALID` when the storage has no virtual-host root domain or no public URL for a bucket.
 */
export function objectStorageSettings(
  ctx: ServiceContext,
  options: PeertubeOptions,
): Record<string, ExtraSettingValue> {
  const s3 = requireS3(ctx, "PeerTube");
  const route = peertubeS3Route(ctx);
  const settings: Record<string, ExtraSettingValue> = {
    enabled: true,
    endpoint: route.endpoint,
    region: s3.region,
    upload_acl: { public: null, private: null },
  };
  for (const [id, b] of Object.entries(PEERTUBE_BUCKETS)) {
    settings[b.section] = {
      bucket_name: requireBucket(ctx, id, "PeerTube").name,
      prefix: "",
      base_url: b.public
        ? requirePublicUrl(ctx, id, "PeerTube")
        : `https://${options.domain}${PRIVATE_BUCKET_PATH}/${id}`,
    };
  }
  return settings;
}

const NGINX_SAFE_HOST = /^[a-z0-9.-]+(:[0-9]{1,5})?$/;
const NGINX_SAFE_UPSTREAM = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/i;

/**
 * nginx locations on the instance's virtual host that serve the private buckets' presigned download URLs:
 * `<PRIVATE_BUCKET_PATH>/<bucket id>/<key>?X-Amz-...` is passed to the S3 API as `/<key>?X-Amz-...` with the Host
 * header PeerTube signed (`<bucket>.<root>[:port]`), so the signature checks out; without a valid signature the S3 API
 * refuses the request, so nothing private becomes public.
 * @throws FediError `PLUGIN_CONTRACT` when a host or endpoint could not be written into nginx's configuration safely.
 */
export function privateBucketLocations(ctx: ServiceContext): Record<string, NixInput> {
  const route = peertubeS3Route(ctx);
  if (!NGINX_SAFE_UPSTREAM.test(route.upstream)) throw nginxUnsafe(ctx, "S3 endpoint");
  const locations: Record<string, NixInput> = {};
  for (const [id, b] of Object.entries(PEERTUBE_BUCKETS)) {
    if (b.public) continue;
    const host = route.hosts[id]!;
    if (!NGINX_SAFE_HOST.test(host)) throw nginxUnsafe(ctx, `bucket host of '${id}'`);
    locations[`^~ ${PRIVATE_BUCKET_PATH}/${id}/`] = {
      proxyPass: `${route.upstream}/`,
      recommendedProxySettings: false,
      extraConfig: [
        `proxy_set_header Host ${host};`,
        'proxy_set_header Authorization "";',
        "proxy_request_buffering off;",
        "proxy_buffering off;",
        "",
      ].join("\n"),
    };
  }
  return locations;
}

function nginxUnsafe(ctx: ServiceContext, what: string): FediError {
  return new FediError(
    "PLUGIN_CONTRACT",
    `The storage gave PeerTube instance '${ctx.instance.name}' a ${what} that cannot be written into nginx's configuration.`,
    { hint: "Check the storage options (S3 root domain, endpoint), or report a bug in the storage plugin." },
  );
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
  const route = peertubeS3Route(ctx);
  const settings = mergeSettings(options.extraSettings, {
    object_storage: objectStorageSettings(ctx, options),
    smtp: smtpSettings(options),
    admin: { email: options.adminEmail },
    signup: { enabled: options.registrations !== "closed", requires_approval: options.registrations === "approval" },
  });
  const body: Record<string, NixInput> = {
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
      nginx: {
        virtualHosts: { [options.domain]: acmeVirtualHost({ locations: privateBucketLocations(ctx) }) },
      },
    },
  };
  // The bucket hosts resolve to the S3 API the storage hands this machine, without DNS.
  if (route.address) {
    const names = [...new Set(Object.values(route.hosts).map((h) => h.replace(/:[0-9]+$/, "")))].sort();
    body.networking = { hosts: { [route.address]: names } };
  }
  return body;
}
