import { z } from "zod";
import { validateOpenSshPublicKey } from "../machine/host-key.js";
import { DnsLabel, DomainName, EmailAddress, HostAddress, InstanceName, Port } from "./names.js";

/** An OpenSSH public key line, validated (type, base64 blob, embedded type). */
export const SshPublicKeyLine = z.string().superRefine((value, ctx) => {
  const problem = validateOpenSshPublicKey(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** How the SDK reaches a machine over SSH. */
export const MachineSsh = z
  .object({
    /** Login user. Default `root`. */
    user: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]*$/, "must be a Unix user name")
      .default("root"),
    /** SSH port. Default 22. */
    port: Port.default(22),
    /** The machine's host public key (`ssh-ed25519 AAAA...`): connections to any other key are refused. */
    hostPublicKey: SshPublicKeyLine,
    /** Private key file used to log in; without it the SSH agent is used. */
    identityFile: z.string().min(1).optional(),
  })
  .strict();

/** What a machine offers. The planner keeps a reserve for the operating system on top of what services need. */
export const MachineResources = z
  .object({
    /** Number of CPU cores. */
    cpus: z.number().int().positive(),
    /** Memory in MiB. */
    memoryMiB: z.number().int().positive(),
    /** Disk space in GiB. */
    diskGiB: z.number().positive(),
  })
  .strict();

/** The role a machine may play: a storage node, a service machine, or both (omit `roles` for both). */
export const MachineRole = z.enum(["storage", "services"]);

/** A machine the provider already runs (an existing NixOS VM). */
export const Machine = z
  .object({
    /** Name, a DNS label; also the NixOS host name and the NixOps4 member name. */
    name: DnsLabel,
    /** Address the SDK and other machines use to reach it (IP or hostname). */
    host: HostAddress,
    /** SSH access. */
    ssh: MachineSsh,
    /** CPU, memory and disk. */
    resources: MachineResources,
    /** Roles; omitted means the machine may do anything. */
    roles: z.array(MachineRole).min(1).optional(),
    /** Failure zone (rack, room, site); storage replicas are spread across zones. */
    zone: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 of A-Z, a-z, 0-9, '.', '_' and '-'")
      .optional(),
    /** Nix system of the machine. Default `x86_64-linux`. */
    system: z.enum(["x86_64-linux", "aarch64-linux"]).default("x86_64-linux"),
    /** Extra NixOS settings for this machine, as plain data (they land in the Nix store: no secrets). */
    nixos: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** One service instance: which plugin (`kind`), its options, and optionally the machine it must run on. */
export const ServiceInstanceSpec = z
  .object({
    /** Instance name, unique in the deployment (e.g. `social`). */
    name: InstanceName,
    /** Plugin kind, e.g. `mastodon`. */
    kind: z.string().min(1),
    /** Options checked by the plugin's own schema. */
    options: z.unknown().default({}),
    /** Pin the instance to this machine. */
    machine: DnsLabel.optional(),
  })
  .strict();

/** The storage backend of the deployment: which plugin and its options. */
export const StorageSpec = z
  .object({
    /** Storage plugin kind, e.g. `garage`. */
    kind: z.string().min(1),
    /** Options checked by the plugin's own schema. */
    options: z.unknown().default({}),
  })
  .strict();

/** Flake references the generated deployment pins. Defaults come from the SDK ({@link DEFAULT_PINS}). */
export const Pins = z
  .object({
    /** nixpkgs flake reference, e.g. `github:NixOS/nixpkgs/<rev>`. */
    nixpkgs: z.string().min(1).optional(),
    /** NixOps4 flake reference. */
    nixops4: z.string().min(1).optional(),
    /** nixops4-nixos flake reference. */
    nixops4Nixos: z.string().min(1).optional(),
    /** flake-parts flake reference. */
    flakeParts: z.string().min(1).optional(),
  })
  .strict();

/** What the planner keeps free on every machine for the operating system. */
export const Reserve = z
  .object({
    cpus: z.number().min(0).default(0),
    memoryMiB: z.number().int().min(0).default(1024),
    diskGiB: z.number().min(0).default(10),
  })
  .strict();

/** The whole deployment: machines, one storage backend, service instances and settings. */
export const DeploymentSpec = z
  .object({
    /** Deployment name (a DNS label). */
    name: InstanceName,
    /** Machines, at least one. */
    machines: z.array(Machine).min(1),
    /** The storage backend. */
    storage: StorageSpec,
    /** Service instances. */
    services: z.array(ServiceInstanceSpec).default([]),
    /** Flake pins of the generated deployment. */
    pins: Pins.default({}),
    /** Let's Encrypt account: e-mail and whether to use the staging CA. Required when a service needs TLS. */
    acme: z
      .object({ email: EmailAddress, staging: z.boolean().default(false) })
      .strict()
      .optional(),
    /** Resources kept free for the OS on every machine. */
    reserve: Reserve.default({ cpus: 0, memoryMiB: 1024, diskGiB: 10 }),
  })
  .strict();

/** A validated machine. */
export type Machine = z.output<typeof Machine>;
/** A validated service instance spec (options not yet checked by the plugin). */
export type ServiceInstanceSpec = z.output<typeof ServiceInstanceSpec>;
/** A validated storage spec (options not yet checked by the plugin). */
export type StorageSpec = z.output<typeof StorageSpec>;
/** A validated deployment spec. */
export type DeploymentSpec = z.output<typeof DeploymentSpec>;
/** A deployment spec as a user writes it (defaults may be omitted). */
export type DeploymentSpecInput = z.input<typeof DeploymentSpec>;
/** A machine as a user writes it. */
export type MachineInput = z.input<typeof Machine>;
/** Machine roles. */
export type MachineRole = z.output<typeof MachineRole>;

/**
 * Default flake references used when the spec pins none. NixOps4 has no releases: the SDK pins the commits its
 * generated deployments were checked against (nixops4 2026-07-24, nixops4-nixos 2026-07-03, flake-parts 2026-08-01).
 * nixpkgs follows nixos-unstable (the service modules the plugins target); pin a revision in production.
 */
export const DEFAULT_PINS = {
  nixpkgs: "github:NixOS/nixpkgs/nixos-unstable",
  nixops4: "github:nixops4/nixops4/53d855472af18d85457f327fa9aeb268543ff74e",
  nixops4Nixos: "github:nixops4/nixops4-nixos/18e3a695e544524081d6c0bd29cc73f4d540739b",
  flakeParts: "github:hercules-ci/flake-parts/427bf4bd9435fdf21321c8cc628c24efc14c0f7a",
} as const;

export { DnsLabel, DomainName, EmailAddress, HostAddress, InstanceName, Port };
