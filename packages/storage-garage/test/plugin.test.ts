import { checkPrunablePath, createRegistry, type MachineFacts, type StorageNode } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import {
  GARAGE_DATA_DIR,
  GARAGE_METADATA_DIR,
  GARAGE_SECRET_IDS,
  GarageOptions,
  garage,
  garageLayoutNodes,
  garagePublicUrl,
  garageS3Access,
  garageSettings,
  resolveTopology,
  s3NodeFor,
} from "../src/index.js";
import { fediErrorOf, machine, planGarage, singleNodeSpec, threeNodeSpec } from "./plugin-helpers.js";

function facts(name: string, host: string, extra: Partial<MachineFacts> = {}): MachineFacts {
  return {
    name,
    host,
    system: "x86_64-linux",
    cpus: 4,
    memoryMiB: 8192,
    diskGiB: 100,
    roles: ["services", "storage"],
    ...extra,
  };
}

function node(m: MachineFacts): StorageNode {
  return { machine: m, zone: m.zone ?? m.name, capacityBytes: 90 * 1024 ** 3 };
}

const defaults = GarageOptions.parse({});

describe("garage plugin registration and options", () => {
  it("declares what every node keeps: the metadata and data directories, then the state directory", () => {
    const req = garage.requirements(defaults, [facts("m1", "10.0.0.1")]);
    expect(req.keeps).toEqual([
      { kind: "directory", path: GARAGE_METADATA_DIR },
      { kind: "directory", path: GARAGE_DATA_DIR },
      { kind: "directory", path: "/var/lib/private/garage" },
      { kind: "directory", path: "/var/lib/garage" },
    ]);
    expect([GARAGE_METADATA_DIR, GARAGE_DATA_DIR]).toEqual(["/var/lib/garage/meta", "/var/lib/garage/data"]);
    // The configured directories are what Garage is told to use; the real state directory under DynamicUser is there
    // too, so the /var/lib/garage symlink is never the only way to the data.
    const settings = garageSettings(facts("m1", "10.0.0.1"), defaults, 1);
    expect(req.keeps).toContainEqual({ kind: "directory", path: settings.metadata_dir });
    expect(req.keeps).toContainEqual({ kind: "directory", path: settings.data_dir });
    for (const item of req.keeps!) expect(item.kind === "directory" && checkPrunablePath(item.path)).toBeUndefined();
  });

  it("registers with this core and declares kind garage", () => {
    const registry = createRegistry([garage]);
    expect(registry.storageKinds()).toEqual(["garage"]);
    expect(garage.apiVersion).toBe(1);
    expect(garage.coreVersion).toBe("^0.1.0");
  });

  it("fills the documented defaults", () => {
    expect(defaults).toMatchObject({
      garageVersion: 2,
      s3Region: "garage",
      dbEngine: "lmdb",
      consistencyMode: "consistent",
      ports: { s3: 3900, rpc: 3901, web: 3902, admin: 3903 },
      firewall: "restricted",
      publicS3: false,
      webProxy: "nginx",
    });
    expect(defaults.replicationFactor).toBeUndefined();
  });

  it("rejects a zero capacity, a repeated port and a public URL template without {bucket}, with spec paths", () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ capacityGiB: 0 }, "storage.options.capacityGiB"],
      [{ capacityGiB: { allinone: 0 } }, "storage.options.capacityGiB.allinone"],
      [{ ports: { web: 3901 } }, "storage.options.ports.web"],
      [{ publicUrlTemplate: "https://media.example.org" }, "storage.options.publicUrlTemplate"],
      [{ replicationFactor: 4 }, "storage.options.replicationFactor"],
    ];
    for (const [options, path] of cases) {
      const error = fediErrorOf(() => planGarage(singleNodeSpec(options)));
      expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
      expect(error.issues.map((i) => i.path)).toContain(path);
    }
  });
});

describe("node selection", () => {
  it("uses the only machine of the MVP, which also hosts the services", () => {
    const { plan } = planGarage(singleNodeSpec());
    expect(plan.storage.nodes.map((n) => n.machine)).toEqual(["allinone"]);
    expect(plan.storage.exclusive).toBe(false);
    expect(plan.instances[0]!.machine).toBe("allinone");
  });

  it("uses the machines whose roles are exactly storage, and keeps services off them", () => {
    const { plan } = planGarage(threeNodeSpec());
    expect(plan.storage.nodes.map((n) => [n.machine, n.zone])).toEqual([
      ["store-a", "ams"],
      ["store-b", "par"],
      ["store-c", "ber"],
    ]);
    expect(plan.storage.exclusive).toBe(true);
    expect(plan.instances[0]!.machine).toBe("apps");
  });

  it("takes the first machine by name when every machine may do anything, and separates it from services", () => {
    const t = resolveTopology(defaults, [
      facts("zeta", "10.0.0.3"),
      facts("alpha", "10.0.0.1"),
      facts("mid", "10.0.0.2"),
    ]);
    expect(t.nodes).toEqual(["alpha"]);
    expect(t.dedicated).toBe(true);
    expect(t.replicationFactor).toBe(1);
  });

  it("honours explicit nodes, zones and dedicatedNodes: false", () => {
    const t = resolveTopology(
      GarageOptions.parse({ nodes: ["c", "a", "b"], zones: { a: "z1", b: "z2" }, dedicatedNodes: false }),
      [facts("a", "10.0.0.1"), facts("b", "10.0.0.2"), facts("c", "10.0.0.3", { zone: "z3" }), facts("d", "10.0.0.4")],
    );
    expect(t.nodes).toEqual(["a", "b", "c"]);
    expect(t.zones).toEqual({ a: "z1", b: "z2", c: "z3" });
    expect(t.replicationFactor).toBe(3);
    expect(t.dedicated).toBe(false);
  });

  it("defaults the replication factor to the node count below three", () => {
    const t = resolveTopology(GarageOptions.parse({ nodes: ["a", "b"] }), [
      facts("a", "10.0.0.1"),
      facts("b", "10.0.0.2"),
    ]);
    expect(t.replicationFactor).toBe(2);
  });
});

describe("errors point into the spec", () => {
  it("replication factor 3 with two storage nodes", () => {
    const spec = threeNodeSpec();
    (spec.machines as unknown[]).splice(2, 1);
    const error = fediErrorOf(() => planGarage(spec));
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toBe("storage.options.replicationFactor");
    expect(error.issues[0]!.message).toMatch(/needs at least 3 storage nodes, but there are 2 \(store-a, store-b\)/);
  });

  it("every node in one zone with factor 3, unless allowSingleZone", () => {
    const zones = { "store-a": "dc1", "store-b": "dc1", "store-c": "dc1" };
    const error = fediErrorOf(() => planGarage(threeNodeSpec({ zones })));
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual(["storage.options.zones"]);
    expect(error.issues[0]!.message).toMatch(/all storage nodes are in zone 'dc1'.*allowSingleZone/);
    const { plan } = planGarage(threeNodeSpec({ zones, allowSingleZone: true }));
    expect(plan.storage.nodes).toHaveLength(3);
  });

  it("an unknown node name, and a node whose roles exclude storage", () => {
    const error = fediErrorOf(() => planGarage(threeNodeSpec({ nodes: ["store-a", "store-x", "apps"] })));
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual(["storage.options.nodes[1]", "storage.options.nodes[2]"]);
    expect(error.issues[0]!.message).toMatch(/no machine is named 'store-x'/);
    expect(error.issues[1]!.message).toMatch(/'apps' has the roles \[services\]/);
  });

  it("zones, capacities and the web node naming machines that are not storage nodes", () => {
    const error = fediErrorOf(() =>
      planGarage(threeNodeSpec({ zones: { apps: "x" }, capacityGiB: { "store-a": 500, nope: 1 }, webNode: "apps" })),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      "storage.options.zones.apps",
      "storage.options.capacityGiB.nope",
      'storage.options.capacityGiB["store-a"]',
      "storage.options.webNode",
    ]);
    expect(error.issues[2]!.message).toMatch(/500 GiB is more than the machine's disk \(200 GiB\)/);
  });

  it("a service pinned to a dedicated storage node", () => {
    const spec = threeNodeSpec();
    (spec.services as Array<Record<string, unknown>>)[0]!.machine = "store-b";
    const error = fediErrorOf(() => planGarage(spec));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(error.issues.map((i) => i.path)).toEqual(["services[0].machine"]);
  });

  it("restricted firewall rules with a host name instead of an IP address", () => {
    const spec = threeNodeSpec();
    (spec.machines as Array<Record<string, unknown>>)[1]!.host = "store-b.example.org";
    const error = fediErrorOf(() => planGarage(spec));
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual(["storage.options.firewall"]);
    expect(error.issues[0]!.message).toMatch(/'store-b' has the host name 'store-b.example.org'/);
    expect(
      planGarage({ ...spec, storage: { kind: "garage", options: { replicationFactor: 3, firewall: "open" } } }).plan
        .storage.nodes,
    ).toHaveLength(3);
  });

  it("a service machine with a host name, found when the firewall rules are generated", () => {
    const spec = threeNodeSpec();
    (spec.machines as Array<Record<string, unknown>>)[3]!.host = "apps.example.org";
    const error = fediErrorOf(() => planGarage(spec));
    expect(error.code).toBe("PLUGIN_OPTIONS_INVALID");
    expect(error.issues[0]!.path).toBe("storage.options.firewall");
    expect(error.issues[0]!.message).toMatch(/'apps'/);
  });

  it("the nginx web proxy without an ACME account", () => {
    const spec = singleNodeSpec();
    delete spec.acme;
    const error = fediErrorOf(() => planGarage(spec));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.issues.map((i) => i.path)).toEqual(["acme"]);
    expect(() => planGarage(singleNodeSpec({ webProxy: "none" }))).not.toThrow();
  });
});

describe("secrets", () => {
  it("declares the RPC secret and tokens as deployment secrets in one root-only env file", () => {
    const { plan } = planGarage(threeNodeSpec());
    expect(plan.secrets.filter((s) => s.name.startsWith("storage.")).map((s) => [s.name, s.generate])).toEqual([
      ["storage.admin-token", { kind: "random-hex", bytes: 32 }],
      ["storage.metrics-token", { kind: "random-hex", bytes: 32 }],
      ["storage.rpc-secret", { kind: "random-hex", bytes: 32 }],
    ]);
    const files = plan.machines.find((m) => m.name === "store-a")!.secretFiles;
    expect(files).toEqual([
      expect.objectContaining({
        name: "storage-env",
        path: "/run/fediversity/secrets/storage-env",
        owner: "root",
        mode: "0400",
        neededBy: ["garage.service"],
        restartUnits: ["garage.service"],
        rerunUnits: [],
        content: {
          kind: "env",
          entries: {
            GARAGE_RPC_SECRET: { secret: "storage.rpc-secret" },
            GARAGE_ADMIN_TOKEN: { secret: "storage.admin-token" },
            GARAGE_METRICS_TOKEN: { secret: "storage.metrics-token" },
          },
        },
      }),
    ]);
    expect(plan.machines.find((m) => m.name === "apps")!.secretFiles.some((f) => f.name === "storage-env")).toBe(false);
    expect(GARAGE_SECRET_IDS.adminToken).toBe("admin-token");
  });
});

describe("S3 access and public URLs", () => {
  const nodes = [facts("n1", "10.0.0.1"), facts("n2", "10.0.0.2"), facts("n3", "2001:db8::3")].map(node);

  it("a storage node talks to itself on localhost", () => {
    const access = garageS3Access(
      { nodes },
      nodes[1]!.machine,
      GarageOptions.parse({ s3RootDomain: "s3.example.org" }),
    );
    expect(access).toEqual({
      endpoint: "http://127.0.0.1:3900",
      region: "garage",
      forcePathStyle: true,
      virtualHostRoot: "s3.example.org",
    });
  });

  it("a service machine gets a stable node, the same for the same name, spread over the nodes", () => {
    const options = GarageOptions.parse({ s3Region: "eu-1", ports: { s3: 9000 } });
    const picks = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const m = facts(`web${i}`, `10.1.0.${i}`);
      const access = garageS3Access({ nodes }, m, options);
      expect(access).toEqual(garageS3Access({ nodes: [...nodes].reverse() }, m, options));
      expect(access.region).toBe("eu-1");
      expect(access.virtualHostRoot).toBeUndefined();
      expect(["http://10.0.0.1:9000", "http://10.0.0.2:9000", "http://[2001:db8::3]:9000"]).toContain(access.endpoint);
      picks.set(access.endpoint, (picks.get(access.endpoint) ?? 0) + 1);
    }
    expect(picks.size).toBe(3);
    expect(s3NodeFor({ nodes: [] }, facts("x", "10.9.9.9"))).toBeUndefined();
  });

  it("the planner hands the service the endpoint of a node", () => {
    const { plan } = planGarage(threeNodeSpec());
    const module = plan.machines.find((m) => m.name === "apps")!.nixosModule;
    expect(module).toMatch(/text = "http:\/\/(10\.0\.1\.1|10\.0\.1\.2|\[2001:db8::3\]):3900";/);
  });

  it("public URLs: template, web root domain, or none", () => {
    expect(garagePublicUrl("b1", GarageOptions.parse({ webRootDomain: "web.example.org" }))).toBe(
      "https://b1.web.example.org",
    );
    expect(
      garagePublicUrl(
        "b1",
        GarageOptions.parse({
          webRootDomain: "web.example.org",
          publicUrlTemplate: "https://cdn.example.org/{bucket}",
        }),
      ),
    ).toBe("https://cdn.example.org/b1");
    expect(garagePublicUrl("b1", defaults)).toBeUndefined();
    const { plan } = planGarage(singleNodeSpec());
    expect(plan.buckets.map((b) => b.publicUrl)).toEqual(["https://mvp-social-media.web.example.org"]);
  });
});

describe("layout parameters and checks", () => {
  it("applies zone and capacity options over the planner's defaults", () => {
    const nodes = [facts("a", "10.0.0.1", { zone: "z" }), facts("b", "2001:db8::2")].map(node);
    const layout = garageLayoutNodes(GarageOptions.parse({ zones: { b: "zb" }, capacityGiB: { a: 1.5 } }), nodes);
    expect(layout).toEqual([
      { machine: "a", zone: "z", capacityBytes: 1610612736, rpcAddress: "10.0.0.1:3901" },
      { machine: "b", zone: "zb", capacityBytes: 90 * 1024 ** 3, rpcAddress: "[2001:db8::2]:3901" },
    ]);
    expect(garageLayoutNodes(GarageOptions.parse({ capacityGiB: 10 }), nodes).map((n) => n.capacityBytes)).toEqual([
      10 * 1024 ** 3,
      10 * 1024 ** 3,
    ]);
  });

  it("checks the unit and Garage's /health on the local admin port of every node", () => {
    const { plan } = planGarage(threeNodeSpec({ ports: { admin: 3913 } }));
    expect(plan.storage.checks.filter((c) => c.machine === "store-c").map((c) => c.check)).toEqual([
      { kind: "systemd-unit", unit: "garage.service" },
      {
        kind: "command",
        command: "curl -fsS --max-time 10 http://127.0.0.1:3913/health",
        description: expect.stringMatching(/health/),
      },
    ]);
    expect(plan.storage.checks).toHaveLength(6);
  });

  it("asks each node for the Garage resource floor", () => {
    const spec = {
      ...threeNodeSpec(),
      machines: [machine("tiny", "10.0.0.1", { resources: { cpus: 1, memoryMiB: 1024, diskGiB: 20 } })],
      storage: { kind: "garage", options: {} },
    };
    const error = fediErrorOf(() => planGarage(spec));
    expect(error.code).toBe("PLACEMENT_IMPOSSIBLE");
    expect(error.message).toMatch(/'tiny' is too small/);
  });
});
