// checkDns against a real DNS server on loopback (test/fixtures/dns-server.ts) through node's own resolver, fed the
// zone-file fragment that zoneFileFragment writes: what is right, missing, pointing elsewhere, or failing.
import { Resolver } from "node:dns/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDns, type DnsRecord, zoneFileFragment } from "../../src/index.js";
import { type DnsServerFixture, startDnsServer } from "../fixtures/dns-server.js";

const RECORDS: DnsRecord[] = [
  { name: "*.s3.example.org", type: "A", value: "10.0.1.1", machine: "store1", neededBy: ["videos"], purpose: "S3" },
  { name: "*.s3.example.org", type: "A", value: "10.0.1.2", machine: "store2", neededBy: ["videos"], purpose: "S3" },
  { name: "media.example.org", type: "AAAA", value: "2001:db8::5", machine: "web1", neededBy: ["x"], purpose: "p" },
  { name: "social.example.org", type: "A", value: "203.0.113.10", machine: "web1", neededBy: ["social"], purpose: "d" },
  {
    name: "videos.example.org",
    type: "CNAME",
    value: "web2.example.net",
    machine: "web2",
    neededBy: ["v"],
    purpose: "d",
  },
];
const ZONE = zoneFileFragment(RECORDS, { ttl: 60 });

let dns: DnsServerFixture;
let resolver: Resolver;
beforeAll(async () => {
  dns = await startDnsServer();
  resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dns.address]);
});
afterAll(() => dns?.close());

const verdicts = (results: Awaited<ReturnType<typeof checkDns>>) =>
  results.map((r) => `${r.name} ${r.type}: ${r.status}`);

describe("checkDns through a real DNS server", () => {
  it("finds every record of the fragment it was served (CNAME target resolving too)", async () => {
    dns.load([ZONE, "web2.example.net. 60 IN A 203.0.113.20"].join("\n"));
    const results = await checkDns(RECORDS, resolver);
    expect(verdicts(results)).toEqual([
      "*.s3.example.org A: ok",
      "media.example.org AAAA: ok",
      "social.example.org A: ok",
      "videos.example.org CNAME: ok",
    ]);
    // The wildcard was checked through a name under it, one query per record set.
    expect(results[0]).toMatchObject({ queried: "fedi-dns-check.s3.example.org", found: ["10.0.1.1", "10.0.1.2"] });
    expect(dns.queries).toContain("fedi-dns-check.s3.example.org A");
  });

  it("reports missing names, missing types and records that point elsewhere", async () => {
    dns.load([
      "*.s3.example.org. 60 IN A 10.0.1.1", // lacks 10.0.1.2
      "media.example.org. 60 IN A 192.0.2.1", // has A, not the planned AAAA
      "social.example.org. 60 IN A 198.51.100.99", // another machine
      // videos.example.org: absent
    ]);
    const results = await checkDns(RECORDS, resolver);
    expect(verdicts(results)).toEqual([
      "*.s3.example.org A: elsewhere",
      "media.example.org AAAA: missing",
      "social.example.org A: elsewhere",
      "videos.example.org CNAME: missing",
    ]);
    const [s3, media, social, videos] = results;
    expect(s3!.detail).toBe("lacks 10.0.1.2: set A 10.0.1.1, 10.0.1.2");
    expect(media!.detail).toBe("no AAAA record: add AAAA 2001:db8::5");
    expect(social).toMatchObject({ found: ["198.51.100.99"], expected: ["203.0.113.10"] });
    expect(social!.detail).toBe(
      "points at 198.51.100.99, which the plan does not and lacks 203.0.113.10: set A 203.0.113.10",
    );
    expect(videos!.detail).toMatch(/^the name does not exist: add CNAME web2\.example\.net$/);
  });

  it("reports a CNAME to another target as elsewhere, and accepts a name flattened to the target's addresses", async () => {
    dns.load([
      "videos.example.org. 60 IN CNAME other.example.net.",
      "other.example.net. 60 IN A 192.0.2.7",
      "web2.example.net. 60 IN A 203.0.113.20",
    ]);
    const cname = RECORDS.filter((r) => r.type === "CNAME");
    expect((await checkDns(cname, resolver))[0]).toMatchObject({ status: "elsewhere", found: ["other.example.net"] });
    dns.load(["videos.example.org. 60 IN A 203.0.113.20", "web2.example.net. 60 IN A 203.0.113.20"]);
    expect((await checkDns(cname, resolver))[0]).toMatchObject({
      status: "ok",
      detail: "no CNAME, but the same addresses as web2.example.net",
    });
  });

  it("tells a failing lookup (server refusing) from a missing record", async () => {
    dns.load(ZONE);
    dns.failWith(5); // REFUSED
    try {
      const results = await checkDns(RECORDS.slice(3, 4), resolver);
      expect(results[0]!.status).toBe("error");
      expect(results[0]!.detail).toMatch(/^lookup failed \(EREFUSED\)/);
    } finally {
      dns.failWith(undefined);
    }
  });
});
