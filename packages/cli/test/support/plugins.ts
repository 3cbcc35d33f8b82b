// Small plugins for in-process tests of the output code (the binary tests use the real plugins).
import { defineService, defineStorage, type MachineFacts } from "@fediversity/core";
import { z } from "zod";

/** A web service with a public bucket, a secret and an env file. */
export const site = defineService({
  kind: "site",
  apiVersion: 1,
  options: z.object({ domain: z.string(), memoryMiB: z.number().int().positive().default(2048) }).strict(),
  requirements: (o) => ({
    cpus: 1,
    memoryMiB: o.memoryMiB,
    diskGiB: 5,
    buckets: [{ id: "media", public: true }],
    secrets: [{ id: "app-key", generate: { kind: "random-hex", bytes: 32 } }],
    secretFiles: [
      {
        id: "env",
        owner: "site",
        neededBy: ["site.service"],
        content: { kind: "env", entries: { APP_KEY: { secret: "app-key" }, S3_KEY: { secret: "s3-secret-key" } } },
      },
    ],
    domains: [o.domain],
    tcpPorts: [80, 443],
  }),
  nixos: (ctx, o) => ({
    services: { site: { enable: true, domain: o.domain, env: ctx.secretPath("env"), s3: ctx.s3?.endpoint ?? null } },
  }),
  checks: () => [{ kind: "systemd-unit", unit: "site.service" }],
});

/** A storage backend whose nodes are the machines with exactly the `storage` role (else the first machine). */
export const blobs = defineStorage({
  kind: "blobs",
  apiVersion: 1,
  options: z.object({}).strict(),
  requirements: (_o, machines: MachineFacts[]) => {
    const dedicated = machines.filter((m) => m.roles.length === 1 && m.roles[0] === "storage").map((m) => m.name);
    const nodes = dedicated.length ? dedicated : [machines[0]!.name];
    return {
      nodes,
      perNode: { cpus: 0.5, memoryMiB: 512, diskGiB: 1 },
      secrets: [{ id: "rpc", generate: { kind: "random-hex", bytes: 32 } }],
      exclusive: dedicated.length > 0,
    };
  },
  nixos: (_ctx, node) => ({ services: { blobs: { enable: true, zone: node.zone } } }),
  s3Access: (ctx, machine) => {
    const local = ctx.nodes.find((n) => n.machine.name === machine.name);
    return {
      endpoint: `http://${local ? "127.0.0.1" : ctx.nodes[0]!.machine.host}:3900`,
      region: "blobs",
      forcePathStyle: true,
    };
  },
  publicUrl: (bucket) => `https://${bucket}.web.example.org`,
  checks: () => [{ kind: "systemd-unit", unit: "blobs.service" }],
});

/** A valid ed25519 host key line (public half only). */
export const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlmEJY3Zj75XY5td5+vVlmAsFeCvpdbtYJJK5wA9lrK";

/** A machine entry. */
export function machine(name: string, host: string, extra: Record<string, unknown> = {}) {
  const { ssh, nixos, ...rest } = extra as { ssh?: object; nixos?: object };
  return {
    name,
    host,
    ssh: { hostPublicKey: HOST_KEY, authorizedKeys: [`${HOST_KEY} ops@example.org`], ...ssh },
    resources: { cpus: 4, memoryMiB: 8192, diskGiB: 100 },
    // what `fedi adopt` would add, so that the machine is deployable
    stateVersion: "25.05",
    boot: { loader: "grub", devices: ["/dev/vda"] },
    nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } }, ...nixos },
    ...rest,
  };
}
