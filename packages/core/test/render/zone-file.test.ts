// zoneFileFragment: RFC 1035 master-file lines (absolute names, TTL, class, type, value), comments that cannot turn
// into records, and refusal of what a zone file cannot hold.
import { describe, expect, it } from "vitest";
import { type DnsRecord, hasErrorCode, zoneFileFragment } from "../../src/index.js";

const record = (over: Partial<DnsRecord>): DnsRecord => ({
  name: "social.example.org",
  type: "A",
  value: "203.0.113.10",
  machine: "web1",
  neededBy: ["social"],
  purpose: "domain of social (mastodon)",
  ...over,
});

describe("zoneFileFragment", () => {
  it("writes one commented line per record with absolute names and the TTL", () => {
    const text = zoneFileFragment(
      [
        record({}),
        record({ name: "*.s3.example.org", value: "10.0.1.1", neededBy: ["storage", "videos"], purpose: "S3" }),
        record({ name: "v.example.org", type: "AAAA", value: "2001:db8::1" }),
        record({ name: "p.example.org", type: "CNAME", value: "web2.example.net" }),
      ],
      { ttl: 3600, header: ["records of demo"] },
    );
    expect(text).toBe(
      [
        "; records of demo",
        "; domain of social (mastodon); needed by social",
        "social.example.org.\t3600\tIN\tA\t203.0.113.10",
        "; S3; needed by storage, videos",
        "*.s3.example.org.\t3600\tIN\tA\t10.0.1.1",
        "; domain of social (mastodon); needed by social",
        "v.example.org.\t3600\tIN\tAAAA\t2001:db8::1",
        "; domain of social (mastodon); needed by social",
        "p.example.org.\t3600\tIN\tCNAME\tweb2.example.net.",
        "",
      ].join("\n"),
    );
    expect(zoneFileFragment([record({})])).toMatch(/\t300\tIN\t/);
  });

  it("keeps a line break in a comment from starting a record", () => {
    const text = zoneFileFragment([record({ purpose: "x\nevil.example.org. 1 IN A 192.0.2.66" })]);
    expect(text.split("\n").filter((l) => l !== "" && !l.startsWith(";"))).toEqual([
      "social.example.org.\t300\tIN\tA\t203.0.113.10",
    ]);
  });

  it("refuses a TTL out of range and records a zone file cannot hold", () => {
    for (const ttl of [-1, 1.5, 2 ** 31]) expect(() => zoneFileFragment([record({})], { ttl })).toThrow(/TTL/);
    for (const bad of [
      record({ name: "Social.example.org" }),
      record({ name: "a b.example.org" }),
      record({ value: "2001:db8::1" }),
      record({ type: "AAAA", value: "10.0.0.1" }),
      record({ type: "CNAME", value: "x.example.org. 1 IN A 192.0.2.66" }),
    ]) {
      let error: unknown;
      try {
        zoneFileFragment([bad]);
      } catch (e) {
        error = e;
      }
      expect(hasErrorCode(error, "SPEC_INVALID"), JSON.stringify(bad)).toBe(true);
    }
  });
});
