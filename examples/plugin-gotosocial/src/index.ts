// An example third-party service plugin: one GoToSocial instance per machine through nixpkgs'
// services.gotosocial (nixos/modules/services/web-apps/gotosocial.nix), PostgreSQL set up by that module, nginx
// with a Let's Encrypt certificate in front, and media in a private S3 bucket of the deployment's storage. It uses
// only @fediversity/core's public exports. docs/writing-a-plugin.md walks through it.
import {
  acmeVirtualHost,
  defineService,
  parseS3Endpoint,
  requireBucket,
  requireS3,
  type ServiceContext,
} from "@fediversity/core";
import { z } from "zod";

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** Port GoToSocial listens on, on the loopback only; nginx proxies to it. */
export const GOTOSOCIAL_PORT = 8080;

/** Options of a GoToSocial instance. */
export const GotosocialOptions = z
  .object({
    /** Public domain: accounts are `@user@domain`. GoToSocial cannot change it once it has started. */
    domain: z.string().regex(DOMAIN, "must be a lower-case domain such as social.example.org"),
    /** Whether people may sign up (they still need approval). Default false. */
    registrationOpen: z.boolean().default(false),
    /** Name shown on the instance's pages. Default: the domain. */
    instanceName: z.string().min(1).max(100).optional(),
  })
  .strict();

/** The options as a config writes them (defaults optional). */
export type GotosocialOptionsInput = z.input<typeof GotosocialOptions>;
/** The options after validation (defaults applied). */
export type GotosocialOptions = z.output<typeof GotosocialOptions>;

/** GoToSocial's settings (its config.yml keys) for an instance. */
function settings(ctx: ServiceContext, o: GotosocialOptions): Record<string, string | number | boolean> {
  const s3 = requireS3(ctx, "GoToSocial");
  const endpoint = parseS3Endpoint(s3.endpoint);
  return {
    host: o.domain,
    "application-name": o.instanceName ?? o.domain,
    protocol: "https",
    "bind-address": "127.0.0.1",
    port: GOTOSOCIAL_PORT,
    "accounts-registration-open": o.registrationOpen,
    "storage-backend": "s3",
    "storage-s3-endpoint": endpoint.host,
    "storage-s3-use-ssl": endpoint.protocol === "https",
    "storage-s3-bucket": requireBucket(ctx, "media", "GoToSocial").name,
    // Media is served through GoToSocial (signed URLs would need the bucket reachable from every browser).
    "storage-s3-proxy": true,
  };
}

/** The GoToSocial service plugin (`kind: "gotosocial"`). */
export const gotosocial = defineService({
  kind: "gotosocial",
  apiVersion: 1,
  coreVersion: "^0.1.0",
  displayName: "GoToSocial",
  options: GotosocialOptions,
  requirements: (o) => ({
    cpus: 1,
    memoryMiB: 1024,
    diskGiB: 10,
    buckets: [{ id: "media", public: false }],
    secretFiles: [
      {
        // The S3 credentials the planner made for the instance, as GoToSocial's environment variables.
        id: "env",
        content: {
          kind: "env",
          entries: {
            GTS_STORAGE_S3_ACCESS_KEY: { secret: "s3-access-key-id" },
            GTS_STORAGE_S3_SECRET_KEY: { secret: "s3-secret-key" },
          },
        },
        owner: "root",
        neededBy: ["gotosocial.service"],
      },
    ],
    domains: [o.domain],
    tcpPorts: [80, 443],
    acme: true,
  }),
  nixos: (ctx, o) => ({
    services: {
      gotosocial: {
        enable: true,
        setupPostgresqlDB: true,
        environmentFile: ctx.secretPath("env"),
        settings: settings(ctx, o),
      },
      nginx: {
        enable: true,
        recommendedProxySettings: true,
        virtualHosts: {
          [o.domain]: acmeVirtualHost({
            locations: { "/": { proxyPass: `http://127.0.0.1:${GOTOSOCIAL_PORT}`, proxyWebsockets: true } },
          }),
        },
      },
    },
  }),
  checks: (_ctx, o) => [
    { kind: "systemd-unit", unit: "gotosocial.service" },
    { kind: "http", url: `https://${o.domain}/api/v1/instance`, viaMachine: true },
  ],
});
