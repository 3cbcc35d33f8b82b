// Garage's DNS hook through the real planner: public bucket hosts on the web node, the virtual-host S3 wildcard on
// every node, nothing for names the SDK does not serve, and service domains that collide with Garage's names refused.
import { createPlanFromUnknown, createRegistry, type DnsRecord, defineService } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { garage } from "../src/index.js";
import { fediErrorOf, mediaApp, planGarage, singleNodeSpec, threeNodeSpec } from "./plugin-helpers.js";

/** A service that addresses its bucket in virtual-host style, as PeerTube does. */
const vhostApp = defineService({
  kind: "vhostapp",
  apiVersion: 1,
  options: z.object({ domain: z.string() }).strict(),
  requirements: (o) => ({
    cpus: 1,
    memoryMiB: 1024,
    diskGiB: 5,
    buckets: [{ id: "videos", public: false, virtualHost: true }],
    domains: [o.domain],
  }),
  nixos: () => ({}),
  checks: () => [],
});

const lines = (records: DnsRecord[]) => records.map((r) => `${r.name} ${r.type} ${r.value} -> ${r.machine}`);

describe("garage DNS names", () => {
  it("one machine: the service domain and each public bucket's host point at it", () => {
    const { plan } = planGarage(singleNodeSpec());
    expect(lines(plan.dns)).toEqual([
      "mvp-social-media.web.example.org A 10.0.0.10 -> allinone",
      "social.example.org A 10.0.0.10 -> allinone",
    ]);
    expect(plan.dns[0]).toMatchObject({
      neededBy: ["social"],
      purpose: "public bucket mvp-social-media (nginx on allinone)",
    });
  });

  it("three nodes: bucket hosts on the web node, *.<s3RootDomain> on every node once a bucket uses virtual hosts", () => {
    const spec = threeNodeSpec({ webNode: "store-b" });
    (spec.services as unknown[]).push({ name: "tube", kind: "vhostapp", options: { domain: "tube.example.org" } });
    const plan = createPlanFromUnknown({ spec, registry: createRegistry([garage, mediaApp, vhostApp]) });
    expect(lines(plan.dns)).toEqual([
      "*.s3.example.org A 10.0.1.1 -> store-a",
      "*.s3.example.org A 10.0.1.2 -> store-b",
      "*.s3.example.org AAAA 2001:db8::3 -> store-c",
      "cluster-social-media.web.example.org A 10.0.1.2 -> store-b",
      "social.example.org A 10.0.2.1 -> apps",
      "tube.example.org A 10.0.2.1 -> apps",
    ]);
    expect(plan.dns[0]!.neededBy).toEqual(["tube"]);
    // Without a virtual-host bucket, no wildcard.
    expect(planGarage(threeNodeSpec()).plan.dns.some((r) => r.name.startsWith("*."))).toBe(false);
  });

  it("lists no bucket host when a proxy or CDN the SDK does not run serves them", () => {
    for (const options of [{ webProxy: "none" }, { publicUrlTemplate: "https://cdn.example.net/{bucket}" }]) {
      expect(lines(planGarage(singleNodeSpec(options)).plan.dns), JSON.stringify(options)).toEqual([
        "social.example.org A 10.0.0.10 -> allinone",
      ]);
    }
  });
});

describe("service domains that collide with Garage's names", () => {
  const withDomain = (domain: string, options: Record<string, unknown> = {}) => {
    const spec = singleNodeSpec({ s3RootDomain: "s3.example.org", ...options });
    spec.services = [{ name: "social", kind: "mediaapp", options: { domain } }];
    return spec;
  };

  it.each([
    [
      "the service's own public bucket host",
      "mvp-social-media.web.example.org",
      /public bucket mvp-social-media.*from storage\.options\.webRootDomain/,
    ],
    [
      "a name under the web root domain",
      "social.web.example.org",
      /lies under storage\.options\.webRootDomain \('web\.example\.org'\)/,
    ],
    [
      "the S3 root domain",
      "s3.example.org",
      /is storage\.options\.s3RootDomain, which the storage uses for virtual-host S3/,
    ],
    ["a name under the S3 root domain", "social.s3.example.org", /lies under storage\.options\.s3RootDomain/],
  ])("refuses %s, naming both fields", (_what, domain, message) => {
    const error = fediErrorOf(() => planGarage(withDomain(domain)));
    expect(error.code).toBe("ALLOCATION_CONFLICT");
    expect(error.issues).toEqual([expect.objectContaining({ path: "services[0].options.domain" })]);
    expect(error.issues[0]!.message).toMatch(message);
  });

  it("still refuses a name under the web root domain when a CDN serves the buckets (Garage's web endpoint claims it)", () => {
    const error = fediErrorOf(() =>
      planGarage(withDomain("social.web.example.org", { publicUrlTemplate: "https://cdn.example.net/{bucket}" })),
    );
    expect(error.issues[0]!.message).toMatch(/storage\.options\.webRootDomain/);
  });
});
