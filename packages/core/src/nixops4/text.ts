/** Matches ANSI escape sequences (colours, cursor movement) that Nix and tracing may print. */
const ANSI_PATTERN = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/**
 * Removes ANSI escape sequences and a trailing carriage return from one line of tool output, so that patterns can be
 * matched against plain text.
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, "").replace(/\r$/, "");
}

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Normalises a host as it appears in OpenSSH or Nix messages (`root@web01`, `[203.0.113.10]:2222`,
 * `ssh-ng://root@web01?x=y`) to the bare host name or address.
 */
export function normaliseHost(raw: string): string {
  let host = raw.trim();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  host = host.replace(/[/?].*$/, "");
  const at = host.lastIndexOf("@");
  if (at >= 0) host = host.slice(at + 1);
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracketed?.[1]) return bracketed[1].toLowerCase();
  return host.toLowerCase();
}
