/**
 * Fake NixOS machines for the benchmarks: real sshd servers (the sshd test fixture) that cost this machine as little
 * CPU per SSH connection as OpenSSH 9.2 allows, so a benchmark of 32 machines on 2 cores measures how the SDK
 * overlaps network latency rather than how fast this machine runs 32 sshd sessions. What the SDK does is unchanged:
 * every connection still makes a real key exchange, checks the pinned host key, authenticates with a key and runs
 * preflight's facts script in a shell. What is cheaper than with the plain fixture:
 *
 * - sshd runs with `-r`: it forks per connection instead of re-executing itself (the re-exec loads sshd, its
 *   libraries and host keys again for every connection). Undocumented in sshd(8) of 9.2, but in its option parser
 *   (sshd.c: `case 'r': rexec_flag = 0;`).
 * - Key exchange `ecdh-sha2-nistp256` with an ECDSA P-256 host key and an ECDSA client key: OpenSSL's assembly does
 *   the elliptic-curve maths; OpenSSH's own portable curve25519 and ed25519 code costs a few ms more per connection.
 * - Each server runs in its own mount namespace that looks like NixOS (fake-machine/enter-namespace.sh): `nix` on
 *   PATH is a symlink into /nix/store, so the facts script reads the version from the store path without starting
 *   nix (as on NixOS), and `systemctl is-system-running` says `running`. Preflight of such a machine finds no problem.
 *   Its nsswitch.conf takes users from the files only (see {@link NSSWITCH}). The store is a tmpfs mounted on
 *   /nix/store, a folder {@link ensureNixStoreMountPoint} creates on a host without Nix.
 *
 * ```ts
 * const fleet = await startFakeMachineFleet(8);
 * const target = fleet.machines[0]!.target("web1");
 * ...
 * await fleet.dispose();
 * ```
 *
 * Requires root (mount namespaces through util-linux `unshare`, sshd's privilege separation) and openssh-server.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { SshTarget } from "../packages/core/src/machine/index.js";
import { type SshdFixture, startSshd } from "../packages/core/test/fixtures/sshd.js";

const run = promisify(execFile);

const ENTER = fileURLToPath(new URL("./fake-machine/enter-namespace.sh", import.meta.url));

/** The Nix version the fake machines report (the version in the store path of their `nix`). */
export const FAKE_NIX_VERSION = "2.28.3";

/** sshd options (after the fixture's command line) that make each connection cheaper; see the file header. */
export const CHEAP_SSHD_ARGS: readonly string[] = ["-r", "-o", "KexAlgorithms=ecdh-sha2-nistp256"];

/**
 * The fake machines' /etc/nsswitch.conf: users and groups from the files only. With the host's `files systemd`,
 * sshd loads libnss_systemd (and its libraries) again for every connection when it looks up the login user.
 */
const NSSWITCH = "passwd: files\ngroup: files\nshadow: files\ngshadow: files\nhosts: files\n";

/** One fake machine: an sshd fixture in a NixOS-like mount namespace. */
export interface FakeMachine {
  /** The sshd fixture (port, folder, logs, stop/kill/restart). Its own `target()` pins the ed25519 host key. */
  readonly sshd: SshdFixture;
  /** An SSH target pinning the machine's ECDSA host key and logging in with the ECDSA client key. */
  target(machine?: string, overrides?: Partial<SshTarget>): SshTarget;
  /** How many times `nix` was started on the machine so far (preflight should not start it). */
  nixCalls(): Promise<number>;
}

/** Several fake machines, started by {@link startFakeMachineFleet}. */
export interface FakeMachineFleet {
  /** The machines, in start order. */
  readonly machines: readonly FakeMachine[];
  /** Stops every machine and removes their folders. */
  dispose(): Promise<void>;
}

/** The folder the fake machines mount their Nix store on (in their own mount namespace). */
const STORE = "/nix/store";

/**
 * Creates /nix/store on a host without it (a fresh CI machine without Nix) and returns whether it did. The fake
 * machines mount a tmpfs there in their own mount namespace, so their `nix` is a store path as on NixOS; without
 * the folder there is nothing to mount on, and the facts script would start their `nix` script to ask its version,
 * which a NixOS machine never needs (the benchmark warns when that happened). The folder stays: it is empty on the
 * host, and another benchmark or test may be using it as its mount point at the same time. Needs root, as the fake
 * machines do.
 */
export function ensureNixStoreMountPoint(): boolean {
  if (existsSync(STORE)) return false;
  mkdirSync(STORE, { recursive: true, mode: 0o755 });
  return true;
}

/** Starts one fake machine on 127.0.0.1 (random port). */
export async function startFakeMachine(): Promise<FakeMachine> {
  ensureNixStoreMountPoint();
  const sshd = await startSshd({
    hostHome: true,
    extraHostKeys: ["ecdsa"],
    // sshd uses only the first SetEnv line, so HOME (hostHome: the fixture sets none) goes with PATH. /usr/bin comes
    // after the NixOS folder for the facts script's sh, uname, df and nproc.
    extraConfig: ["SetEnv HOME=/run/fake-home PATH=/run/current-system/sw/bin:/usr/local/bin:/usr/bin:/bin"],
    launcher: (command, rootDir) => {
      // Prepared before every (re)start; the namespace script mounts them.
      mkdirSync(join(rootDir, "calls"), { recursive: true });
      writeFileSync(
        join(rootDir, "os-release"),
        `NAME=NixOS\nID=nixos\nVERSION_ID="26.05"\nPRETTY_NAME="NixOS 26.05 (bench fake machine)"\n`,
      );
      writeFileSync(join(rootDir, "nsswitch.conf"), NSSWITCH);
      const enter = ["--mount", "--propagation", "private", "sh", ENTER, rootDir, FAKE_NIX_VERSION];
      return { command: "unshare", args: [...enter, ...command, ...CHEAP_SSHD_ARGS] };
    },
  });
  try {
    // The fixture names its extra host keys ssh_host_<type>_key; an ECDSA client key is authorized beside its own.
    const hostPublicKey = (await readFile(join(sshd.rootDir, "ssh_host_ecdsa_key.pub"), "utf8")).trim();
    const identityFile = join(sshd.rootDir, "client_ecdsa");
    const keygen = ["-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", "fedi-bench-client", "-f", identityFile];
    await run("ssh-keygen", keygen);
    await appendFile(join(sshd.rootDir, "authorized_keys"), await readFile(`${identityFile}.pub`));
    return {
      sshd,
      target: (machine = "fake-machine", overrides = {}) =>
        sshd.target(machine, { hostPublicKey, identityFile, ...overrides }),
      async nixCalls() {
        const log = await readFile(join(sshd.rootDir, "calls", "nix.log"), "utf8").catch(() => "");
        return log.split("\n").filter(Boolean).length;
      },
    };
  } catch (error) {
    await sshd.dispose();
    throw error;
  }
}

/** Starts `count` fake machines in parallel. If one fails to start, the others are stopped and the error thrown. */
export async function startFakeMachineFleet(count: number): Promise<FakeMachineFleet> {
  const settled = await Promise.allSettled(Array.from({ length: count }, () => startFakeMachine()));
  const machines = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const dispose = async () => {
    await Promise.all(machines.map((m) => m.sshd.dispose()));
  };
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failure) {
    await dispose();
    throw failure.reason;
  }
  return { machines, dispose };
}
