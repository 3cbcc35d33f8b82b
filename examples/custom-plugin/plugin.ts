// A complete small service plugin: a static "hello" site served by nginx with an ACME certificate, a public bucket
// for uploads, and a generated basic-auth password file. Tested by the core plugin test kit
// (packages/core/test/testing/example-plugin.test.ts); docs/writing-a-plugin.md walks through it.
import { defineService } from "@fediversity/core";
import { nix } from "@fediversity/core/nix";
import { z } from "zod";

/** Options of the hello plugin. */
export const HelloOptions = z
  .object({
    /** Public domain of the site. */
    domain: z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, "must be a domain such as hello.example.org"),
    /** Text of the page. */
    greeting: z.string().min(1).max(200).default("Hello, Fediverse!"),
  })
  .strict();

/** The hello plugin. */
export const hello = defineService({
  kind: "hello",
  apiVersion: 1,
  coreVersion: "^0.1.0",
  displayName: "Hello site",
  options: HelloOptions,
  requirements: (o) => ({
    cpus: 1,
    memoryMiB: 256,
    diskGiB: 1,
    buckets: [{ id: "uploads", public: true, cors: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] }],
    secrets: [{ id: "htpasswd", generate: { kind: "import", description: "an htpasswd line for the /admin area" } }],
    secretFiles: [
      // nginx reads an auth_basic_user_file on every request: nothing needs a restart when it changes
      {
        id: "htpasswd",
        owner: "nginx",
        neededBy: ["nginx.service"],
        restartUnits: [],
        content: { kind: "value", secret: "htpasswd" },
      },
    ],
    domains: [o.domain],
    tcpPorts: [80, 443],
    acme: true,
  }),
  nixos: (ctx, o) => ({
    services: {
      nginx: {
        enable: true,
        virtualHosts: {
          [o.domain]: {
            enableACME: true,
            forceSSL: true,
            root: nix.apply(nix.ref("pkgs.writeTextDir"), "index.html", `<h1>${o.greeting}</h1>`),
            locations: {
              "/uploads/": { proxyPass: `${ctx.s3!.buckets.uploads!.publicUrl ?? ctx.s3!.endpoint}/` },
              "/admin/": { basicAuthFile: ctx.secretPath("htpasswd") },
            },
          },
        },
      },
    },
  }),
  checks: (_ctx, o) => [
    { kind: "systemd-unit", unit: "nginx.service" },
    { kind: "http", url: `https://${o.domain}/`, viaMachine: true },
  ],
});
