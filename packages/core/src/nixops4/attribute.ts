import { normaliseHost, stripAnsi } from "./text.js";

/**
 * What the driver knows about the deployment, used to attribute output lines and failures to machines. The SDK's root
 * puts machine `m` at member path `default.<m>`, whose one resource NixOps4 names `default.<m>.nixos`
 * (`ComponentPath(["default", "<m>", "nixos"])`, nixops4 `rust/nixops4/src/work.rs`): a member's machine is the last
 * segment of its path.
 */
export interface NixOps4Context {
  /** Member paths being applied (e.g. `default.web01`). A resource path below one belongs to its machine. */
  members?: readonly string[];
  /** SSH host (name or address) of each machine, by machine name: lets SSH and `nix copy` lines be attributed. */
  hosts?: Readonly<Record<string, string>>;
}

/** The machine of a member path: its last segment (`default.web01` → `web01`). */
export function machineOfMember(member: string): string {
  return member.slice(member.lastIndexOf(".") + 1);
}

/** Every machine name the context knows: the keys of `hosts` and the machines of `members`. */
function knownMachines(context: NixOps4Context): Set<string> {
  return new Set([...Object.keys(context.hosts ?? {}), ...(context.members ?? []).map(machineOfMember)]);
}

/**
 * Patterns that name the remote host in OpenSSH and Nix output (group 1 is the host as printed).
 * Shapes from OpenSSH's client messages and Nix's ssh/ssh-ng store messages; see test/nixops4/samples/SOURCES.md.
 */
const HOST_PATTERNS: readonly RegExp[] = [
  /^ssh: connect to host (\S+) port \d+:/,
  /^ssh: Could not resolve hostname ([^:\s]+):/,
  /^Host key for (\S+) has changed and you have requested strict checking/,
  /^No \S+ host key is known for (\S+) and you have requested strict checking/,
  /^Connection to (\S+) port \d+ timed out/,
  /^Connection closed by (?:authenticating user \S+ )?(\S+) port \d+/,
  /^(\S+?): Permission denied \((?:publickey|password|keyboard-interactive|hostbased|gssapi)/,
  /failed to start SSH connection to '([^']+)'/,
  /cannot open connection to remote store '((?:ssh-ng|ssh):\/\/[^']+)'/,
  /cannot connect to '((?:ssh-ng:\/\/|ssh:\/\/)?[^']+)'/,
  /copying (?:\d+ paths|path '[^']+') to '((?:ssh-ng|ssh):\/\/[^']+)'/,
];

/** NixOps4's wording when a resource fails (format strings in rust/nixops4/src/work.rs). */
const RESOURCE_FAILURE = /Failed to (?:create stateless resource|create resource|update resource) ([^\s:]+)/;

/**
 * The span fields NixOps4's headless log prints (tracing-subscriber's default format of the spans in work.rs):
 * `creating resource{name="default.web01.nixos"}`, `resource=ComponentPath(["default", "web01", "nixos"])`.
 */
const SPAN_NAME = /creating resource\{name="([^"]+)"\}/;
const SPAN_RESOURCE = /resource=ComponentPath\(\[([^\]]*)\]\)/;

/** A NixOS system derivation or output, named `nixos-system-<hostName>-<version>` (group 1: name and rest). */
const NIXOS_SYSTEM = /-nixos-system-([A-Za-z0-9_.-]+)/;

/** NixOps4's wording when a member fails to load (`Error while loading member '<name>': …`, rust/nixops4/src/work.rs). */
const MEMBER_LOADING = /Error while loading member '([^']+)'/;

/** The host named in an SSH or `nix copy` line, normalised (see {@link normaliseHost}); undefined when none. */
export function hostInLine(line: string): string | undefined {
  const text = stripAnsi(line).trim();
  for (const pattern of HOST_PATTERNS) {
    const match = pattern.exec(text);
    if (match?.[1]) return normaliseHost(match[1]);
  }
  return undefined;
}

/** The resource path a NixOps4 failure line names (`Failed to create stateless resource web01: …`), if any. */
export function failedResourceInLine(line: string): string | undefined {
  return RESOURCE_FAILURE.exec(stripAnsi(line))?.[1];
}

/**
 * The machine a resource path belongs to: the machine of the longest known member equal to the path or above it
 * (`default.web01.nixos` under member `default.web01` → `web01`); else the first segment, after the first, that names a
 * known machine (`default.web01.nixos` → `web01` when `hosts` has `web01`); else the path itself.
 */
export function machineForResource(path: string, context: NixOps4Context = {}): string {
  let best: string | undefined;
  for (const member of context.members ?? []) {
    if ((path === member || path.startsWith(`${member}.`)) && (best === undefined || member.length > best.length)) {
      best = member;
    }
  }
  if (best !== undefined) return machineOfMember(best);
  const machines = knownMachines(context);
  const segments = path.split(".");
  const named =
    segments.slice(1).find((s) => machines.has(s)) ?? (machines.has(segments[0] ?? "") ? segments[0] : undefined);
  return named ?? path;
}

/** The machine whose SSH host is `host` (compared after {@link normaliseHost}); undefined when unknown. */
export function machineForHost(host: string, context: NixOps4Context = {}): string | undefined {
  const wanted = normaliseHost(host);
  for (const [machine, machineHost] of Object.entries(context.hosts ?? {})) {
    if (normaliseHost(machineHost) === wanted) return machine;
  }
  return undefined;
}

function resourcePathInSpan(text: string): string | undefined {
  const name = SPAN_NAME.exec(text)?.[1];
  if (name) return name;
  const list = SPAN_RESOURCE.exec(text)?.[1];
  if (list === undefined) return undefined;
  const segments = [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
  return segments.length > 0 ? segments.join(".") : undefined;
}

/**
 * The machine one line of NixOps4 output is about, when it can be recognised: NixOps4's span fields and failure
 * messages name the resource; SSH and `nix copy` messages name the host (mapped with `context.hosts`); a
 * `nixos-system-<name>-…` store path names a known member. Returns undefined when the line names none.
 */
export function attributeLine(line: string, context: NixOps4Context = {}): string | undefined {
  const text = stripAnsi(line);
  const resource = resourcePathInSpan(text) ?? failedResourceInLine(text);
  if (resource !== undefined) return machineForResource(resource, context);
  const host = hostInLine(text);
  if (host !== undefined) {
    const machine = machineForHost(host, context);
    if (machine !== undefined) return machine;
  }
  return machineForSystemPath(text, context);
}

/**
 * The known machine whose NixOS system a store path in `line` is (`…-nixos-system-web01-25.05….drv` → `web01`; the
 * system is named after `networking.hostName`, which is the machine name). The host name is followed by `-<version>`
 * or the end of the name; the longest matching machine wins.
 */
export function machineForSystemPath(line: string, context: NixOps4Context = {}): string | undefined {
  const rest = NIXOS_SYSTEM.exec(stripAnsi(line))?.[1];
  if (rest === undefined) return undefined;
  let best: string | undefined;
  for (const machine of knownMachines(context)) {
    const fits = rest === machine || rest.startsWith(`${machine}-`) || rest.startsWith(`${machine}.drv`);
    if (fits && (best === undefined || machine.length > best.length)) best = machine;
  }
  return best;
}

/**
 * The machine named by NixOps4's "Error while loading member '<name>'" message (`<name>` is one segment, the member
 * being loaded inside its composite), when it is a known machine.
 */
export function memberInLoadError(line: string, context: NixOps4Context = {}): string | undefined {
  const name = MEMBER_LOADING.exec(stripAnsi(line))?.[1];
  return name !== undefined && knownMachines(context).has(name) ? name : undefined;
}
