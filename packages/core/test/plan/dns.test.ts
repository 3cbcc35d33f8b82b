// plan.dns: the records the deployment needs (service domains and the names a storage plugin declares), A/AAAA/CNAME
// by the machine's host, and the refusal of service domains that collide with the storage's names or claimed domains.

import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createPlanFromUnknown,
  createRegistry,
  type DnsRecord,
  defineStorage,
  type FediError,
  hasErrorCode,
  type StorageDns,
} from "../../src/index.js";
import { machine, toyStorage, webApp, worker } from "../fixtures/plugins.js";

const DnsStoreOptions = z
  .object({ webRoot: z.string().optional(), s3Root: z.string().optional(), badName: z.string().optional() })
  .strict();

/** The toy storage plus a `dns` hook shaped like Garage's: bucket hosts on the first node, an S3 wildcard on all. */
const dnsStore = defineStorage<z.output<typeof DnsStoreOptions>>({
  kind: "dnsstore",
  apiVersion: 1,
  options: DnsStoreOptions,
  requirements: (_o, machines) => toyStorage.requirements({ region: "toy" }, machines),
  nixos: (ctx, node) => toyStorage.nixos(ctx, node, { region: "toy" }),
  s3Access: (ctx, m) => toyStorage.s3Access(ctx, m, { region: "toy" }),
  publicUrl: (bucket, o) => (o.webRoot ? `https://${bucket}.${o.webRoot}` : undefined),
  checks: () => [],
  dns: (ctx, o): StorageDns => ({
    names: [
      ...(o.webRoot
        ? ctx.buckets
            .filter((b) => b.public)
            .map((b) => ({
              name: `${b.name}.${o.webRoot}`,
              machines: [ctx.nodes[0]!.machine.name],
              neededBy: [b.instance],
              purpose: `public bucket ${b.name}`,
              path: "storage.options.webRoot",
            }))
        : []),
      ...(o.s3Root
        ? [
            {
              name: `*.${o.s3Root}`,
              machines: ctx.nodes.map((n) => n.machine.name),
              neededBy: ["storage"],
              purpose: "virtual-host S3",
              path: "storage.options.s3Root",
            },
          ]
        : []),
      ...(o.badName
        ? [{ name: o.badName, machines: [ctx.nodes[0]!.machine.name], neededBy: [], purpose: "x", path: "x" }]
        : []),
    ],
    reserved: [
      ...(o.webRoot
        ? [{ domain: o.webRoot, covers: "subdomains" as const, path: "storage.options.webRoot", what: "buckets" }]
        : []),
      ...(o.s3Root
        ? [{ domain: o.s3Root, covers: "domain-and-subdomains" as const, path: "storage.options.s3Root", what: "S3" }]
        : []),
    ],
  }),
});

const registry = createRegistry([webApp, worker, dnsStore]);
const ROOTS = { webRoot: "media.example.org", s3Root: "s3.example.org" };

function spec(overrides: { machines?: unknown[]; services?: unknown[]; storage?: Record<string, unknown> } = {}) {
  return {
    name: "demo",
    acme: { email: "ops@example.org" },
    machines: overrides.machines ?? [
      machine("store1", "10.0.1.1", { roles: ["storage"] }),
      machine("web1", "2001:DB8:0::1", { roles: ["services"] }),
      machine("web2", "Web2.Hosts.example.net", { roles: ["services"] }),
    ],
    storage: { kind: "dnsstore", options: overrides.storage ?? ROOTS },
    services: overrides.services ?? [
      { name: "alpha", kind: "webapp", machine: "web1", options: { domain: "alpha.example.org" } },
      { name: "beta", kind: "webapp", machine: "web2", options: { domain: "beta.example.org" } },
      { name: "jobs", kind: "worker", options: {} },
    ],
  };
}

/** `name TYPE value -> machine (neededBy)`, one line per record. */
const lines = (records: DnsRecord[]) =>
  records.map((r) => `${r.name} ${r.type} ${r.value} -> ${r.machine} (${r.neededBy.join(",")})`);

function planError(input: unknown): FediError {
  try {
    createPlanFromUnknown({ spec: input, registry });
  } catch (error) {
    return error as FediError;
  }
  throw new Error("the plan was accepted");
}

describe("plan.dns", () => {
  it("points each instance's domain at its machine and each storage name at its machines: A, AAAA or CNAME", () => {
    const plan = createPlanFromUnknown({ spec: spec(), registry });
    expect(lines(plan.dns)).toEqual([
      "*.s3.example.org A 10.0.1.1 -> store1 (storage)",
      "alpha.example.org AAAA 2001:db8::1 -> web1 (alpha)",
      "beta.example.org CNAME web2.hosts.example.net -> web2 (beta)",
      "demo-alpha-media.media.example.org A 10.0.1.1 -> store1 (alpha)",
      "demo-beta-media.media.example.org A 10.0.1.1 -> store1 (beta)",
    ]);
    expect(plan.dns.find((r) => r.name === "alpha.example.org")?.purpose).toBe("domain of alpha (webapp)");
  });

  it("gives a name several machines serve one record per addressed machine, or one CNAME when none has an address", () => {
    const mixed = createPlanFromUnknown({
      spec: spec({
        machines: [
          machine("store1", "store1.example.net", { roles: ["storage"] }),
          machine("store2", "10.0.1.2", { roles: ["storage"] }),
          machine("store3", "2001:db8::3", { roles: ["storage"] }),
          machine("web1", "10.0.0.1", { roles: ["services"] }),
        ],
        services: [{ name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } }],
        storage: { s3Root: "s3.example.org" },
      }),
      registry,
    });
    expect(lines(mixed.dns.filter((r) => r.name.startsWith("*.")))).toEqual([
      "*.s3.example.org A 10.0.1.2 -> store2 (storage)",
      "*.s3.example.org AAAA 2001:db8::3 -> store3 (storage)",
    ]);
    const named = createPlanFromUnknown({
      spec: spec({
        machines: [
          machine("store2", "b.example.net", { roles: ["storage"] }),
          machine("store1", "a.example.net", { roles: ["storage"] }),
          machine("web1", "10.0.0.1", { roles: ["services"] }),
        ],
        services: [{ name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } }],
        storage: { s3Root: "s3.example.org" },
      }),
      registry,
    });
    expect(lines(named.dns.filter((r) => r.name.startsWith("*.")))).toEqual([
      "*.s3.example.org CNAME a.example.net -> store1 (storage)",
    ]);
  });

  it("is empty of storage names when the storage declares none", () => {
    const plan = createPlanFromUnknown({ spec: spec({ storage: {} }), registry });
    expect(lines(plan.dns)).toEqual([
      "alpha.example.org AAAA 2001:db8::1 -> web1 (alpha)",
      "beta.example.org CNAME web2.hosts.example.net -> web2 (beta)",
    ]);
  });
});

describe("service domains that collide with the storage's names are refused at plan time", () => {
  const withDomain = (domain: string) =>
    spec({
      services: [
        { name: "alpha", kind: "webapp", machine: "web1", options: { domain } },
        { name: "beta", kind: "webapp", machine: "web2", options: { domain: "beta.example.org" } },
      ],
    });

  it("a domain equal to a public bucket's host", () => {
    const error = planError(withDomain("demo-beta-media.media.example.org"));
    expect(hasErrorCode(error, "ALLOCATION_CONFLICT")).toBe(true);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe("services[0].options.domain");
    expect(error.issues[0]!.message).toMatch(/public bucket demo-beta-media \(from storage\.options\.webRoot\)/);
  });

  it("a domain equal to the S3 root, or under it", () => {
    const root = planError(withDomain("s3.example.org"));
    expect(root.issues[0]!.path).toBe("services[0].options.domain");
    expect(root.issues[0]!.message).toMatch(/'s3\.example\.org' of 'alpha' is storage\.options\.s3Root/);
    const under = planError(withDomain("videos.s3.example.org"));
    expect(under.issues[0]!.message).toMatch(/covered by '\*\.s3\.example\.org'.*storage\.options\.s3Root/);
  });

  it("a domain under the web root domain (the web root itself is free)", () => {
    const error = planError(withDomain("social.media.example.org"));
    expect(error.issues[0]!.path).toBe("services[0].options.domain");
    expect(error.issues[0]!.message).toMatch(/lies under storage\.options\.webRoot \('media\.example\.org'\)/);
    expect(createPlanFromUnknown({ spec: withDomain("media.example.org"), registry }).dns.map((r) => r.name)).toContain(
      "media.example.org",
    );
  });

  it("every colliding domain at once, each with its own path", () => {
    const error = planError(
      spec({
        services: [
          { name: "alpha", kind: "webapp", machine: "web1", options: { domain: "a.media.example.org" } },
          { name: "beta", kind: "webapp", machine: "web2", options: { domain: "s3.example.org" } },
        ],
      }),
    );
    expect(error.message).toBe("2 service domains collide with names the storage serves.");
    expect(error.issues.map((i) => i.path)).toEqual(["services[0].options.domain", "services[1].options.domain"]);
  });

  it("a storage plugin that declares an invalid name breaks the plugin contract", () => {
    const error = planError(spec({ storage: { badName: "Not A Name" } }));
    expect(hasErrorCode(error, "PLUGIN_CONTRACT")).toBe(true);
    expect(error.message).toMatch(/'dnsstore' declares the DNS name 'Not A Name'/);
  });
});
