import { z } from "zod";
import { validateOpenSshPublicKey } from "../machine/host-key.js";
import { identityFileProblem } from "../nixops4/ssh-options.js";
import { DnsLabel, DomainName, EmailAddress, HostAddress, InstanceName, Port } from "./names.js";

/** An OpenSSH public key line, validated (type, base64 blob, embedded type). */
export const SshPublicKeyLine = z
  .string()
  .superRefine((value, ctx) => {
    const problem = validateOpenSshPublicKey(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("An OpenSSH public key line (`<type> <base64> [comment]`).");

/** How the SDK reaches a machine over SSH. */
export const MachineSsh = z
  .object({
    /** Login user. Default `root`. */
    user: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]*$/, "must be a Unix user name")
      .default("root")
      .describe("Login user (a Unix user name). Default `root`."),
    /** SSH port. Default 22. */
    port: Port.default(22).describe("SSH port. Default 22."),
    /** The machine's host public key (`ssh-ed25519 AAAA...`): connections to any other key are refused. */
    hostPublicKey: SshPublicKeyLine.describe(
      "The machine's host public key (`ssh-ed25519 AAAA...`): connections to any other key are refused.",
    ),
    /**
     * OpenSSH public key lines allowed to log in as `user` once the SDK's configuration is active (it replaces the
     * machine's own). Required to plan; `fedi adopt` prints the keys the user has now.
     */
    authorizedKeys: z
      .array(SshPublicKeyLine)
      .optional()
      .describe(
        "OpenSSH public key lines allowed to log in as `user` after the switch (the SDK's configuration replaces the machine's own; `fedi adopt` prints the current ones). Required to plan.",
      ),
    /** Absolute path of the private key used to log in, by the SDK and by NixOps4's ssh; without it the SSH agent is used. */
    identityFile: z
      .string()
      .min(1)
      .superRefine((value, ctx) => {
        const problem = identityFileProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      })
      .optional()
      .describe(
        "Absolute path of the private key used to log in, by the SDK and by NixOps4's ssh (no spaces, quotes, backslashes, `*?[` or `${`); without it the SSH agent is used.",
      ),
  })
  .strict()
  .describe("How the SDK reaches a machine over SSH.");

/** An absolute path without spaces or shell-special characters, e.g. `/boot`. */
const MountPoint = z
  .string()
  .regex(/^\/[A-Za-z0-9._/-]*$/, "must be an absolute path of A-Z, a-z, 0-9, '.', '_', '-' and '/'");

/** Where the EFI system partition is mounted. */
const EfiSysMountPoint = MountPoint.default("/boot").describe(
  "Where the EFI system partition is mounted. Default `/boot`.",
);

/** Whether the boot loader installer may change the firmware's EFI variables. */
const CanTouchEfiVariables = z
  .boolean()
  .default(true)
  .describe(
    "Whether the installer may change the firmware's EFI variables (when false, GRUB goes to the removable-media path). Default true.",
  );

/** systemd-boot on an EFI machine. */
const SystemdBoot = z
  .object({
    /** `systemd-boot`. */
    loader: z.literal("systemd-boot").describe("`systemd-boot`: systemd-boot on an EFI machine."),
    /** Where the EFI system partition is mounted. Default `/boot`. */
    efiSysMountPoint: EfiSysMountPoint,
    /** Whether the installer may change EFI variables. Default true. */
    canTouchEfiVariables: CanTouchEfiVariables,
  })
  .strict();

/** GRUB on a BIOS machine, installed on the given disks. */
const GrubBios = z
  .object({
    /** `grub`. */
    loader: z.literal("grub").describe("`grub`: GRUB on a BIOS machine."),
    /** Disks GRUB is installed on, e.g. `/dev/vda`. */
    devices: z
      .array(z.string().regex(/^\/dev\/[A-Za-z0-9._/:+-]+$/, "must be a device path such as /dev/vda"))
      .min(1)
      .describe("Disks GRUB is installed on (their boot sectors), e.g. `/dev/vda`."),
  })
  .strict();

/** GRUB on an EFI machine. */
const GrubEfi = z
  .object({
    /** `grub-efi`. */
    loader: z.literal("grub-efi").describe("`grub-efi`: GRUB on an EFI machine."),
    /** Where the EFI system partition is mounted. Default `/boot`. */
    efiSysMountPoint: EfiSysMountPoint,
    /** Whether the installer may change EFI variables. Default true. */
    canTouchEfiVariables: CanTouchEfiVariables,
  })
  .strict();

/** The machine's own modules (`nixosImports`, `nixos`) set `boot.loader.*`; the SDK writes nothing. */
const CustomBoot = z
  .object({
    /** `custom`. */
    loader: z
      .literal("custom")
      .describe("`custom`: the machine's own `nixosImports` or `nixos` set `boot.loader.*`; the SDK sets nothing."),
  })
  .strict();

/**
 * The machine's boot loader, as `fedi adopt` reads it from the machine: `systemd-boot` or `grub-efi` on EFI, `grub`
 * (with its disks) on BIOS, or `custom` when the machine's own modules configure it.
 */
export const MachineBoot = z
  .discriminatedUnion("loader", [SystemdBoot, GrubBios, GrubEfi, CustomBoot])
  .describe(
    "Boot loader (`fedi adopt` reads it from the machine): `systemd-boot`, `grub` (BIOS, with `devices`), `grub-efi`, or `custom` (set by the machine's own modules).",
  );

/**
 * The machine's mail settings. Services that send mail through the machine's own mail server (`smtp: { mode:
 * "local" }`) share one Postfix, and each nixpkgs service module would give it its own host name: the machine has one.
 */
export const MachineMail = z
  .object({
    /**
     * The name the machine's Postfix announces (its `myhostname`). Default: the domain of the first instance (in spec
     * order) on the machine that sends mail locally; nothing is set when none does and this is omitted.
     */
    hostName: DomainName.optional().describe(
      "The name the machine's Postfix announces (its `myhostname`). Default: the domain of the first instance " +
        "(in spec order) on the machine that sends mail locally; nothing is set when none does and this is omitted.",
    ),
  })
  .strict()
  .describe("The machine's mail settings: one Postfix host name for all the services on it that send mail locally.");

/** What a machine offers. The planner keeps a reserve for the operating system on top of what services need. */
export const MachineResources = z
  .object({
    /** Number of CPU cores. */
    cpus: z.number().int().positive().describe("Number of CPU cores."),
    /** Memory in MiB. */
    memoryMiB: z.number().int().positive().describe("Memory in MiB."),
    /** Disk space in GiB. */
    diskGiB: z.number().positive().describe("Disk space in GiB."),
  })
  .strict()
  .describe("What a machine offers: CPU cores, memory (MiB) and disk (GiB).");

/**
 * The role a machine may play: a storage node, a service machine, or both (omit `roles` for both). Typed as a plain
 * union (like the other enums here) so that generated docs show the values.
 */
export const MachineRole: z.ZodType<"storage" | "services", "storage" | "services"> = z
  .enum(["storage", "services"])
  .describe("A role a machine may play: `storage` (a storage node) or `services` (runs service instances).");

/** The Nix systems a machine may run (typed as a plain union so that generated docs show the values). */
const NixSystem: z.ZodType<"x86_64-linux" | "aarch64-linux", "x86_64-linux" | "aarch64-linux"> = z.enum([
  "x86_64-linux",
  "aarch64-linux",
]);

/** A machine the provider already runs (an existing NixOS VM). */
export const Machine = z
  .object({
    /** Name, a DNS label; also the NixOS host name and the NixOps4 member name. */
    name: DnsLabel.describe("Name, a DNS label; also the NixOS host name and the NixOps4 member name."),
    /** Address the SDK and other machines use to reach it (IP or hostname). */
    host: HostAddress.describe("Address the SDK and other machines use to reach it (IP or hostname)."),
    /** SSH access. */
    ssh: MachineSsh.describe("SSH access."),
    /** CPU, memory and disk. */
    resources: MachineResources.describe("CPU, memory and disk."),
    /** Roles; omitted means the machine may do anything. */
    roles: z
      .array(MachineRole)
      .min(1)
      .optional()
      .describe("Roles (`storage`, `services`); omitted means the machine may do anything."),
    /** Failure zone (rack, room, site); storage replicas are spread across zones. */
    zone: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 of A-Z, a-z, 0-9, '.', '_' and '-'")
      .optional()
      .describe("Failure zone (rack, room, site); storage replicas are spread across zones."),
    /** Nix system of the machine. Default `x86_64-linux`. */
    system: NixSystem.default("x86_64-linux").describe("Nix system of the machine. Default `x86_64-linux`."),
    /** The NixOS release the machine was installed with (its `system.stateVersion`, e.g. `25.05`). */
    stateVersion: z
      .string()
      .regex(/^\d{2}\.\d{2}$/, "must be a NixOS release such as 25.05")
      .optional()
      .describe(
        "The NixOS release the machine was installed with (its `system.stateVersion`, e.g. `25.05`; `fedi adopt` reads it). Required to plan.",
      ),
    /** The machine's boot loader (`fedi adopt` reads it). Required to plan unless the machine's own modules set one. */
    boot: MachineBoot.optional().describe(
      "The machine's boot loader (`fedi adopt` reads it). Required to plan unless `nixosImports` or `nixos` set `boot.loader`.",
    ),
    /** Mail: the host name of the machine's Postfix, shared by the services that send mail locally. */
    mail: MachineMail.optional().describe(
      "Mail: the host name of the machine's Postfix, shared by the services that send mail locally.",
    ),
    /**
     * Extra NixOS settings for this machine, as plain data. They land in the Nix store: no secrets (secret-looking
     * settings are refused). Options the SDK generates for the machine are refused too (lists may be added to).
     */
    nixos: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        "Extra NixOS settings for this machine, as plain data. They land in the Nix store: no secrets (secret-looking " +
          "settings are refused). Options the SDK generates for the machine are refused too (lists may be added to).",
      ),
    /**
     * NixOS module files the machine's configuration imports, e.g. its `hardware-configuration.nix` (file systems,
     * boot loader): the generated configuration replaces the machine's whole configuration, so what the machine
     * needs to boot must come from here or from `nixos`. Paths are relative to the config file's folder. The files
     * are copied into the deployment directory (and so into the Nix store): no secrets.
     */
    nixosImports: z
      .array(z.string().regex(/\.nix$/, "must be the path of a .nix file"))
      .optional()
      .describe(
        "NixOS module files the machine imports, e.g. its hardware-configuration.nix (file systems, boot loader); " +
          "relative to the config file's folder; copied into the deployment directory (no secrets).",
      ),
  })
  .strict()
  .describe("A machine the provider already runs (an existing NixOS VM).");

/** One service instance: which plugin (`kind`), its options, and optionally the machine it must run on. */
export const ServiceInstanceSpec = z
  .object({
    /** Instance name, unique in the deployment (e.g. `social`). */
    name: InstanceName.describe("Instance name, unique in the deployment (e.g. `social`)."),
    /** Plugin kind, e.g. `mastodon`. */
    kind: z.string().min(1).describe("Plugin kind, e.g. `mastodon`."),
    /** Options checked by the plugin's own schema. */
    options: z.unknown().default({}).describe("Options checked by the plugin's own schema."),
    /** Pin the instance to this machine. */
    machine: DnsLabel.optional().describe("Pin the instance to this machine (a machine name)."),
  })
  .strict()
  .describe("One service instance: which plugin (`kind`), its options, and optionally the machine it must run on.");

/** The storage backend of the deployment: which plugin and its options. */
export const StorageSpec = z
  .object({
    /** Storage plugin kind, e.g. `garage`. */
    kind: z.string().min(1).describe("Storage plugin kind, e.g. `garage`."),
    /** Options checked by the plugin's own schema. */
    options: z.unknown().default({}).describe("Options checked by the plugin's own schema."),
  })
  .strict()
  .describe("The storage backend of the deployment: which plugin and its options.");

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

/** Flake references the generated deployment pins. Defaults come from the SDK ({@link DEFAULT_PINS}). */
export const Pins = z
  .object({
    /** nixpkgs flake reference, e.g. `github:NixOS/nixpkgs/<rev>`. */
    nixpkgs: z
      .string()
      .min(1)
      .optional()
      .describe(`nixpkgs flake reference, e.g. \`github:NixOS/nixpkgs/<rev>\`. Default \`${DEFAULT_PINS.nixpkgs}\`.`),
    /** NixOps4 flake reference. */
    nixops4: z.string().min(1).optional().describe(`NixOps4 flake reference. Default \`${DEFAULT_PINS.nixops4}\`.`),
    /** nixops4-nixos flake reference. */
    nixops4Nixos: z
      .string()
      .min(1)
      .optional()
      .describe(`nixops4-nixos flake reference. Default \`${DEFAULT_PINS.nixops4Nixos}\`.`),
    /** flake-parts flake reference. */
    flakeParts: z
      .string()
      .min(1)
      .optional()
      .describe(`flake-parts flake reference. Default \`${DEFAULT_PINS.flakeParts}\`.`),
  })
  .strict()
  .describe("Flake references the generated deployment pins; the SDK's defaults are used for those left out.");

/** What the planner keeps free on every machine for the operating system. */
export const Reserve = z
  .object({
    /** CPU cores kept free (fractions allowed). Default 0. */
    cpus: z.number().min(0).default(0).describe("CPU cores kept free (fractions allowed). Default 0."),
    /** Memory kept free, in MiB. Default 1024. */
    memoryMiB: z.number().int().min(0).default(1024).describe("Memory kept free, in MiB. Default 1024."),
    /** Disk space kept free, in GiB. Default 10. */
    diskGiB: z.number().min(0).default(10).describe("Disk space kept free, in GiB. Default 10."),
  })
  .strict()
  .describe("What the planner keeps free on every machine for the operating system.");

/** The whole deployment: machines, one storage backend, service instances and settings. */
export const DeploymentSpec = z
  .object({
    /** Deployment name: starts with a letter, then a-z, 0-9 and '-' (at most 40 characters, not ending with '-'). */
    name: InstanceName.describe(
      "Deployment name: starts with a letter, then a-z, 0-9 and '-' (at most 40 characters, not ending with '-').",
    ),
    /** Machines, at least one. */
    machines: z.array(Machine).min(1).describe("Machines, at least one."),
    /** The storage backend. */
    storage: StorageSpec.describe("The storage backend."),
    /** Service instances. */
    services: z.array(ServiceInstanceSpec).default([]).describe("Service instances."),
    /** Flake pins of the generated deployment. */
    pins: Pins.default({}).describe("Flake pins of the generated deployment."),
    /** Let's Encrypt account: e-mail and whether to use the staging CA. Required when a service needs TLS. */
    acme: z
      .object({
        /** E-mail address of the Let's Encrypt (ACME) account. */
        email: EmailAddress.describe("E-mail address of the Let's Encrypt (ACME) account."),
        /** Use Let's Encrypt's staging CA (untrusted certificates, no rate limits). Default false. */
        staging: z
          .boolean()
          .default(false)
          .describe("Use Let's Encrypt's staging CA (untrusted certificates, no rate limits). Default false."),
      })
      .strict()
      .optional()
      .describe("Let's Encrypt account: e-mail and whether to use the staging CA. Required when a service needs TLS."),
    /** Resources kept free for the OS on every machine. */
    reserve: Reserve.default({ cpus: 0, memoryMiB: 1024, diskGiB: 10 }).describe(
      "Resources kept free for the OS on every machine.",
    ),
  })
  .strict()
  .describe("The whole deployment: machines, one storage backend, service instances and settings.");

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
/** Validated mail settings of a machine. */
export type MachineMail = z.output<typeof MachineMail>;
/** A validated boot loader setting (defaults applied). */
export type MachineBoot = z.output<typeof MachineBoot>;
/** Machine roles. */
export type MachineRole = z.output<typeof MachineRole>;

export { DnsLabel, DomainName, EmailAddress, HostAddress, InstanceName, Port };
