import { describe, expect, it } from "vitest";
import {
  createPlan,
  createRegistry,
  hasErrorCode,
  isValidBucketName,
  type Plan,
  stateFromPlan,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);

function allInOne(): any {
  return {
    name: "demo",
    acme: { email: "ops@example.org" },
    machines: [machine("box", "10.0.0.1")],
    storage: { kind: "toystore", options: {} },
    services: [
      { name: "social", kind: "webapp", options: { domain: "social.example.org" } },
      { name: "jobs", kind: "worker", options: {} },
    ],
  };
}

function separated(): any {
  return {
    name: "prod",
    acme: { email: "ops@example.org" },
    machines: [
      machine("store1", "10.0.1.1", { roles: ["storage"], zone: "a" }),
      machine("web1", "10.0.0.1"),
      machine("web2", "10.0.0.2"),
    ],
    storage: { kind: "toystore", options: {} },
    services: [
      { name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } },
      { name: "beta", kind: "webapp", options: { domain: "beta.example.org" } },
      { name: "jobs", kind: "worker", options: {} },
    ],
  };
}

describe("createPlan", () => {
  it("plans everything on one machine", () => {
    const plan = createPlan({ spec: allInOne(), registry });
    expect(plan.machines.map((m) => [m.name, m.instances, m.storageNode])).toEqual([["box", ["jobs", "social"], true]]);
    expect(plan.storage.nodes).toEqual([{ machine: "box", zone: "box", capacityBytes: 190 * 1024 ** 3 }]);
    expect(plan.buckets.map((b) => [b.name, b.public, b.key])).toEqual([["demo-social-media", true, "demo-social"]]);
    expect(plan.buckets[0]!.publicUrl).toBe("http://10.0.0.1:3902/demo-social-media");
    expect(plan.keys).toEqual([
      {
        name: "demo-social",
        instance: "social",
        accessKeyIdSecret: "social.s3-access-key-id",
        secretKeySecret: "social.s3-secret-key",
        buckets: ["demo-social-media"],
      },
    ]);
    expect(plan.secrets.map((s) => s.name)).toEqual([
      "social.app-key",
      "social.s3-access-key-id",
      "social.s3-secret-key",
      "storage.rpc-secret",
    ]);
    const box = plan.machines[0]!;
    expect(box.tcpPorts).toEqual([80, 443]);
    expect(box.secretFiles.map((f) => [f.name, f.path, f.owner])).toEqual([
      ["social-env", "/run/fediversity/secrets/social-env", "webapp"],
      ["storage-env", "/run/fediversity/secrets/storage-env", "root"],
    ]);
    expect(box.secretFiles[0]!.content).toEqual({
      kind: "env",
      entries: {
        APP_KEY: { secret: "social.app-key" },
        AWS_ACCESS_KEY_ID: { secret: "social.s3-access-key-id" },
        AWS_SECRET_ACCESS_KEY: { secret: "social.s3-secret-key" },
      },
    });
    expect(box.used).toEqual({ cpus: 2.5, memoryMiB: 1024 + 512 + 1024 + 512, diskGiB: 10 + 1 + 5 + 1 });
    expect(box.nixosModule).toContain('environmentFile = "/run/fediversity/secrets/social-env"');
    expect(box.nixosModule).toContain("../nix/fediversity-secrets.nix");
    expect(plan.diff).toMatchObject({ upToDate: false, added: ["jobs", "social"], machinesChanged: ["box"] });
  });

  it("is deterministic and JSON-serialisable", () => {
    const a = createPlan({ spec: separated(), registry });
    const b = createPlan({ spec: separated(), registry });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  it("keeps dedicated storage nodes free of services", () => {
    const plan = createPlan({ spec: separated(), registry });
    const store = plan.machines.find((m) => m.name === "store1")!;
    expect(store.storageNode).toBe(true);
    expect(store.instances).toEqual([]);
    expect(plan.storage.exclusive).toBe(true);
    expect(plan.instances.map((i) => [i.name, i.machine])).toEqual([
      ["alpha", "web1"],
      ["beta", "web2"],
      ["jobs", "web1"],
    ]);
  });

  it("is sticky: re-planning after apply keeps instances where they are and is up to date", () => {
    const first = createPlan({ spec: separated(), registry });
    const state = stateFromPlan(first, undefined, new Date(0));
    const spec = separated();
    spec.machines.push(machine("web0", "10.0.0.9", { resources: { cpus: 64, memoryMiB: 262144, diskGiB: 2000 } }));
    const second = createPlan({ spec, registry, state });
    for (const inst of first.instances) {
      expect(second.instances.find((i) => i.name === inst.name)!.machine).toBe(inst.machine);
    }
    expect(second.diff.moved).toEqual([]);
    expect(second.diff.machinesAdded).toEqual(["web0"]);
    const again = createPlan({ spec: separated(), registry, state });
    expect(again.diff.upToDate).toBe(true);
  });

  it("requires an explicit flag to move an instance that no longer fits", () => {
    const first = createPlan({ spec: separated(), registry });
    const state = stateFromPlan(first, undefined, new Date(0));
    const spec = separated();
    spec.machines[1].resources.memoryMiB = 2148; // web1 shrinks: 1124 MiB after the reserve, alpha stays, jobs must go
    let error: unknown;
    try {
      createPlan({ spec, registry, state });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "PLACEMENT_MOVE_REQUIRED")).toBe(true);
    expect((error as any).issues[0].message).toMatch(/jobs.*must move off 'web1'.*memory/);
    const moved = createPlan({ spec, registry, state, allowMoves: true });
    expect(moved.diff.moved).toEqual([
      { instance: "jobs", from: "web1", to: "web2", reason: expect.stringContaining("memory") },
    ]);
    expect(moved.instances.find((i) => i.name === "jobs")!.placement).toBe("moved");
    expect(moved.instances.find((i) => i.name === "alpha")!.placement).toBe("kept");
  });

  it("reports removals with what they leave behind, and changes", () => {
    const first = createPlan({ spec: allInOne(), registry });
    const state = stateFromPlan(first, undefined, new Date(0));
    const spec = allInOne();
    spec.services = [{ name: "jobs", kind: "worker", options: { memoryMiB: 1024 } }];
    const next = createPlan({ spec, registry, state });
    expect(next.diff.changed).toEqual(["jobs"]);
    expect(next.diff.removed).toHaveLength(1);
    const removed = next.diff.removed[0]!;
    expect(removed.instance).toBe("social");
    expect(removed.leftovers.map((l) => `${l.kind}:${l.name}`)).toEqual([
      "bucket:demo-social-media",
      "key:demo-social",
      "secret:social.app-key",
      "secret:social.s3-access-key-id",
      "secret:social.s3-secret-key",
      "data:webapp:social",
    ]);
    expect(next.machines[0]!.name).toBe("box"); // the machine stays a member
    expect(next.diff.machinesChanged).toEqual(["box"]);
    const after = stateFromPlan(next, state, new Date(1));
    expect(after.leftovers).toHaveLength(6);
    expect(after.instances.social).toBeUndefined();
  });

  it("makes valid bucket names even for long names", () => {
    const spec = allInOne();
    spec.name = "a".repeat(40);
    spec.services[0].name = "b".repeat(40);
    const plan: Plan = createPlan({ spec, registry });
    expect(plan.buckets[0]!.name.length).toBeLessThanOrEqual(63);
    expect(isValidBucketName(plan.buckets[0]!.name)).toBe(true);
  });

  it("turns a plugin crash into a PLUGIN_CONTRACT error naming the plugin", () => {
    const broken = {
      ...testPlugins[1]!,
      requirements: () => {
        throw new TypeError("boom");
      },
    };
    const reg = createRegistry([testPlugins[0]!, broken as any, testPlugins[2]!]);
    expect(() => createPlan({ spec: allInOne(), registry: reg })).toThrow(/service plugin 'worker' failed/);
  });
});
