import { FediError } from "../errors.js";
import type { SshConnection } from "./connection.js";
import { describeTarget } from "./target.js";

/** State of systemd as `systemctl is-system-running` reports it, or `absent` when the machine does not run systemd. */
export type SystemdState =
  | "running"
  | "degraded"
  | "starting"
  | "initializing"
  | "maintenance"
  | "stopping"
  | "offline"
  | "unknown"
  | "absent"
  | (string & {});

/** What preflight learns about a machine. */
export interface PreflightFacts {
  /** The machine's name (from its target). */
  machine: string;
  /** True when `/etc/os-release` says `ID=nixos`. */
  isNixOS: boolean;
  /** The fields of `/etc/os-release` (unquoted). Empty when the file is missing. */
  osRelease: Record<string, string>;
  /** Nix version (e.g. `2.18.1`), or `null` when no `nix` command was found. */
  nixVersion: string | null;
  /** `uname -m`, e.g. `x86_64` or `aarch64`. */
  arch: string;
  /** Nix system double, e.g. `x86_64-linux`. */
  system: "x86_64-linux" | "aarch64-linux" | (string & {});
  /** Total memory (MemTotal) in MiB. */
  memoryMiB: number;
  /** Free disk space in GiB (one decimal) on {@link PreflightFacts.diskPath}. */
  freeDiskGiB: number;
  /** Where free space was measured: `/nix` when it exists, else `/`. */
  diskPath: string;
  /** CPUs the login shell may run on (as `nproc` counts them: the CPU affinity, normally every online CPU). */
  cpus: number;
  /** systemd state. */
  systemd: SystemdState;
  /** The login user's name (as `id -un` prints it); absent in output of older scripts. */
  user?: string;
  /**
   * Whether the login user can become root the way nixops4-nixos does (`sudo -n`): `root` (the user is root),
   * `ok` (`sudo -n true` succeeded), `missing` (no sudo command), `refused` (sudo asked for a password or denied).
   */
  sudo?: "root" | "ok" | "missing" | "refused";
  /** The first line sudo printed when it refused. */
  sudoError?: string;
  /**
   * Whether the machine's Nix daemon trusts the login user (`trusted` of `nix store info --json`, else the user or
   * one of its `@groups` in `trusted-users`); `null` when it could not be told. Always true for root.
   */
  nixTrusted?: boolean | null;
  /** The machine's current `system.stateVersion`, read only when the plan expects one (`null`: unreadable). */
  stateVersion?: string | null;
}

/**
 * The POSIX sh script {@link gatherFacts} runs (fed on standard input to `sh -s`): one command that prints
 * `key=value` lines between a start and an end marker. It reads `/etc/os-release`, the kernel's name and machine
 * (`ostype` and `arch` of `/proc/sys/kernel`, as `uname -sm` prints them; `uname` before Linux 6.1), `/proc/meminfo`,
 * `df -Pk`, the CPUs the shell may run on (`Cpus_allowed_list` of `/proc/self/status`, which nproc counts; nproc
 * where that is missing), the Nix version (from the `/nix/store/...-nix-VERSION` path of `nix` when it is one, else
 * `nix --version`), `systemctl is-system-running` and the login user (the uid from `Uid:` of `/proc/self/status`, its
 * name from the first `/etc/passwd` entry with that uid, as `id -un` names it when nsswitch.conf reads files first;
 * `id` where either is missing); for a non-root login user also whether `sudo -n true` works and whether the Nix
 * daemon trusts the user (`nix store info --json`, NixOS/nix src/nix/store-info.cc: `trusted`; `store ping` before
 * Nix 2.19; and `trusted-users` of `nix config show` / `nix show-config` with `id -Gn` for Nix versions whose daemon
 * protocol does not report trust). It changes nothing.
 *
 * Every program it starts costs the machine CPU in each preflight (about 1–2 ms each: exec, dynamic loading, exit),
 * so it starts few: on a NixOS machine and a root login, `sh`, `readlink`, `df` and `systemctl`; the rest are shell
 * builtins, and it finds `nix` by walking `$PATH` itself rather than in a `$(command -v nix)` subshell. (It used to
 * start ten programs, with `uname` twice, `tail`, `nproc` and `id` twice: about 12.5 ms of CPU per run instead of
 * 7 ms on the benchmark's fake machine; then also `id` and that subshell: about 1.5 ms more than now, ~5.5 ms.)
 */
export const FACTS_SCRIPT = `# fediversity preflight facts (read-only)
LC_ALL=C; export LC_ALL
nl='
'
# count_cpus LIST: sets cpus to the number of CPUs in a kernel CPU list ("0-3,8,10-11"); empty when it is not one.
count_cpus() {
  cpus=0
  set -- "$1,"
  while [ -n "$1" ]; do
    r=\${1%%,*}
    set -- "\${1#*,}"
    lo=\${r%-*}; hi=\${r#*-}
    for x in "$lo" "$hi"; do
      case "$x" in ''|*[!0-9]*|0?*) cpus=""; return ;; esac
    done
    if [ "$hi" -lt "$lo" ]; then cpus=""; return; fi
    cpus=$((cpus + hi - lo + 1))
  done
  if [ "$cpus" -eq 0 ]; then cpus=""; fi
}
echo "fedi-facts=1"
if [ -r /etc/os-release ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    printf 'os.%s\\n' "$line"
  done < /etc/os-release
fi
# uname -s and -m as the kernel tells them in /proc/sys/kernel (arch: Linux 6.1 and later), else uname.
os=""; ar=""
if [ -r /proc/sys/kernel/ostype ] && [ -r /proc/sys/kernel/arch ]; then
  read -r os </proc/sys/kernel/ostype
  read -r ar </proc/sys/kernel/arch
fi
if [ -n "$os" ] && [ -n "$ar" ]; then un="$os $ar"; else un=$(uname -sm 2>/dev/null); fi
echo "arch=\${un##* }"
echo "kernel=\${un%% *}"
# The first nix as \`command -v\` finds it: the first executable nix in a $PATH folder (an empty entry is the current
# folder), else a NixOS default path. Walked here: \`p=$(command -v nix)\` costs a subshell.
nixv=""; p=""
for n in nix /run/current-system/sw/bin/nix /nix/var/nix/profiles/default/bin/nix; do
  case "$n" in
    */*) if [ -f "$n" ] && [ -x "$n" ]; then p=$n; fi ;;
    *)
      if [ -n "\${PATH+set}" ]; then
        left="$PATH:"
        while [ -n "$left" ]; do
          d=\${left%%:*}; left=\${left#*:}
          if [ -f "\${d:-.}/$n" ] && [ -x "\${d:-.}/$n" ]; then p=\${d:-.}/$n; break; fi
        done
      fi ;;
  esac
  if [ -n "$p" ]; then
    real=$(readlink -f "$p" 2>/dev/null)
    case "$real" in
      /nix/store/*-nix-[0-9]*/bin/nix) v=\${real#/nix/store/*-nix-}; nixv="nix (Nix) \${v%%/*}" ;;
      *) nixv=$("$p" --version 2>/dev/null | head -n 1) ;;
    esac
    break
  fi
done
echo "nix=$nixv"
if [ -r /proc/meminfo ]; then
  while read -r k v rest; do
    if [ "$k" = "MemTotal:" ]; then echo "mem-kib=$v"; break; fi
  done < /proc/meminfo
fi
if [ -d /nix ]; then dp=/nix; else dp=/; fi
echo "disk-path=$dp"
df=$(df -Pk "$dp" 2>/dev/null)
echo "disk-df=\${df##*"$nl"}"
# Cpus_allowed_list and the real uid (first of Uid:) from /proc/self/status.
cpus=""; uid=""
if [ -r /proc/self/status ]; then
  while read -r k v rest; do
    case "$k" in
      Uid:) uid=$v ;;
      Cpus_allowed_list:) count_cpus "$v"; break ;;
    esac
  done < /proc/self/status
fi
if [ -z "$cpus" ]; then
  cpus=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null || grep -c '^processor' /proc/cpuinfo 2>/dev/null)
fi
echo "cpus=$cpus"
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  st=$(systemctl is-system-running 2>/dev/null)
  echo "systemd=\${st:-unknown}"
else
  echo "systemd=absent"
fi
# The login user's name: the first /etc/passwd entry with the uid (what getpwuid, and so id, finds when nsswitch.conf
# reads files first, as NixOS' does); id where /proc or the entry is missing (users from LDAP, systemd-homed, ...).
user=""
case "$uid" in
  ''|*[!0-9]*) uid="" ;;
  *)
    if [ -r /etc/passwd ]; then
      while IFS=: read -r name pw pu rest; do
        if [ "$pu" = "$uid" ]; then user=$name; break; fi
      done < /etc/passwd
    fi ;;
esac
if [ -z "$user" ]; then
  ids=$(id 2>/dev/null)
  iu=\${ids#uid=}; iu=\${iu%%[!0-9]*}
  case "$ids" in
    "uid=$iu("*) user=\${ids#*\\(}; user=\${user%%\\)*} ;;
  esac
  if [ -z "$uid" ]; then uid=$iu; fi
fi
echo "user=$user"
if [ -n "$uid" ] && [ "$uid" = 0 ]; then
  echo "sudo=root"
else
  if ! command -v sudo >/dev/null 2>&1; then
    echo "sudo=missing"
  elif out=$(sudo -n true 2>&1 </dev/null); then
    echo "sudo=ok"
  else
    echo "sudo=refused"
    printf 'sudo-error=%s\\n' "$(printf '%s\\n' "$out" | head -n 1)"
  fi
  if [ -n "$nixv" ] && [ -n "$p" ]; then
    info=$("$p" --extra-experimental-features nix-command store info --json 2>/dev/null || "$p" --extra-experimental-features nix-command store ping --json 2>/dev/null)
    printf 'nix-store-info=%s\\n' "$(printf '%s' "$info" | tr -d '\\n')"
    tu=$( { "$p" --extra-experimental-features nix-command config show 2>/dev/null || "$p" --extra-experimental-features nix-command show-config 2>/dev/null; } | sed -n 's/^trusted-users = //p' | head -n 1)
    echo "nix-trusted-users=$tu"
    echo "groups=$(id -Gn 2>/dev/null)"
  fi
fi
echo "fedi-facts-end=1"
`;

/** Unquotes an os-release value (shell-like double or single quotes with backslash escapes). */
function unquoteOsRelease(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\([\\$"`])/g, "$1");
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

/** Maps `uname -m` (and `uname -s`) to a Nix system double. */
export function nixSystem(arch: string, kernel = "Linux"): string {
  const os = kernel.toLowerCase() || "linux";
  const cpu = arch === "arm64" ? "aarch64" : arch === "amd64" ? "x86_64" : /^i[3-6]86$/.test(arch) ? "i686" : arch;
  return `${cpu}-${os}`;
}

function malformed(machine: string, what: string): FediError {
  return new FediError("PREFLIGHT_FAILED", `The facts of machine "${machine}" could not be read: ${what}.`, {
    machine,
    hint: "The machine needs a POSIX shell with uname, df and /proc; check that it runs Linux.",
  });
}

/**
 * Parses the output of {@link FACTS_SCRIPT}. Unknown keys and noise lines are ignored; a missing start or end
 * marker (truncated output) or a missing required value fails with `PREFLIGHT_FAILED`.
 */
export function parseFacts(machine: string, output: string): PreflightFacts {
  const lines = output.split(/\r?\n/);
  const start = lines.indexOf("fedi-facts=1");
  const end = lines.lastIndexOf("fedi-facts-end=1");
  if (start < 0) throw malformed(machine, "the facts script printed no start marker");
  if (end < start) throw malformed(machine, "the output is truncated (no end marker)");
  const values = new Map<string, string>();
  const osRelease: Record<string, string> = {};
  for (const line of lines.slice(start + 1, end)) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key.startsWith("os.")) {
      const field = key.slice(3);
      if (/^[A-Z0-9_]+$/.test(field)) osRelease[field] = unquoteOsRelease(value);
    } else values.set(key, value.trim());
  }
  const arch = values.get("arch") ?? "";
  if (!arch) throw malformed(machine, "uname -m printed nothing");
  const memKiB = Number(values.get("mem-kib"));
  if (!Number.isFinite(memKiB) || memKiB <= 0) throw malformed(machine, "MemTotal is missing from /proc/meminfo");
  // df -Pk: Filesystem 1024-blocks Used Available Capacity Mounted-on (the file system name may contain spaces).
  const df = (values.get("disk-df") ?? "").split(/\s+/);
  const availableKiB = Number(df.length >= 6 ? df[df.length - 3] : Number.NaN);
  if (!Number.isFinite(availableKiB)) throw malformed(machine, "df printed no free space");
  const cpus = Number.parseInt(values.get("cpus") ?? "", 10);
  const nixRaw = values.get("nix") ?? "";
  const nixVersion = nixRaw === "" ? null : (/(\d+\.\d+(?:\.\d+)?[^\s]*)/.exec(nixRaw)?.[1] ?? nixRaw);
  return {
    machine,
    isNixOS: osRelease.ID === "nixos",
    osRelease,
    nixVersion,
    arch,
    system: nixSystem(arch, values.get("kernel") || "Linux"),
    memoryMiB: Math.floor(memKiB / 1024),
    freeDiskGiB: Math.floor((availableKiB / (1024 * 1024)) * 10) / 10,
    diskPath: values.get("disk-path") || "/",
    cpus: Number.isInteger(cpus) && cpus > 0 ? cpus : 1,
    systemd: values.get("systemd") || "unknown",
    ...userFacts(values),
  };
}

/** The user, sudo and Nix trust fields of the facts (absent when the script did not print them). */
function userFacts(values: Map<string, string>): Pick<PreflightFacts, "user" | "sudo" | "sudoError" | "nixTrusted"> {
  const out: Pick<PreflightFacts, "user" | "sudo" | "sudoError" | "nixTrusted"> = {};
  const user = values.get("user");
  if (user) out.user = user;
  const sudo = values.get("sudo");
  if (sudo === "root" || sudo === "ok" || sudo === "missing" || sudo === "refused") out.sudo = sudo;
  if (values.get("sudo-error")) out.sudoError = values.get("sudo-error")!;
  if (sudo === "root") out.nixTrusted = true;
  else if (values.has("nix-store-info") || values.has("nix-trusted-users")) {
    out.nixTrusted = nixTrust(
      values.get("nix-store-info") ?? "",
      values.get("nix-trusted-users") ?? "",
      user ?? "",
      (values.get("groups") ?? "").split(/\s+/).filter(Boolean),
    );
  }
  return out;
}

/**
 * Whether the daemon trusts `user`: `trusted` of `nix store info --json` when present; else `trusted-users` (names,
 * `@group` or `*`, as Nix's daemon matches them); `null` when neither says.
 */
export function nixTrust(
  storeInfoJson: string,
  trustedUsers: string,
  user: string,
  groups: readonly string[],
): boolean | null {
  try {
    const info = JSON.parse(storeInfoJson) as { trusted?: unknown };
    if (typeof info.trusted === "boolean") return info.trusted;
  } catch {
    // Not JSON (an old Nix or no daemon): fall back to trusted-users.
  }
  const entries = trustedUsers.split(/\s+/).filter(Boolean);
  if (entries.length === 0) return null;
  return entries.some((e) => e === "*" || e === user || (e.startsWith("@") && groups.includes(e.slice(1))));
}

/** Runs {@link FACTS_SCRIPT} on the machine (one remote command, read-only) and parses what it prints. */
export async function gatherFacts(
  conn: SshConnection,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PreflightFacts> {
  const result = await conn.exec("sh -s", {
    stdin: FACTS_SCRIPT,
    label: "gather preflight facts",
    asLoginUser: true, // it checks the login user itself: its sudo and its Nix trust
    timeoutMs: options.timeoutMs ?? 30_000,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (result.code !== 0) {
    throw new FediError(
      "PREFLIGHT_FAILED",
      `The facts script failed on ${describeTarget(conn.target)} (exit ${result.code ?? result.signal}): ${result.stderr.trim().slice(-500)}`,
      { machine: conn.target.machine, hint: "The machine needs a POSIX sh; check that it runs Linux." },
    );
  }
  return parseFacts(conn.target.machine, result.stdout);
}

/** What a machine must provide, from the plan. */
export interface FactExpectations {
  /** Nix system double, e.g. `x86_64-linux`. */
  system: string;
  /** Minimum memory in MiB. MemTotal may be up to 10% under it (the kernel reserves some RAM). */
  memoryMiB: number;
  /** Minimum free disk space in GiB on `/nix` (or `/`). */
  diskGiB: number;
  /** Minimum number of CPUs. */
  cpus?: number;
  /** The spec's `system.stateVersion`: the machine's current one must equal it. Not checked when absent. */
  stateVersion?: string;
  /**
   * The SSH login user. When it is not `root`, `sudo -n` must work and the machine's Nix daemon must trust the user
   * (nixops4-nixos switches through sudo and copies with `--no-check-sigs`). Not checked when absent.
   */
  user?: string;
}

/** Names of the checks {@link checkFacts} makes (`ssh` is added by {@link preflight} for unreachable machines). */
export type FactCheck =
  | "ssh"
  | "nixos"
  | "nix"
  | "system"
  | "memory"
  | "disk"
  | "cpus"
  | "systemd"
  | "sudo"
  | "trusted"
  | "stateVersion"
  | "local-ssh"
  | "local-nix"
  | "local-flakes";

/** One unmet requirement of one machine. */
export interface PreflightProblem {
  /** The machine. */
  machine: string;
  /** Which check failed. */
  check: FactCheck;
  /** What was required. */
  expected: string;
  /** What the machine has. */
  actual: string;
  /** What to do about it. */
  hint: string;
  /** For `ssh` problems: the error code (e.g. `SSH_HOST_KEY_MISMATCH`). */
  code?: string;
}

/** The share of the required memory a machine may lack (MemTotal excludes memory the kernel reserves). */
export const MEMORY_SLACK = 0.1;

/** Compares facts with what the plan needs and returns every problem (empty when the machine fits). */
export function checkFacts(facts: PreflightFacts, expected: FactExpectations): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  const machine = facts.machine;
  const os = facts.osRelease.PRETTY_NAME ?? facts.osRelease.NAME ?? "an unknown operating system";
  if (!facts.isNixOS) {
    problems.push({
      machine,
      check: "nixos",
      expected: "NixOS",
      actual: os,
      hint: "Install NixOS on the machine first (e.g. with nixos-anywhere or the NixOS installer); the SDK deploys to existing NixOS machines only.",
    });
  } else if (facts.nixVersion === null) {
    problems.push({
      machine,
      check: "nix",
      expected: "a nix command",
      actual: "none found",
      hint: "The machine runs NixOS but no nix command is on the SSH user's PATH; log in as root or fix the PATH.",
    });
  }
  if (facts.system !== expected.system) {
    problems.push({
      machine,
      check: "system",
      expected: expected.system,
      actual: facts.system,
      hint: `Set the machine's system to "${facts.system}" in the spec, or use a ${expected.system} machine.`,
    });
  }
  if (facts.memoryMiB < expected.memoryMiB * (1 - MEMORY_SLACK)) {
    problems.push({
      machine,
      check: "memory",
      expected: `${expected.memoryMiB} MiB`,
      actual: `${facts.memoryMiB} MiB`,
      hint: "Give the machine more memory, or move services to other machines.",
    });
  }
  if (facts.freeDiskGiB < expected.diskGiB) {
    problems.push({
      machine,
      check: "disk",
      expected: `${expected.diskGiB} GiB free on ${facts.diskPath}`,
      actual: `${facts.freeDiskGiB} GiB free`,
      hint: "Free disk space (e.g. nix-collect-garbage -d) or grow the disk.",
    });
  }
  if (expected.cpus !== undefined && facts.cpus < expected.cpus) {
    problems.push({
      machine,
      check: "cpus",
      expected: `${expected.cpus} CPUs`,
      actual: `${facts.cpus} CPUs`,
      hint: "Give the machine more CPUs, or move services to other machines.",
    });
  }
  if (facts.systemd !== "running" && facts.systemd !== "degraded") {
    problems.push({
      machine,
      check: "systemd",
      expected: "systemd running",
      actual: facts.systemd === "absent" ? "no systemd" : `systemd ${facts.systemd}`,
      hint:
        facts.systemd === "absent"
          ? "The machine does not run systemd as init (a container?); NixOS needs it."
          : "Wait until the machine has finished booting (systemctl is-system-running), then run again.",
    });
  }
  problems.push(...checkUser(facts, expected), ...checkStateVersion(facts, expected));
  return problems;
}

function checkUser(facts: PreflightFacts, expected: FactExpectations): PreflightProblem[] {
  const user = expected.user;
  if (user === undefined || user === "root") return [];
  const machine = facts.machine;
  const problems: PreflightProblem[] = [];
  if (facts.sudo !== "ok" && facts.sudo !== "root") {
    problems.push({
      machine,
      check: "sudo",
      expected: `passwordless sudo for ${user} (sudo -n true)`,
      actual:
        facts.sudo === "missing"
          ? "no sudo command"
          : facts.sudo === "refused"
            ? `sudo refused${facts.sudoError ? `: ${facts.sudoError}` : ""}`
            : "unknown",
      hint: `nixops4-nixos activates the system through sudo: give ${user} passwordless sudo (e.g. security.sudo.wheelNeedsPassword = false with ${user} in wheel), or deploy as root.`,
    });
  }
  if (facts.nixTrusted !== true) {
    problems.push({
      machine,
      check: "trusted",
      expected: `${user} trusted by the Nix daemon`,
      actual: facts.nixTrusted === false ? "not trusted" : "could not tell (nix store info gave no answer)",
      hint: `nixops4-nixos copies the system with --no-check-sigs, which the daemon accepts only from trusted users: add ${user} to nix.settings.trusted-users on the machine.`,
    });
  }
  return problems;
}

function checkStateVersion(facts: PreflightFacts, expected: FactExpectations): PreflightProblem[] {
  if (expected.stateVersion === undefined || facts.stateVersion === expected.stateVersion) return [];
  return [
    {
      machine: facts.machine,
      check: "stateVersion",
      expected: `system.stateVersion ${expected.stateVersion}`,
      actual:
        facts.stateVersion === undefined || facts.stateVersion === null
          ? "could not be read from the machine"
          : `system.stateVersion ${facts.stateVersion}`,
      hint:
        facts.stateVersion === undefined || facts.stateVersion === null
          ? "Check the value with `fedi adopt` (it says why it could not be read); set machines[].stateVersion to the release the machine was installed with."
          : `Set machines[].stateVersion to "${facts.stateVersion}" (the machine's current value): changing it changes stateful defaults (e.g. the PostgreSQL version).`,
    },
  ];
}
