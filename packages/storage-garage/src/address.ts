import { isIP } from "node:net";

/** True when `host` is an IPv4 or IPv6 address literal (not a hostname). */
export function isIpAddress(host: string): boolean {
  return isIP(host) !== 0;
}

/** `host:port`, with an IPv6 literal in brackets (`[2001:db8::1]:3901`), as Garage and URLs write addresses. */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
