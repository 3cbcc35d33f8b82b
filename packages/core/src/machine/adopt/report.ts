import { FediError } from "../../errors.js";
import { parseOpenSshPublicKey, validateOpenSshPublicKey } from "../host-key.js";

/** The boot loader a machine's new configuration must keep (the shape of `machines[].boot`). */
export type AdoptedBoot =
  | { loader: "systemd-boot"; efiSysMountPoint?: string; canTouchEfiVariables?: boolean }
  | { loader: "grub"; devices: string[] }
  | { loader: "grub-efi"; efiSysMountPoint?: string; canTouchEfiVariables?: boolean }
  | { loader: "custom" };

/**
 * The spec fields adopting a machine suggests (the shapes of `machines[].stateVersion`, `.boot`,
 * `.ssh.authorizedKeys` and `.nixosImports`). A field is absent when it could not be read.
 */
export interface AdoptedMachineFacts {
  /** `system.stateVersion`, e.g. `23.11`. */
  stateVersion?: string;
  /** The boot loader. */
  boot?: AdoptedBoot;
  /** SSH settings. */
  ssh: {
    /** OpenSSH public key lines that may log in as the deploy user today. */
    authorizedKeys?: string[];
  };
  /** The hardware configuration file, relative to the config's folder. */
  nixosImports: string[];
}

/** Where the stateVersion was read. */
export type StateVersionSource = "flake" | "channel" | "configuration-text";

/** Where the boot loader was read. */
export type BootSource = "evaluation" | "boot-files";

/** A line of an authorized keys file that is not taken over, and why. */
export interface SkippedKeyLine {
  /** The file on the machine. */
  file: string;
  /** 1-based line number. */
  line: number;
  /** Why it was skipped. */
  reason: string;
}

/** What {@link adoptMachine} read from a machine. */
export interface AdoptionReport {
  /** The machine's name. */
  machine: string;
  /** The login user the facts were read as. */
  user: string;
  /** How the machine booted: `efi` when `/sys/firmware/efi` exists. */
  firmware: "efi" | "bios";
  /** The output of `nixos-generate-config --show-hardware-config` (ends with one newline). */
  hardwareConfig: string;
  /** The current `system.stateVersion`, `null` when it could not be read (see `notes`). */
  stateVersion: string | null;
  /** Where {@link AdoptionReport.stateVersion} came from. */
  stateVersionSource: StateVersionSource | null;
  /** The current boot loader, `null` when it could not be read (see `notes`). */
  boot: AdoptedBoot | null;
  /** Where {@link AdoptionReport.boot} came from. */
  bootSource: BootSource | null;
  /** The valid, distinct key lines of the deploy user's authorized keys files, in file order. */
  authorizedKeys: string[];
  /** The authorized keys files read (path on the machine and how many keys each gave). */
  keyFiles: Array<{ path: string; keys: number }>;
  /** Lines not taken over (options, unsupported or invalid keys). */
  skippedKeys: SkippedKeyLine[];
  /** What could not be read and what to do about it, one sentence each. */
  notes: string[];
}

/** Parsed `key=value` lines between `start` and `end` markers (repeated keys keep every value). */
export function parseMarked(machine: string, output: string, start: string, end: string): Map<string, string[]> {
  const lines = output.split(/\r?\n/);
  const from = lines.indexOf(`${start}=1`);
  const to = lines.lastIndexOf(`${end}=1`);
  if (from < 0 || to < from) {
    throw new FediError(
      "ADOPT_FAILED",
      `The facts of machine "${machine}" could not be read: the script's output is ${from < 0 ? "missing its start marker" : "truncated"}.`,
      { machine, hint: "The machine needs a POSIX sh with base64, grep and getent (NixOS has them); run again." },
    );
  }
  const values = new Map<string, string[]>();
  for (const line of lines.slice(from + 1, to)) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    values.set(key, [...(values.get(key) ?? []), line.slice(eq + 1)]);
  }
  return values;
}

/** Decodes a base64 value of the scripts. */
export function unbase64(value: string | undefined): string {
  return value ? Buffer.from(value.trim(), "base64").toString("utf8") : "";
}

const STATE_VERSION = /^\d{2}\.\d{2}$/;

/** What the Nix evaluation of the adopt function returned (every field may be null). */
export interface EvaluatedFacts {
  stateVersion: string | null;
  stateVersionDefined: boolean | null;
  loader: string | null;
  grubDevices: string[] | null;
  grubEfiSupport: boolean | null;
  efiSysMountPoint: string | null;
  canTouchEfiVariables: boolean | null;
}

/** Reads the JSON the evaluation printed; undefined when it is not the expected object. */
export function parseEvaluation(json: string): EvaluatedFacts | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === "string" ? x : null);
  const bool = (x: unknown) => (typeof x === "boolean" ? x : null);
  return {
    stateVersion: str(v.stateVersion),
    stateVersionDefined: bool(v.stateVersionDefined),
    loader: str(v.loader),
    grubDevices: Array.isArray(v.grubDevices) ? v.grubDevices.filter((d): d is string => typeof d === "string") : null,
    grubEfiSupport: bool(v.grubEfiSupport),
    efiSysMountPoint: str(v.efiSysMountPoint),
    canTouchEfiVariables: bool(v.canTouchEfiVariables),
  };
}

/** The authorized keys of one file's text: valid distinct lines, and the skipped ones with the reason. */
export function readAuthorizedKeys(
  file: string,
  text: string,
): { keys: Array<{ line: string; canonical: string }>; skipped: SkippedKeyLine[] } {
  const keys: Array<{ line: string; canonical: string }> = [];
  const skipped: SkippedKeyLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const problem = validateOpenSshPublicKey(line);
    if (problem === undefined) {
      keys.push({ line: line.replace(/\s+/g, " "), canonical: parseOpenSshPublicKey(line).line });
      return;
    }
    // sshd(8) AUTHORIZED_KEYS FILE FORMAT: "options, keytype, base64-encoded key, comment"; options come first.
    const withOptions = /^[A-Za-z-]+(=|,|\s)/.test(line) && /\s(ssh-|ecdsa-|sk-)/.test(line);
    skipped.push({
      file,
      line: index + 1,
      reason: withOptions
        ? "the key has options (e.g. command=, from=); add it by hand if it must keep them"
        : `the line ${problem}`,
    });
  });
  return { keys, skipped };
}

/** The boot loader from an evaluation, or a note saying why it cannot be used. */
export function bootFromEvaluation(e: EvaluatedFacts, firmware: "efi" | "bios"): AdoptedBoot | string {
  const esp = {
    ...(e.efiSysMountPoint !== null ? { efiSysMountPoint: e.efiSysMountPoint } : {}),
    ...(e.canTouchEfiVariables !== null ? { canTouchEfiVariables: e.canTouchEfiVariables } : {}),
  };
  switch (e.loader) {
    case "systemd-boot":
      return { loader: "systemd-boot", ...esp };
    case "grub": {
      if (e.grubEfiSupport === true) return { loader: "grub-efi", ...esp };
      const devices = (e.grubDevices ?? []).filter((d) => d !== "" && d !== "nodev");
      if (devices.length === 0) {
        return `GRUB is the boot loader but boot.loader.grub.devices is empty${firmware === "efi" ? " and EFI support is off" : ""}`;
      }
      return { loader: "grub", devices };
    }
    case null:
    case "":
      return "the configuration enables no boot loader the SDK knows (system.boot.loader.id is empty)";
    default:
      return { loader: "custom" };
  }
}

/** The boot loader from the files on /boot, or a note. */
export function bootFromFiles(
  systemdBootEsp: string | undefined,
  grub: boolean,
  firmware: "efi" | "bios",
): AdoptedBoot | string {
  if (systemdBootEsp !== undefined && firmware === "efi")
    return { loader: "systemd-boot", efiSysMountPoint: systemdBootEsp };
  if (grub && firmware === "efi") return { loader: "grub-efi" };
  if (grub)
    return "GRUB is installed (/boot/grub/grub.cfg) but the disk it is installed on cannot be read from the machine";
  return "no boot loader files were found (/boot/loader/loader.conf, /boot/grub/grub.cfg)";
}

/** Picks the stateVersion from the evaluation and the literal lines. */
export function pickStateVersion(
  evaluation: { source: "flake" | "channel"; facts: EvaluatedFacts } | undefined,
  textValues: readonly string[],
): { value: string | null; source: StateVersionSource | null; note?: string } {
  if (evaluation && evaluation.facts.stateVersion !== null) {
    const v = evaluation.facts.stateVersion;
    if (STATE_VERSION.test(v)) return { value: v, source: evaluation.source };
    return { value: null, source: null, note: `system.stateVersion evaluates to ${JSON.stringify(v)}, not YY.MM` };
  }
  if (evaluation && evaluation.facts.stateVersionDefined === false) {
    return {
      value: null,
      source: null,
      note: "the machine's configuration does not set system.stateVersion (NixOS then defaults it to its release)",
    };
  }
  const distinct = [...new Set(textValues.filter((v) => STATE_VERSION.test(v)))];
  if (distinct.length === 1) return { value: distinct[0]!, source: "configuration-text" };
  if (distinct.length > 1) {
    return {
      value: null,
      source: null,
      note: `the configuration files set several stateVersions (${distinct.join(", ")})`,
    };
  }
  return {
    value: null,
    source: null,
    note: "the configuration could not be evaluated and sets no literal system.stateVersion",
  };
}

/** The spec fields to suggest for a report, with the hardware file's path relative to the config's folder. */
export function adoptedMachineFacts(report: AdoptionReport, hardwareImport: string): AdoptedMachineFacts {
  return {
    ...(report.stateVersion !== null ? { stateVersion: report.stateVersion } : {}),
    ...(report.boot !== null ? { boot: report.boot } : {}),
    ssh: report.authorizedKeys.length > 0 ? { authorizedKeys: [...report.authorizedKeys] } : {},
    nixosImports: [hardwareImport],
  };
}
