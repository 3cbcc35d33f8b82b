// A small service plugin for end-to-end tests (loaded by the test and by `fedi` configs the tests write).
import { defineService } from "@fediversity/core";
import { z } from "zod";

/** A web service whose health check reaches a local HTTP server through the machine (curl --resolve). */
export function probeApp(healthPort: number) {
  return defineService({
    kind: "probeapp",
    apiVersion: 1,
    options: z.object({ domain: z.string(), motto: z.string().default("hello") }).strict(),
    requirements: (o) => ({
      cpus: 1,
      memoryMiB: 512,
      diskGiB: 1,
      buckets: [{ id: "media", public: true, cors: [{ allowedOrigins: ["*"], allowedMethods: ["GET"] }] }],
      secrets: [{ id: "app-key", generate: { kind: "random-hex", bytes: 32 } }],
      secretFiles: [
        {
          id: "env",
          owner: "root",
          neededBy: ["probeapp.service"],
          content: {
            kind: "env",
            entries: {
              APP_KEY: { secret: "app-key" },
              AWS_ACCESS_KEY_ID: { secret: "s3-access-key-id" },
              AWS_SECRET_ACCESS_KEY: { secret: "s3-secret-key" },
            },
          },
        },
      ],
      domains: [o.domain],
      tcpPorts: [80, 443],
    }),
    nixos: (ctx, o) => ({
      services: {
        probeapp: {
          enable: true,
          domain: o.domain,
          motto: o.motto,
          environmentFile: ctx.secretPath("env"),
          bucket: ctx.s3!.buckets.media!.name,
        },
      },
    }),
    checks: (_ctx, o) => [
      { kind: "systemd-unit", unit: "probeapp.service" },
      { kind: "http", url: `http://${o.domain}:${healthPort}/health`, viaMachine: true },
    ],
  });
}
