// Shared by the plugin and NixOS tests: specs, a tiny service plugin, and a planner run that records what the
// planner handed the Garage plugin.
import {
  createPlanFromUnknown,
  createRegistry,
  defineService,
  defineStorage,
  type FediError,
  isFediError,
  type Plan,
  type StorageContext,
  type StorageNode,
} from "@fediversity/core";
import type { NixInput } from "@fediversity/core/nix";
import { z } from "zod";
import { type GarageOptions, garage } from "../src/index.js";

/** A valid OpenSSH ed25519 host key line (public half of a fixed test key). */
export const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8";

/** A machine entry for specs. */
export function machine(name: string, host: string, extra: Record<string, unknown> = {}) {
  const { ssh, nixos, ...rest } = extra as { ssh?: object; nixos?: object };
  return {
    name,
    host,
    ssh: { hostPublicKey: HOST_KEY, authorizedKeys: [`${HOST_KEY} ops@example.org`], ...ssh },
    resources: { cpus: 8, memoryMiB: 16384, diskGiB: 200 },
    // what `fedi adopt` would add, so that the machine is deployable
    stateVersion: "25.05",
    boot: { loader: "grub", devices: ["/dev/vda"] },
    nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } }, ...nixos },
    ...rest,
  };
}

/** A small service with one public bucket. */
export const mediaApp = defineService({
  kind: "mediaapp",
  apiVersion: 1,
  options: z.object({ domain: z.string() }).strict(),
  requirements: (o) => ({
    cpus: 1,
    memoryMiB: 1024,
    diskGiB: 5,
    buckets: [{ id: "media", public: true }],
    domains: [o.domain],
  }),
  nixos: (ctx) => ({ environment: { etc: { "mediaapp-s3": { text: ctx.s3!.endpoint } } } }),
  checks: () => [],
});

/** What the planner handed `garage.nixos` for one node, and what it returned. */
export interface NodeCall {
  ctx: StorageContext;
  node: StorageNode;
  options: GarageOptions;
  body: NixInput;
}

/** Plans `spec` with the Garage plugin (wrapped to record its `nixos` calls) and the media service. */
export function planGarage(spec: unknown): { plan: Plan; calls: Map<string, NodeCall> } {
  const calls = new Map<string, NodeCall>();
  const recording = defineStorage<GarageOptions>({
    ...garage,
    nixos: (ctx, node, options) => {
      const body = garage.nixos(ctx, node, options);
      calls.set(node.machine.name, { ctx, node, options, body });
      return body;
    },
  });
  const plan = createPlanFromUnknown({ spec, registry: createRegistry([recording, mediaApp]) });
  return { plan, calls };
}

/** The single-machine MVP: one machine does everything. */
export function singleNodeSpec(options: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "mvp",
    machines: [machine("allinone", "10.0.0.10")],
    storage: { kind: "garage", options: { webRootDomain: "web.example.org", ...options } },
    acme: { email: "ops@example.org" },
    services: [{ name: "social", kind: "mediaapp", options: { domain: "social.example.org" } }],
  };
}

/** Three dedicated storage nodes in three zones (one with an IPv6 address) and one service machine. */
export function threeNodeSpec(options: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "cluster",
    machines: [
      machine("store-a", "10.0.1.1", { roles: ["storage"], zone: "ams" }),
      machine("store-b", "10.0.1.2", { roles: ["storage"], zone: "par" }),
      machine("store-c", "2001:db8::3", { roles: ["storage"], zone: "ber" }),
      machine("apps", "10.0.2.1", { roles: ["services"] }),
    ],
    storage: {
      kind: "garage",
      options: { replicationFactor: 3, s3RootDomain: "s3.example.org", webRootDomain: "web.example.org", ...options },
    },
    acme: { email: "ops@example.org" },
    services: [{ name: "social", kind: "mediaapp", options: { domain: "social.example.org" } }],
  };
}

/** Runs `fn` and returns the FediError it throws (fails the test when it does not throw one). */
export function fediErrorOf(fn: () => unknown): FediError {
  try {
    fn();
  } catch (error) {
    if (isFediError(error)) return error;
    throw error;
  }
  throw new Error("expected a FediError, but nothing was thrown");
}
