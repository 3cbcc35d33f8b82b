import { canonicalIPv6, type DnsRecord, type DnsRecordType } from "../plan/dns.js";

/**
 * What {@link checkDns} asks of a resolver. `node:dns`'s `promises.Resolver` (or `dns.promises` itself) fits as is:
 * `const r = new Resolver({ timeout: 3000, tries: 2 }); r.setServers(["192.0.2.53"]); await checkDns(plan.dns, r)`.
 * Failures reject with an error whose `code` is `ENOTFOUND` (no such name) or `ENODATA` (no record of that type), as
 * node's resolver does; other codes (`ETIMEOUT`, `ESERVFAIL`, `ECONNREFUSED`, ...) mean the lookup itself failed.
 */
export interface DnsResolver {
  /** IPv4 addresses of a name (following CNAMEs). */
  resolve4(name: string): Promise<string[]>;
  /** IPv6 addresses of a name (following CNAMEs). */
  resolve6(name: string): Promise<string[]>;
  /** The CNAME target of a name. */
  resolveCname(name: string): Promise<string[]>;
}

/**
 * The state of one record set: `ok`; `missing` (the name does not exist or has no record of the type); `elsewhere`
 * (it resolves, but not to, or not only to, what the plan says); `error` (the lookup failed: timeout, refused, ...).
 */
export type DnsCheckStatus = "ok" | "missing" | "elsewhere" | "error";

/** The result of checking the records of one name and type. */
export interface DnsCheckResult {
  /** The planned name (`*.` first for a wildcard). */
  name: string;
  /** Record type. */
  type: DnsRecordType;
  /** The name actually looked up: the planned name, or for a wildcard a name under it (`fedi-dns-check.<zone>`). */
  queried: string;
  /** What the plan says, sorted (addresses, or the CNAME target). */
  expected: string[];
  /** What the resolver answered, sorted (empty when nothing). */
  found: string[];
  /** The verdict. */
  status: DnsCheckStatus;
  /** For people: what is wrong and what to do, or what was seen. */
  detail: string;
  /** Who needs the record. */
  neededBy: string[];
}

/** The label {@link checkDns} looks up under a wildcard's zone to see whether the wildcard resolves. */
export const WILDCARD_PROBE_LABEL = "fedi-dns-check";

/**
 * Resolves every planned record set (records of one name and type) through `resolver` and says for each whether it
 * points where the plan says: every planned address and no other for A/AAAA; the planned target for a CNAME (or, for
 * a name flattened to addresses, the same addresses as the target). A wildcard is checked through a name under it.
 * Never throws for DNS answers: every failure is a result. Results in the records' order.
 */
export async function checkDns(records: readonly DnsRecord[], resolver: DnsResolver): Promise<DnsCheckResult[]> {
  const sets = new Map<string, { name: string; type: DnsRecordType; values: Set<string>; neededBy: Set<string> }>();
  for (const r of records) {
    const key = `${r.name} ${r.type}`;
    const set = sets.get(key) ?? { name: r.name, type: r.type, values: new Set(), neededBy: new Set() };
    set.values.add(normalise(r.type, r.value));
    for (const n of r.neededBy) set.neededBy.add(n);
    sets.set(key, set);
  }
  return Promise.all(
    [...sets.values()].map((set) =>
      checkSet(resolver, set.name, set.type, [...set.values].sort(), [...set.neededBy].sort()),
    ),
  );
}

async function checkSet(
  resolver: DnsResolver,
  name: string,
  type: DnsRecordType,
  expected: string[],
  neededBy: string[],
): Promise<DnsCheckResult> {
  const queried = name.startsWith("*.") ? `${WILDCARD_PROBE_LABEL}${name.slice(1)}` : name;
  const base = { name, type, queried, expected, neededBy };
  const planned = `${type} ${expected.join(", ")}`;
  if (type === "CNAME") {
    const target = expected[0]!;
    const cname = await lookup(() => resolver.resolveCname(queried), type);
    if (cname.ok) {
      const found = cname.values;
      return found.includes(target) && found.length === 1
        ? { ...base, found, status: "ok", detail: `CNAME ${target}` }
        : { ...base, found, status: "elsewhere", detail: `CNAME ${found.join(", ")}, not ${target}: set ${planned}` };
    }
    if (cname.code !== "ENODATA") return failed(base, cname, planned);
    // No CNAME: the name may be flattened to the target's addresses (e.g. at a zone apex).
    const [mine, theirs] = await Promise.all([addresses(resolver, queried), addresses(resolver, target)]);
    const same = mine.length > 0 && mine.join() === theirs.join();
    return same
      ? { ...base, found: mine, status: "ok", detail: `no CNAME, but the same addresses as ${target}` }
      : {
          ...base,
          found: mine,
          status: mine.length > 0 ? "elsewhere" : "missing",
          detail: `${mine.length > 0 ? `addresses ${mine.join(", ")}` : "no record"}, not ${planned}: set ${planned}`,
        };
  }
  const answer = await lookup(() => (type === "A" ? resolver.resolve4(queried) : resolver.resolve6(queried)), type);
  if (!answer.ok) return failed(base, answer, planned);
  const found = answer.values;
  const lacking = expected.filter((v) => !found.includes(v));
  const extra = found.filter((v) => !expected.includes(v));
  if (lacking.length === 0 && extra.length === 0) return { ...base, found, status: "ok", detail: planned };
  const parts = [
    ...(extra.length > 0 ? [`points at ${extra.join(", ")}, which the plan does not`] : []),
    ...(lacking.length > 0 ? [`lacks ${lacking.join(", ")}`] : []),
  ];
  return { ...base, found, status: "elsewhere", detail: `${parts.join(" and ")}: set ${planned}` };
}

type Lookup = { ok: true; values: string[] } | { ok: false; code: string; message: string };

async function lookup(fn: () => Promise<string[]>, type: DnsRecordType): Promise<Lookup> {
  try {
    const values = await fn();
    return { ok: true, values: [...new Set(values.map((v) => normalise(type, v)))].sort() };
  } catch (error) {
    const code = String((error as { code?: unknown })?.code ?? "ERROR");
    return { ok: false, code, message: (error as Error)?.message ?? String(error) };
  }
}

async function addresses(resolver: DnsResolver, name: string): Promise<string[]> {
  const [v4, v6] = await Promise.all([
    lookup(() => resolver.resolve4(name), "A"),
    lookup(() => resolver.resolve6(name), "AAAA"),
  ]);
  return [...(v4.ok ? v4.values : []), ...(v6.ok ? v6.values : [])].sort();
}

function failed(
  base: Omit<DnsCheckResult, "found" | "status" | "detail">,
  answer: { code: string; message: string },
  planned: string,
): DnsCheckResult {
  if (answer.code === "ENOTFOUND" || answer.code === "ENODATA") {
    const what = answer.code === "ENOTFOUND" ? "the name does not exist" : `no ${base.type} record`;
    return {
      ...base,
      found: [],
      status: "missing",
      detail: `${what}: add ${base.queried === base.name ? "" : `${base.name} `}${planned}`,
    };
  }
  return { ...base, found: [], status: "error", detail: `lookup failed (${answer.code}): ${answer.message}` };
}

function normalise(type: DnsRecordType, value: string): string {
  if (type === "AAAA") {
    try {
      return canonicalIPv6(value);
    } catch {
      return value.toLowerCase();
    }
  }
  return type === "CNAME" ? value.toLowerCase().replace(/\.$/, "") : value;
}
