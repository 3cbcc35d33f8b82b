import { Resolver } from "node:dns/promises";
import { checkDns, DEFAULT_DNS_TTL, FediError, zoneFileFragment } from "@fediversity/core";
import { DNS_OUTPUT_VERSION, type DnsCheckOutput, type DnsOutput, dnsCheckReport } from "../output/dns.js";
import { EXIT } from "../terminal/global-options.js";
import {
  ADOPT_OPTION,
  ALLOW_MOVES_OPTION,
  ALLOW_STORAGE_CHANGES_OPTION,
  CONFIG_OPTION,
  planFromFlags,
  STATE_OPTION,
  stringFlag,
} from "./shared.js";
import type { Command } from "./types.js";

/** `fedi dns [check]`: the DNS records the deployment needs, as a zone-file fragment or JSON, or checked. */
export const dnsCommand: Command = {
  name: "dns",
  summary: "print the DNS records the deployment needs (zone file or JSON), or check that they resolve",
  usage:
    "fedi dns [check] [--config FILE] [--state DIR] [--allow-moves] [--allow-storage-changes] [--adopt NAMES] [--ttl SECONDS] [--server ADDR] [--json]",
  description: [
    "Plans the deployment (writing nothing) and prints every DNS record it needs: each service domain, each public",
    "bucket host and, where buckets are addressed in virtual-host style (PeerTube), the wildcard of the S3 root",
    "domain, each pointing at the machine that serves it (A/AAAA for an address, CNAME for a host name). The output",
    "is a zone-file fragment (absolute names, the TTL, class IN) to paste into your zones; with --json, a JSON object",
    "(schema: @fediversity/cli/schema/dns-output.schema.json).",
    "",
    "`fedi dns check` resolves every record (through the system's resolvers, or --server) and reports what is missing",
    "or points elsewhere; exit code 1 then. Run it before the first apply: Let's Encrypt issues certificates only for",
    "names that resolve to the machine. --json: schema @fediversity/cli/schema/dns-check-output.schema.json.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    state: STATE_OPTION,
    "allow-moves": ALLOW_MOVES_OPTION,
    "allow-storage-changes": ALLOW_STORAGE_CHANGES_OPTION,
    adopt: ADOPT_OPTION,
    ttl: {
      type: "string",
      valueName: "SECONDS",
      description: `TTL of the zone-file records (default ${DEFAULT_DNS_TTL})`,
    },
    server: {
      type: "string",
      valueName: "ADDR",
      description: "check: ask this DNS server (IP, IP:PORT or [IPv6]:PORT; comma-separated for several)",
    },
    json: { type: "boolean", description: "print JSON on stdout instead of the zone file or the report" },
  },
  positionals: [{ name: "ACTION", description: "check: resolve the records and report", required: false }],
  examples: [
    { command: "fedi dns > records.zone", description: "the zone-file fragment to add to your zones" },
    {
      command: "fedi dns --json | jq -r '.records[] | \"\\(.name) \\(.type) \\(.value)\"'",
      description: "records for a script",
    },
    { command: "fedi dns check", description: "do the names resolve to the right machines yet?" },
    {
      command: "fedi dns check --server 192.0.2.53",
      description: "ask your authoritative server before it propagates",
    },
  ],
  async run(ctx) {
    const [action] = ctx.positionals;
    if (action !== undefined && action !== "check") {
      throw new FediError("USAGE", `Unknown dns action '${action}'.`, {
        hint: "Use `fedi dns` to print the records or `fedi dns check` to resolve them.",
      });
    }
    const ttlText = stringFlag(ctx.flags, "ttl");
    const ttl = ttlText === undefined ? DEFAULT_DNS_TTL : Number(ttlText);
    if (!/^\d+$/.test(ttlText ?? "0") || ttl > 2_147_483_647) {
      throw new FediError("USAGE", `--ttl must be a whole number of seconds from 0 to 2147483647 (got '${ttlText}').`, {
        hint: "For example --ttl 300 (five minutes) or --ttl 3600 (an hour).",
      });
    }
    const servers = (stringFlag(ctx.flags, "server") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    if (servers.length > 0 && action !== "check") {
      throw new FediError("USAGE", "--server is used by `fedi dns check` only.", {
        hint: "Run `fedi dns check --server ...`.",
      });
    }
    const resolver = action === "check" ? resolverFor(servers) : undefined;
    const { plan } = await planFromFlags(ctx);

    if (!resolver) {
      if (ctx.flags.json === true) {
        const output: DnsOutput = {
          outputVersion: DNS_OUTPUT_VERSION,
          deployment: plan.deployment.name,
          ttl,
          records: plan.dns,
        };
        ctx.io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
      } else {
        ctx.io.stdout.write(
          zoneFileFragment(plan.dns, {
            ttl,
            header: [
              `DNS records of deployment '${plan.deployment.name}' (fedi dns): add them to the zones that hold these names.`,
            ],
          }),
        );
      }
      return EXIT.ok;
    }

    const results = await checkDns(plan.dns, resolver);
    const ok = results.every((r) => r.status === "ok");
    if (ctx.flags.json === true) {
      const output: DnsCheckOutput = {
        outputVersion: DNS_OUTPUT_VERSION,
        deployment: plan.deployment.name,
        servers,
        ok,
        results,
      };
      ctx.io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    } else ctx.io.stdout.write(dnsCheckReport(results, ctx.out));
    return ok ? EXIT.ok : EXIT.failure;
  },
};

/** node's resolver with short time-outs, asking `servers` when given (else the system's resolvers). */
function resolverFor(servers: string[]): Resolver {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  if (servers.length > 0) {
    try {
      resolver.setServers(servers);
    } catch (error) {
      throw new FediError("USAGE", `--server: ${(error as Error).message}.`, {
        hint: "Give an IP address, IP:PORT or [IPv6]:PORT, e.g. --server 192.0.2.53 or --server 127.0.0.1:5353.",
      });
    }
  }
  return resolver;
}
