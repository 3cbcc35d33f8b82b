// A test double of the Garage storage plugin (contract: packages/storage-garage/src/access.ts and Garage's docs):
// S3 API at http://<node>:3900 (127.0.0.1 on the node itself), path-style, region "garage", virtual-host root =
// `s3RootDomain`, public bucket URL https://<bucket>.<webRootDomain>. No runtime operations.
import { defineStorage } from "@fediversity/core";
import { z } from "zod";

/** The double's options: which optional Garage features are configured. */
const Options = z.object({ s3RootDomain: z.string().optional(), webRootDomain: z.string().optional() }).strict();

/** Storage double: the first machine is the only node. */
export const storageDouble = defineStorage({
  kind: "garage-double",
  apiVersion: 1,
  options: Options,
  requirements: (_o, machines) => ({
    nodes: [machines[0]!.name],
    perNode: { cpus: 0.5, memoryMiB: 1024, diskGiB: 10 },
    exclusive: false,
  }),
  nixos: () => ({}),
  s3Access: (ctx, machine, o) => ({
    endpoint: `http://${ctx.nodes[0]!.machine.name === machine.name ? "127.0.0.1" : ctx.nodes[0]!.machine.host}:3900`,
    region: "garage",
    forcePathStyle: true,
    ...(o.s3RootDomain ? { virtualHostRoot: o.s3RootDomain } : {}),
  }),
  publicUrl: (bucket, o) => (o.webRootDomain ? `https://${bucket}.${o.webRootDomain}` : undefined),
  checks: () => [],
});

/** A valid ed25519 host key line (public half of a fixed test key). */
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8";

/** A one-machine deployment spec running `services` on the storage double. */
export function specWith(
  services: unknown[],
  storage: Record<string, unknown> = { s3RootDomain: "s3.example.org", webRootDomain: "web.example.org" },
) {
  return {
    name: "demo",
    machines: [
      {
        name: "web01",
        host: "10.0.0.11",
        ssh: { hostPublicKey: HOST_KEY },
        resources: { cpus: 8, memoryMiB: 32768, diskGiB: 400 },
      },
    ],
    storage: { kind: "garage-double", options: storage },
    acme: { email: "ops@example.org", staging: true },
    services,
  };
}
