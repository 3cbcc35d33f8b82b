import { type DnsCheckResult, type DnsRecord, textTable as table } from "@fediversity/core";
import type { Style } from "../terminal/style.js";

/** Version of the `fedi dns --json` and `fedi dns check --json` output formats. Bumped on incompatible changes. */
export const DNS_OUTPUT_VERSION = 1;

/** What `fedi dns --json` prints (schema/dns-output.schema.json). */
export interface DnsOutput {
  /** {@link DNS_OUTPUT_VERSION}. */
  outputVersion: typeof DNS_OUTPUT_VERSION;
  /** Deployment name. */
  deployment: string;
  /** TTL the zone-file fragment uses, in seconds. */
  ttl: number;
  /** The plan's DNS records. */
  records: DnsRecord[];
}

/** What `fedi dns check --json` prints (schema/dns-check-output.schema.json). */
export interface DnsCheckOutput {
  /** {@link DNS_OUTPUT_VERSION}. */
  outputVersion: typeof DNS_OUTPUT_VERSION;
  /** Deployment name. */
  deployment: string;
  /** The DNS servers asked (`address` or `address:port`), or empty for the system's resolvers. */
  servers: string[];
  /** Every record set resolves as planned. */
  ok: boolean;
  /** One result per record set (name and type). */
  results: DnsCheckResult[];
}

/** The readable report of `fedi dns check`: one line per record set with its verdict, and a closing line. */
export function dnsCheckReport(results: readonly DnsCheckResult[], style: Style): string {
  const mark = (r: DnsCheckResult) => (r.status === "ok" ? style.green(r.status) : style.red(r.status));
  const lines = table(results.map((r) => [mark(r), style.bold(r.name), r.type, r.detail]));
  const bad = results.filter((r) => r.status !== "ok").length;
  lines.push(
    "",
    bad === 0
      ? style.green(`All ${results.length} record set${results.length === 1 ? "" : "s"} resolve as planned.`)
      : style.red(
          `${bad} of ${results.length} record set${results.length === 1 ? "" : "s"} do not resolve as planned: fix them before ACME asks for certificates (fedi dns prints the records).`,
        ),
  );
  return `${lines.join("\n")}\n`;
}
