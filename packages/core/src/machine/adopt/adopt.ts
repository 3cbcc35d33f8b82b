import { FediError } from "../../errors.js";
import type { SshConnection } from "../connection.js";
import type { MachinePool } from "../pool.js";
import type { SshTarget } from "../target.js";
import {
  type AdoptedBoot,
  type AdoptionReport,
  type BootSource,
  bootFromEvaluation,
  bootFromFiles,
  type EvaluatedFacts,
  parseEvaluation,
  parseMarked,
  pickStateVersion,
  readAuthorizedKeys,
  type SkippedKeyLine,
  type StateVersionSource,
  unbase64,
} from "./report.js";
import { ADOPT_ROOT_SCRIPT, ADOPT_USER_SCRIPT } from "./scripts.js";

/** Options of {@link adoptMachine}. */
export interface AdoptOptions {
  /** Time allowed for each of the two remote commands (the evaluation can take a while). Default 180000 ms. */
  timeoutMs?: number;
  /** Cancels the reading. */
  signal?: AbortSignal;
}

/**
 * Reads from an existing NixOS machine what its new configuration must keep, in two fixed read-only commands over
 * the pool's connection (host key pinned):
 * - as the login user ({@link ADOPT_USER_SCRIPT}): the user's authorized keys (`~/.ssh/authorized_keys` and
 *   `/etc/ssh/authorized_keys.d/<user>`, the files NixOS' sshd reads), EFI or BIOS, and an evaluation of the
 *   machine's configuration (its /etc/nixos flake, else `<nixpkgs/nixos>`) for `system.stateVersion` and the boot
 *   loader, with the literal `system.stateVersion = "…"` lines as fallback;
 * - as root ({@link ADOPT_ROOT_SCRIPT}; through `sudo -n` for another user): `nixos-generate-config
 *   --show-hardware-config` and which boot loader files exist.
 *
 * A fact that cannot be read is `null` in the report with a sentence in `notes`; only the hardware configuration is
 * required.
 * @throws FediError `ADOPT_FAILED` when the machine does not answer as NixOS, sudo refuses, or
 * nixos-generate-config fails; SSH errors as the pool throws them.
 */
export async function adoptMachine(
  pool: MachinePool,
  target: SshTarget,
  options: AdoptOptions = {},
): Promise<AdoptionReport> {
  const machine = target.machine;
  const run = async (command: string, stdin: string, label: string) =>
    pool.withMachine(
      target,
      (conn) =>
        conn.exec(command, {
          stdin,
          label,
          asLoginUser: true, // the script reads the login user's facts; its root part calls sudo itself
          timeoutMs: options.timeoutMs ?? 180_000,
          ...(options.signal ? { signal: options.signal } : {}),
        }),
      { operation: label, idempotent: true, ...(options.signal ? { signal: options.signal } : {}) },
    );

  const userRun = await run("sh -s", ADOPT_USER_SCRIPT, "read the facts to adopt");
  if (userRun.code !== 0) throw scriptFailed(machine, "the facts script", userRun.code, userRun.stderr);
  const u = parseMarked(machine, userRun.stdout, "fedi-adopt", "fedi-adopt-end");
  const first = (key: string) => u.get(key)?.[0];
  const user = first("user") ?? target.user;
  const isRoot = first("uid") === "0";
  const firmware = first("firmware") === "efi" ? "efi" : "bios";
  const notes: string[] = [];

  // Authorized keys, in the order sshd reads the files; distinct by key (type and data).
  const authorizedKeys: string[] = [];
  const seen = new Set<string>();
  const keyFiles: AdoptionReport["keyFiles"] = [];
  const skippedKeys: SkippedKeyLine[] = [];
  for (const entry of u.get("keys") ?? []) {
    const [pathB64, textB64] = entry.split(" ");
    const path = unbase64(pathB64);
    const { keys, skipped } = readAuthorizedKeys(path, unbase64(textB64));
    keyFiles.push({ path, keys: keys.length });
    skippedKeys.push(...skipped);
    for (const key of keys) {
      if (seen.has(key.canonical)) continue;
      seen.add(key.canonical);
      authorizedKeys.push(key.line);
    }
  }
  for (const path of u.get("keys-unreadable") ?? []) notes.push(`${unbase64(path)} exists but ${user} cannot read it.`);
  if (authorizedKeys.length === 0) {
    notes.push(
      `No valid authorized key was found for ${user}; add the public key the SDK logs in with to machines[].ssh.authorizedKeys, or the first apply locks the SDK out.`,
    );
  }

  const evaluation = evaluationOf(u, notes);
  const sv = stateVersionOf(u, evaluation);
  if (sv.note) {
    notes.push(
      `stateVersion: ${sv.note}; set machines[].stateVersion to the NixOS release the machine was installed with.`,
    );
  }

  // Root: hardware configuration and boot files.
  const rootRun = await run(isRoot ? "sh -s" : "sudo -n sh -s", ADOPT_ROOT_SCRIPT, "read the hardware configuration");
  if (rootRun.code !== 0) {
    if (!isRoot) {
      const why = rootRun.stderr.trim().split("\n").pop() ?? "";
      throw new FediError(
        "ADOPT_FAILED",
        `Machine "${machine}": "sudo -n" refused to run the hardware scan as root for ${user}${why ? ` (${why})` : ""}.`,
        {
          machine,
          hint: `Give ${user} passwordless sudo (security.sudo.wheelNeedsPassword = false and ${user} in wheel), or adopt as root.`,
        },
      );
    }
    throw scriptFailed(machine, "the hardware script", rootRun.code, rootRun.stderr);
  }
  const r = parseMarked(machine, rootRun.stdout, "fedi-adopt-root", "fedi-adopt-root-end");
  const hwRc = r.get("hw.rc")?.[0];
  if (hwRc !== "0") {
    const err = unbase64(r.get("hw.err")?.[0]).trim().split("\n").pop() ?? "";
    throw new FediError(
      "ADOPT_FAILED",
      hwRc === "127"
        ? `Machine "${machine}" has no nixos-generate-config command.`
        : `nixos-generate-config --show-hardware-config failed on machine "${machine}"${err ? `: ${err}` : ""}.`,
      { machine, hint: "Adopt needs a NixOS machine (nixos-generate-config is part of every NixOS system)." },
    );
  }
  const hardwareConfig = `${unbase64(r.get("hw.out")?.[0]).replace(/\s+$/, "")}\n`;
  if (!hardwareConfig.includes("{") || !hardwareConfig.includes("}")) {
    throw new FediError("ADOPT_FAILED", `nixos-generate-config printed no NixOS module on machine "${machine}".`, {
      machine,
      hint: "Run `nixos-generate-config --show-hardware-config` on the machine and check its output.",
    });
  }

  let boot: AdoptedBoot | null = null;
  let bootSource: BootSource | null = null;
  const fromEval = evaluation ? bootFromEvaluation(evaluation.facts, firmware) : undefined;
  if (typeof fromEval === "object") {
    boot = fromEval;
    bootSource = "evaluation";
  } else {
    const fromFiles = bootFromFiles(r.get("boot.systemd-boot")?.[0], r.has("boot.grub"), firmware);
    if (typeof fromFiles === "object") {
      boot = fromFiles;
      bootSource = "boot-files";
    } else {
      notes.push(
        `boot: ${fromEval ?? "the configuration could not be evaluated"}; ${fromFiles}. Set machines[].boot (e.g. { loader: "grub", devices: ["/dev/disk/by-id/…"] }).`,
      );
    }
  }
  if (boot?.loader === "systemd-boot" && firmware === "bios") {
    notes.push("boot: systemd-boot is configured but the machine booted without EFI; check machines[].boot.");
  }
  if (boot?.loader === "custom") {
    notes.push(
      `boot: the machine uses another boot loader (${evaluation?.facts.loader}); keep its settings in machines[].nixos.`,
    );
  }

  return {
    machine,
    user,
    firmware,
    hardwareConfig,
    stateVersion: sv.value,
    stateVersionSource: sv.source,
    boot,
    bootSource,
    authorizedKeys,
    keyFiles,
    skippedKeys,
    notes,
  };
}

function scriptFailed(machine: string, what: string, code: number | null, stderr: string): FediError {
  return new FediError(
    "ADOPT_FAILED",
    `${what} failed on machine "${machine}" (exit ${code ?? "by signal"}): ${stderr.trim().slice(-300)}`,
    { machine, hint: "The machine needs a POSIX sh; check that it runs NixOS." },
  );
}

/** The first successful evaluation (flake, then channel) of {@link ADOPT_USER_SCRIPT}'s output; notes failures. */
function evaluationOf(
  u: Map<string, string[]>,
  notes: string[],
): { source: "flake" | "channel"; facts: EvaluatedFacts } | undefined {
  const first = (key: string) => u.get(key)?.[0];
  for (const source of ["flake", "channel"] as const) {
    const rc = first(`eval.${source}.rc`);
    if (rc === undefined) continue;
    if (rc === "0") {
      const facts = parseEvaluation(unbase64(first(`eval.${source}.out`)));
      if (facts) return { source, facts };
      notes.push(`The ${source} evaluation printed no facts object.`);
    } else if (rc === "127") {
      notes.push("nix-instantiate is not on the PATH, so the configuration could not be evaluated.");
    } else {
      const err =
        unbase64(first(`eval.${source}.err`))
          .trim()
          .split("\n")
          .pop() ?? "";
      notes.push(
        `Evaluating the ${source === "flake" ? "flake /etc/nixos" : "configuration (<nixpkgs/nixos>)"} failed${err ? `: ${err}` : ""}.`,
      );
    }
  }
  return undefined;
}

/** The stateVersion from the evaluation, else from the literal lines of {@link ADOPT_USER_SCRIPT}'s output. */
function stateVersionOf(
  u: Map<string, string[]>,
  evaluation: { source: "flake" | "channel"; facts: EvaluatedFacts } | undefined,
): ReturnType<typeof pickStateVersion> {
  const textValues = (u.get("text") ?? []).flatMap((entry) => {
    const m = /"([^"]*)"/.exec(unbase64(entry.split(" ")[1]));
    return m ? [m[1]!] : [];
  });
  return pickStateVersion(evaluation, textValues);
}

/** The current `system.stateVersion` of a machine and where it was read, as {@link adoptMachine} reads it. */
export interface MachineStateVersion {
  /** The value, `null` when it could not be read. */
  value: string | null;
  /** Where it came from. */
  source: StateVersionSource | null;
  /** Why it could not be read (when `value` is null). */
  notes: string[];
}

/**
 * Reads only the machine's current `system.stateVersion` over an open connection (the same fixed
 * {@link ADOPT_USER_SCRIPT} {@link adoptMachine} runs as the login user; preflight uses it).
 * @throws FediError `ADOPT_FAILED` when the script fails or prints no markers.
 */
export async function readStateVersion(conn: SshConnection, options: AdoptOptions = {}): Promise<MachineStateVersion> {
  const machine = conn.target.machine;
  const result = await conn.exec("sh -s", {
    stdin: ADOPT_USER_SCRIPT,
    label: "read the stateVersion",
    asLoginUser: true,
    timeoutMs: options.timeoutMs ?? 180_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.code !== 0) throw scriptFailed(machine, "the facts script", result.code, result.stderr);
  const u = parseMarked(machine, result.stdout, "fedi-adopt", "fedi-adopt-end");
  const notes: string[] = [];
  const sv = stateVersionOf(u, evaluationOf(u, notes));
  if (sv.note) notes.push(sv.note);
  return { value: sv.value, source: sv.source, notes };
}
