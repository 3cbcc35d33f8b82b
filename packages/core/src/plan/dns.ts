import { isIP } from "node:net";
import { FediError, type FediIssue } from "../errors.js";
import type { DnsNameNeed, ReservedDomain, StorageDns } from "../plugin/types.js";

/** The type of a planned DNS record. */
export type DnsRecordType = "A" | "AAAA" | "CNAME";

/** One DNS record the deployment needs (`plan.dns`). */
export interface DnsRecord {
  /** Fully qualified name, lower case, without the trailing dot; `*.` first for a wildcard. */
  name: string;
  /** `A` (IPv4) or `AAAA` (IPv6) when the machine's `host` is an address, `CNAME` when it is a host name. */
  type: DnsRecordType;
  /** The address, or the host name the CNAME points at (without the trailing dot). */
  value: string;
  /** The machine the record points at. */
  machine: string;
  /** Who needs the record: instance names, or `storage`; sorted. */
  neededBy: string[];
  /** What the record is for, for people. */
  purpose: string;
}

/** What {@link planDns} needs from the plan. */
export interface DnsPlanInput {
  /** Every machine of the plan. */
  machines: ReadonlyArray<{ name: string; host: string }>;
  /** Every instance: where it runs, its domains, and (for messages) its spec index and options. */
  instances: ReadonlyArray<{
    name: string;
    kind: string;
    machine: string;
    domains: readonly string[];
    specIndex: number;
    options: unknown;
  }>;
  /** The storage plugin's kind and what its `dns` hook returned (undefined when it has none). */
  storage: { kind: string; dns?: StorageDns | undefined };
}

const FQDN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The DNS records a deployment needs: every instance's domains pointing at the instance's machine, and every name the
 * storage plugin declares (public bucket hosts, the virtual-host S3 wildcard, ...) pointing at the machines that serve
 * it. A machine whose `host` is an IPv4/IPv6 address gives an A/AAAA record, a host name a CNAME. When several
 * machines serve one name, each machine with an address gets a record; a CNAME cannot share its name with other
 * records, so a name whose machines all have host names gets one CNAME, to the first of them by name.
 *
 * Also refuses a service domain that collides with a storage name or falls under a domain the storage claims (e.g.
 * the S3 root domain, or a name under the web root domain): nginx or Garage would then give one name two meanings.
 * Pure and deterministic; records sorted by name, type and value.
 * @throws FediError `ALLOCATION_CONFLICT` with one issue per colliding service domain (path: the service's option,
 * message: the storage setting it collides with); `PLUGIN_CONTRACT` when the storage declares an invalid name.
 */
export function planDns(input: DnsPlanInput): DnsRecord[] {
  const who = `storage plugin '${input.storage.kind}'`;
  const hosts = new Map(input.machines.map((m) => [m.name, m.host]));
  const storageNames = (input.storage.dns?.names ?? []).map((n) => checkedName(n, hosts, who));
  const reserved = (input.storage.dns?.reserved ?? []).map((r) => checkedReserved(r, who));
  refuseConflicts(input.instances, storageNames, reserved);

  const byName = new Map<string, { machines: Set<string>; neededBy: Set<string>; purposes: string[] }>();
  const add = (name: string, machines: readonly string[], neededBy: readonly string[], purpose: string) => {
    const entry = byName.get(name) ?? { machines: new Set(), neededBy: new Set(), purposes: [] };
    for (const m of machines) entry.machines.add(m);
    for (const n of neededBy) entry.neededBy.add(n);
    if (!entry.purposes.includes(purpose)) entry.purposes.push(purpose);
    byName.set(name, entry);
  };
  for (const inst of input.instances) {
    for (const domain of inst.domains)
      add(domain, [inst.machine], [inst.name], `domain of ${inst.name} (${inst.kind})`);
  }
  for (const n of storageNames) add(n.name, n.machines, n.neededBy, n.purpose);

  const records: DnsRecord[] = [];
  for (const [name, entry] of byName) {
    const machines = [...entry.machines].sort(cmp);
    const neededBy = [...entry.neededBy].sort(cmp);
    const purpose = entry.purposes.join("; ");
    const addressed = machines.filter((m) => isIP(hosts.get(m)!) !== 0);
    const targets = addressed.length > 0 ? addressed : [machines[0]!];
    for (const machine of targets) {
      const host = hosts.get(machine)!;
      const family = isIP(host);
      records.push({
        name,
        type: family === 4 ? "A" : family === 6 ? "AAAA" : "CNAME",
        value: family === 6 ? canonicalIPv6(host) : family === 4 ? host : host.toLowerCase().replace(/\.$/, ""),
        machine,
        neededBy,
        purpose,
      });
    }
  }
  return records.sort((a, b) => cmp(a.name, b.name) || cmp(a.type, b.type) || cmp(a.value, b.value));
}

/** The canonical (compressed, lower-case) text of an IPv6 address, as resolvers return it. */
export function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

/** True when `name` is `pattern`, or `pattern` is a wildcard (`*.zone`) and `name` lies under its zone. */
export function dnsNameMatches(pattern: string, name: string): boolean {
  if (pattern === name) return true;
  return pattern.startsWith("*.") && name.endsWith(pattern.slice(1));
}

function checkedName(n: DnsNameNeed, hosts: Map<string, string>, who: string): DnsNameNeed {
  const bare = n.name.startsWith("*.") ? n.name.slice(2) : n.name;
  if (typeof n.name !== "string" || !FQDN.test(bare) || n.name.length > 253)
    throw contract(who, `declares the DNS name '${n.name}', which is not a lower-case domain name`);
  if (!Array.isArray(n.machines) || n.machines.length === 0)
    throw contract(who, `declares the DNS name '${n.name}' without a machine serving it`);
  for (const m of n.machines)
    if (!hosts.has(m)) throw contract(who, `points the DNS name '${n.name}' at unknown machine '${m}'`);
  return n;
}

function checkedReserved(r: ReservedDomain, who: string): ReservedDomain {
  if (typeof r.domain !== "string" || !FQDN.test(r.domain))
    throw contract(who, `claims the domain '${r.domain}', which is not a lower-case domain name`);
  return r;
}

function refuseConflicts(
  instances: DnsPlanInput["instances"],
  storageNames: readonly DnsNameNeed[],
  reserved: readonly ReservedDomain[],
): void {
  const issues: FediIssue[] = [];
  for (const inst of [...instances].sort((a, b) => a.specIndex - b.specIndex)) {
    for (const domain of inst.domains) {
      const path = optionPath(inst.options, domain, `services[${inst.specIndex}].options`);
      const name = storageNames.find((n) => dnsNameMatches(n.name, domain));
      if (name) {
        issues.push({
          path,
          message: `domain '${domain}' of '${inst.name}' is also ${name.name === domain ? "" : `covered by '${name.name}', `}the name of ${name.purpose} (from ${name.path}): give the instance another domain, or change ${name.path}`,
          code: "ALLOCATION_CONFLICT",
        });
        continue;
      }
      const claim = reserved.find((r) => covers(r, domain));
      if (claim) {
        const where = claim.domain === domain ? `is ${claim.path}` : `lies under ${claim.path} ('${claim.domain}')`;
        issues.push({
          path,
          message: `domain '${domain}' of '${inst.name}' ${where}, which the storage uses for ${claim.what}: give the instance a domain outside it, or change ${claim.path}`,
          code: "ALLOCATION_CONFLICT",
        });
      }
    }
  }
  if (issues.length > 0) {
    throw new FediError(
      "ALLOCATION_CONFLICT",
      `${issues.length === 1 ? "A service domain collides" : `${issues.length} service domains collide`} with names the storage serves.`,
      { issues, hint: "One name can have only one meaning: change the service domain or the storage setting named." },
    );
  }
}

function covers(r: ReservedDomain, domain: string): boolean {
  const self = domain === r.domain;
  const under = domain.endsWith(`.${r.domain}`);
  return r.covers === "domain" ? self : r.covers === "subdomains" ? under : self || under;
}

/** The option path under which a plugin's options hold `domain` (top-level string options), else `base`. */
function optionPath(options: unknown, domain: string, base: string): string {
  if (options && typeof options === "object") {
    for (const [k, v] of Object.entries(options)) if (v === domain) return `${base}.${k}`;
  }
  return base;
}

function contract(who: string, what: string): FediError {
  return new FediError("PLUGIN_CONTRACT", `The ${who} ${what}.`, {
    hint: "This is a bug in the plugin: report it to its authors.",
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
