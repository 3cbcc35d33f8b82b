/**
 * A test double of how nixops4-nixos turns a machine's `ssh.*` options into the commands it runs, and of how Nix and
 * OpenSSH read the options it hands them. It exists because CI has no network: the real upstream file is used
 * instead when it is present (see ssh-options-command.test.ts). Each piece cites the upstream source it reproduces.
 *
 * - nixops4/nixops4-nixos 18e3a69 `modules/nixops4Resource/nixos.nix` lines 79-101: the exec resource's
 *   `executable` (bash) and `args` (`-c <script> <user@host> <toplevel>`);
 * - NixOS/nixpkgs `lib/strings.nix` `escapeShellArg` (nix-community/nixpkgs.lib copy, lines 1200-1208);
 * - NixOS/nix fd941f6 (the Nix nixops4 53d8554 pins) `src/libutil/strings.cc` lines 45-138 `shellSplitString`, used
 *   for `NIX_SSHOPTS` by `src/libstore/ssh.cc` lines 57-67;
 * - openssh/openssh-portable V_9_2_P1 `misc.c` `argv_split` and `vdollar_percent_expand`, `readconf.c`
 *   `strdelim_internal` / `process_config_line_depth`: how ssh reads one `-oKeyword=value` argument.
 */

/** nixpkgs `lib.strings.escapeShellArg` (lib/strings.nix lines 1200-1208). */
export function escapeShellArg(arg: string): string {
  return /^[A-Za-z0-9,._+:@%/-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

/** The nixos component's ssh options, as NixOps4 would evaluate them. */
export interface NixosComponentSsh {
  host: string;
  user: string | null;
  hostPublicKey: string;
  opts: string;
}

/** What the exec resource of the nixos component runs. */
export interface NixosComponentCommand {
  /** `inputs.executable`: bash. */
  executable: "bash";
  /** `inputs.args`: `["-c", script, "<user>@<host>", toplevel]`. */
  args: [string, string, string, string];
  /** The contents of the `known_hosts` file the script points at (`builtins.toFile "known_hosts" …`, lines 92-94). */
  knownHosts: string;
}

/**
 * nixos.nix lines 79-101. `knownHostsPath` stands for the store path of `builtins.toFile "known_hosts"`;
 * `substituteOnDestination` is `copy.substituteOnDestination` (default true), `sudo` is `sudo.enable` (default
 * `ssh.user != "root"`).
 */
export function nixosComponentCommand(
  ssh: NixosComponentSsh,
  toplevel: string,
  knownHostsPath: string,
  options: { substituteOnDestination?: boolean; sudo?: boolean } = {},
): NixosComponentCommand {
  const substitute = options.substituteOnDestination ?? true;
  const sudo = options.sudo ?? ssh.user !== "root";
  const script =
    "set -euo pipefail\n" +
    `export NIX_SSHOPTS="-o ConnectTimeout=10 -o ConnectionAttempts=12 -o KbdInteractiveAuthentication=no -o PasswordAuthentication=no -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${knownHostsPath} "${escapeShellArg(ssh.opts)}\n` +
    `nix copy --to "ssh-ng://$0" "$1" --no-check-sigs --extra-experimental-features nix-command${substitute ? " --substitute-on-destination" : ""}\n` +
    `ssh $NIX_SSHOPTS "$0" "${sudo ? "sudo " : ""}$1/bin/apply switch"\n`;
  return {
    executable: "bash",
    args: ["-c", script, `${ssh.user !== null ? `${ssh.user}@` : ""}${ssh.host}`, toplevel],
    knownHosts: `${ssh.host} ${ssh.hostPublicKey}\n`,
  };
}

/** The options nixos.nix line 90 puts before `ssh.opts` (as separate words). */
export function nixosComponentFixedSshOptions(knownHostsPath: string): string[] {
  return [
    "-o",
    "ConnectTimeout=10",
    "-o",
    "ConnectionAttempts=12",
    "-o",
    "KbdInteractiveAuthentication=no",
    "-o",
    "PasswordAuthentication=no",
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsPath}`,
  ];
}

/** Nix's `shellSplitString` (src/libutil/strings.cc lines 45-138); throws on an unterminated quote, as Nix does. */
export function nixShellSplit(input: string): string[] {
  const result: string[] = [];
  let current = "";
  let started = false;
  let escaping = false;
  let i = 0;
  const push = () => {
    if (started) result.push(current);
    current = "";
    started = false;
  };
  const char = (c: string) => {
    current += c;
    started = true;
  };
  while (i < input.length) {
    const c = input[i++] as string;
    if (escaping) {
      char(c);
      escaping = false;
    } else if (c === "\\") {
      escaping = true;
    } else if (c === " " || c === "\t") {
      push();
    } else if (c === '"') {
      started = true;
      let closed = false;
      while (i < input.length) {
        const d = input[i++] as string;
        if (escaping) {
          if (d === "$" || d === "`" || d === '"' || d === "\\") char(d);
          else char(`\\${d}`);
          escaping = false;
        } else if (d === "\\") escaping = true;
        else if (d === '"') {
          closed = true;
          break;
        } else char(d);
      }
      if (!closed) throw new Error("unterminated double quote");
    } else if (c === "'") {
      started = true;
      const end = input.indexOf("'", i);
      if (end < 0) throw new Error("unterminated single quote");
      char(input.slice(i, end));
      i = end + 1;
    } else {
      char(c);
    }
  }
  push();
  return result;
}

/**
 * How ssh reads one `-o` argument (readconf.c `process_config_line_depth`: the keyword ends at whitespace, a quote or
 * one `=`; misc.c `argv_split` splits the rest on space and tab, removes quotes and `\` before `'`, `"`, `\` and
 * space, and stops at a `#` that starts a word). Returns the keyword (lower case) and the values.
 */
export function sshConfigArgument(option: string): { keyword: string; values: string[] } {
  const line = option.replace(/^-o/, "");
  const end = line.search(/[ \t\r\n"'=]/);
  const keyword = (end < 0 ? line : line.slice(0, end)).toLowerCase();
  let rest = end < 0 ? "" : line.slice(end);
  rest = rest.replace(/^[ \t\r\n]*=?[ \t\r\n]*/, "");
  const values: string[] = [];
  let i = 0;
  while (i < rest.length) {
    if (rest[i] === " " || rest[i] === "\t") {
      i++;
      continue;
    }
    if (rest[i] === "#") break;
    let quote = "";
    let arg = "";
    for (; i < rest.length; i++) {
      const c = rest[i] as string;
      const next = rest[i + 1];
      if (c === "\\") {
        if (next === "'" || next === '"' || next === "\\" || (quote === "" && next === " ")) {
          i++;
          arg += next;
        } else arg += c;
      } else if (quote === "" && (c === " " || c === "\t")) break;
      else if (quote === "" && (c === '"' || c === "'")) quote = c;
      else if (quote !== "" && c === quote) quote = "";
      else arg += c;
    }
    if (quote !== "") throw new Error("invalid quotes");
    values.push(arg);
  }
  return { keyword, values };
}

/**
 * The file ssh opens for an `IdentityFile` value (ssh.c `load_public_identity_files`: `~` expansion, then
 * misc.c `vdollar_percent_expand`): `%%` becomes `%`; any other `%x` or a `${` is reported (the SDK never emits them).
 */
export function sshIdentityFilePath(value: string): string {
  if (value.startsWith("~")) throw new Error("tilde expansion");
  if (value.includes("${")) throw new Error("environment variable expansion");
  return value.replace(/%(.?)/gs, (_m, next: string) => {
    if (next === "%") return "%";
    throw new Error(`percent token %${next}`);
  });
}
