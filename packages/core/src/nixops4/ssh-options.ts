import { FediError, type FediIssue } from "../errors.js";

/**
 * The `ssh.*` values of one machine's nixops4-nixos `nixos` component, built so that NixOps4 connects exactly the way
 * the SDK's own SSH does: same user, port, pinned host key and identity file (or the agent).
 *
 * How nixops4-nixos consumes them (nixops4/nixops4-nixos 18e3a69, `modules/nixops4Resource/nixos.nix`):
 * - line 90-95: `export NIX_SSHOPTS="-o … -o UserKnownHostsFile=<store file>" + escapeShellArg(ssh.opts)`, so bash
 *   assigns `ssh.opts` verbatim after a space; the store file holds one line, `"${ssh.host} ${ssh.hostPublicKey}"`;
 * - line 96: `nix copy --to "ssh-ng://$0" …`: Nix splits `NIX_SSHOPTS` with its `shellSplitString` (NixOS/nix
 *   `src/libutil/strings.cc` line 45: words on space and tab, `'…'`, `"…"` and `\` are removed) and runs
 *   `ssh <user@host> -x <words> …` (`src/libstore/ssh.cc` lines 57-67, 95-119, 188-196);
 * - line 97: `ssh $NIX_SSHOPTS "$0" …`: bash splits the unquoted expansion on space, tab and newline and expands
 *   `*`, `?` and `[` as file name patterns, but removes no quotes;
 * - line 99: `$0` is `"${ssh.user}@${ssh.host}"`.
 * The two splitters disagree on quotes and backslashes, so no quoting can carry a space: every option here is one
 * word that contains nothing either splitter treats specially, and a value that would need it is refused.
 * OpenSSH then reads each `-oKeyword=value` like a config line (openssh-portable V_9_2_P1 `readconf.c`
 * `process_config_line_depth`, `misc.c` `argv_split`): quotes and `\` again, and `IdentityFile` also expands `%x`
 * tokens (so `%` is written `%%`), `${VAR}` (refused) and a leading `~` (refused: paths must be absolute).
 */
export interface NixOps4Ssh {
  /** `ssh.host`: the address as both `nix copy --to ssh-ng://user@host` and `ssh user@host` accept it (IPv6 unbracketed). */
  host: string;
  /** `ssh.user`: the login user. */
  user: string;
  /** `ssh.hostPublicKey`: `<type> <base64>` (comment dropped), the only key in the generated known_hosts file. */
  hostPublicKey: string;
  /** `ssh.opts`: {@link NixOps4Ssh.args} joined with single spaces. */
  opts: string;
  /** The options, one word each, e.g. `["-Fnone", "-oPort=2222", …]`. */
  args: readonly string[];
}

/** What {@link nixops4Ssh} encodes for one machine. */
export interface NixOps4SshInput {
  /** Machine name (for messages). */
  machine: string;
  /** The machine's address: IPv4, IPv6 (no zone index) or a host name. */
  host: string;
  /** Login user (a Unix user name). */
  user: string;
  /** SSH port. */
  port: number;
  /** The pinned host public key line (`<type> <base64> [comment]`). */
  hostPublicKey: string;
  /** Absolute path of the private key; without it ssh authenticates with the agent (`SSH_AUTH_SOCK`). */
  identityFile?: string;
}

/** Spec paths named in errors, by input field. Defaults: `machines.<name>.host`, `machines.<name>.ssh.<field>`. */
export interface NixOps4SshFields {
  /** Where the host came from. */
  host?: string;
  /** Where the user came from. */
  user?: string;
  /** Where the port came from. */
  port?: string;
  /** Where the host public key came from. */
  hostPublicKey?: string;
  /** Where the identity file came from, e.g. `ssh.defaultIdentityFile` for the Deployer's default. */
  identityFile?: string;
}

const USER = /^[a-z_][a-z0-9_-]*$/;
const IPV4 = /^(?:\d{1,3}\.){3}\d{1,3}$/;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;
const KEY_TYPE = /^[a-z0-9@.-]+$/;
const KEY_BLOB = /^[A-Za-z0-9+/]+={0,3}$/;

/**
 * Why `path` cannot be an identity file in NixOps4's ssh options, or undefined when it can. The path must be absolute
 * (ssh runs in another folder than the SDK and expands `~` where the SDK does not) and free of what one of the
 * consumers would split or rewrite: control characters (newlines, tabs), spaces, quotes, backslashes, the file-name
 * pattern characters `*`, `?`, `[` (bash expands them), and `${` (ssh expands environment variables). Everything
 * else, including non-ASCII letters, `$(…)`, `#`, `=` and `%`, is carried as it is.
 */
export function identityFileProblem(path: string): string | undefined {
  if (!path.startsWith("/")) {
    return "must be an absolute path (starting with '/'): NixOps4's ssh runs in the deployment folder and expands '~' itself";
  }
  const bad = [...path].find((c) => /[\p{Cc} "'\\*?[]/u.test(c));
  if (bad !== undefined) {
    return `contains ${describeChar(bad)}, which NixOps4's ssh command line cannot carry (nixops4-nixos passes ssh.opts through bash word splitting and Nix's NIX_SSHOPTS splitting, which disagree on quoting)`;
  }
  if (path.includes("${")) return "contains '${', which ssh would expand as an environment variable";
  return undefined;
}

function describeChar(c: string): string {
  if (c === " ") return "a space";
  if (c === "\n") return "a newline";
  if (c === "\t") return "a tab";
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f))
    return `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
  return `'${c}'`;
}

function hostProblem(host: string): string | undefined {
  if (IPV4.test(host) || HOST_NAME.test(host)) return undefined;
  if (host.includes("%")) {
    return "is an IPv6 address with a zone index (`%…`), which NixOps4's known_hosts entry and ssh cannot share; use a global address or a host name";
  }
  if (host.includes(":") && IPV6.test(host)) return undefined;
  return "must be an IPv4 address, an IPv6 address (without brackets) or a host name";
}

function hostKeyParts(line: string): string | undefined {
  const [type, blob] = line.trim().split(/[ \t]+/);
  return type && blob && KEY_TYPE.test(type) && KEY_BLOB.test(blob) ? `${type} ${blob}` : undefined;
}

/**
 * Encodes one machine's SSH access for nixops4-nixos's `ssh.*` options. The options are, in order: `-Fnone` (no
 * ssh_config: the SDK reads none either), `-oPort=<port>`, `-oGlobalKnownHostsFile=/dev/null` and `-oCheckHostIP=no`
 * (only the pinned key in nixops4-nixos's known_hosts file counts; for a port other than 22 ssh finds that plain-host
 * line by retrying without the port, openssh-portable `sshconnect.c` `check_host_key`, "checking without port
 * identifier"), then with an identity file `-oIdentitiesOnly=yes` and `-oIdentityFile=<path>` (`%` doubled). Without
 * one, ssh uses the agent in `SSH_AUTH_SOCK` (see {@link nixops4SshEnvironment}).
 * @throws FediError `SPEC_INVALID` naming the field (see {@link NixOps4SshFields}) when a value cannot be carried.
 */
export function nixops4Ssh(input: NixOps4SshInput, fields: NixOps4SshFields = {}): NixOps4Ssh {
  const at = (field: keyof NixOps4SshFields, fallback: string) =>
    fields[field] ?? `machines.${input.machine}.${fallback}`;
  const issues: FediIssue[] = [];
  const host = input.host;
  const hostIssue = hostProblem(host);
  if (hostIssue) issues.push({ path: at("host", "host"), message: `${JSON.stringify(host)} ${hostIssue}` });
  if (!USER.test(input.user)) {
    issues.push({ path: at("user", "ssh.user"), message: `${JSON.stringify(input.user)} must be a Unix user name` });
  }
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) {
    issues.push({ path: at("port", "ssh.port"), message: `${input.port} must be a port number (1-65535)` });
  }
  const hostPublicKey = hostKeyParts(input.hostPublicKey);
  if (hostPublicKey === undefined) {
    issues.push({ path: at("hostPublicKey", "ssh.hostPublicKey"), message: "must be `<type> <base64>` on one line" });
  }
  if (input.identityFile !== undefined) {
    const problem = identityFileProblem(input.identityFile);
    if (problem) {
      issues.push({
        path: at("identityFile", "ssh.identityFile"),
        message: `${JSON.stringify(input.identityFile)} ${problem}`,
      });
    }
  }
  if (issues.length > 0 || hostPublicKey === undefined) {
    throw new FediError(
      "SPEC_INVALID",
      `The SSH settings of machine "${input.machine}" cannot be passed to NixOps4: ${issues.map((i) => `${i.path} ${i.message}`).join("; ")}.`,
      {
        machine: input.machine,
        issues,
        hint: "Move or link the key to a plain absolute path (letters, digits, '/', '.', '-', '_'), and give the machine's address without brackets or zone index.",
      },
    );
  }
  const args = [
    "-Fnone",
    `-oPort=${input.port}`,
    "-oGlobalKnownHostsFile=/dev/null",
    "-oCheckHostIP=no",
    ...(input.identityFile !== undefined
      ? ["-oIdentitiesOnly=yes", `-oIdentityFile=${input.identityFile.replaceAll("%", "%%")}`]
      : []),
  ];
  return { host, user: input.user, hostPublicKey, opts: args.join(" "), args };
}

/**
 * The environment NixOps4 needs for the SSH it starts: `SSH_AUTH_SOCK` set to the Deployer's agent socket when one is
 * configured (ssh reads the agent only from there); otherwise nothing (the current environment's `SSH_AUTH_SOCK` is
 * inherited). Never secret: a socket path.
 */
export function nixops4SshEnvironment(auth: { agent?: string } = {}): Record<string, string> {
  return auth.agent ? { SSH_AUTH_SOCK: auth.agent } : {};
}
