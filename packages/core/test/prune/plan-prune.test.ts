import { describe, expect, it } from "vitest";
import { hasErrorCode } from "../../src/errors.js";
import { planPrune } from "../../src/prune/index.js";
import { type DeploymentState, emptyState } from "../../src/state/index.js";

function state(): DeploymentState {
  return {
    ...emptyState("demo"),
    instances: {
      live: {
        kind: "mastodon",
        machine: "web01",
        fingerprint: "f",
        buckets: [],
        secrets: [],
        keeps: [{ kind: "database", engine: "postgresql", name: "shared" }],
      },
    },
    leftovers: [
      { kind: "secret", name: "old-db-password", instance: "old", note: "n" },
      { kind: "bucket", name: "demo-old-media", instance: "old", note: "n" },
      { kind: "key", name: "demo-old", instance: "old", note: "n" },
      {
        kind: "data",
        name: "directory:/var/lib/mastodon",
        machine: "web01",
        instance: "old",
        durable: { kind: "directory", path: "/var/lib/mastodon" },
        note: "n",
      },
      {
        kind: "data",
        name: "postgresql:mastodon",
        machine: "web01",
        instance: "old",
        durable: { kind: "database", engine: "postgresql", name: "mastodon" },
        note: "n",
      },
      {
        kind: "data",
        name: "postgresql:shared",
        machine: "web01",
        instance: "gone",
        durable: { kind: "database", engine: "postgresql", name: "shared" },
        note: "n",
      },
      {
        kind: "data",
        name: "directory:/",
        machine: "web01",
        instance: "gone",
        durable: { kind: "directory", path: "/" },
        note: "n",
      },
      { kind: "data", name: "peertube:ancient", machine: "web02", note: "the peertube database and files stay" },
    ],
  };
}

describe("planPrune", () => {
  it("lists each removed instance's leftovers as typed items in deletion order", () => {
    const plan = planPrune(state(), { instances: ["old"] });
    expect(plan.groups).toHaveLength(1);
    expect(plan.groups[0]!.instance).toBe("old");
    expect(plan.groups[0]!.items.map((i) => [i.kind, i.action])).toEqual([
      ["database", "drop-database"],
      ["directory", "delete-directory"],
      ["bucket", "delete-bucket"],
      ["key", "delete-key"],
      ["secret", "delete-secret"],
    ]);
    expect(plan.groups[0]!.items[0]).toMatchObject({ engine: "postgresql", name: "mastodon", machine: "web01" });
    expect(plan.deletions).toBe(5);
    expect(JSON.stringify(plan)).not.toContain("value");
  });

  it("keeps what a current instance uses, '/' and undeclared data as manual items", () => {
    const plan = planPrune(state());
    expect(plan.groups.map((g) => g.instance)).toEqual(["ancient", "gone", "old"]);
    expect(plan.groups.map((g) => g.label)).toEqual(["ancient", "gone", "old"]);
    const gone = plan.groups.find((g) => g.instance === "gone")!;
    expect(gone.items.map((i) => i.kind)).toEqual(["manual", "manual"]);
    expect(gone.items.map((i) => (i.kind === "manual" ? i.note : ""))).toEqual([
      expect.stringContaining("in use by the current instance 'live'"),
      expect.stringMatching(/^directory "\/" .*not deleted$/),
    ]);
    expect(plan.groups.find((g) => g.instance === "ancient")!.items[0]!.kind).toBe("manual");
    expect(plan.deletions).toBe(5);
  });

  it("refuses a current instance and an unknown name (naming the removed ones)", () => {
    expect(() => planPrune(state(), { instances: ["live"] })).toThrow(/current instance/);
    try {
      planPrune(state(), { instances: ["nope"] });
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, "PRUNE_REFUSED")).toBe(true);
      expect((error as { hint: string }).hint).toContain("ancient, gone, old");
    }
  });

  it("has nothing to do when no leftovers are recorded", () => {
    const plan = planPrune(emptyState("demo"));
    expect(plan).toEqual({ deployment: "demo", groups: [], deletions: 0 });
  });

  describe("what a dropped storage node left", () => {
    const nodeLeftover = (machine: string, path: string) => ({
      kind: "data" as const,
      name: `directory:${path}`,
      machine,
      storage: "garage",
      durable: { kind: "directory" as const, path },
      note: "n",
    });
    function withNodes(): DeploymentState {
      return {
        ...state(),
        storage: { kind: "garage", nodes: ["store-a"], keeps: [{ kind: "directory", path: "/var/lib/garage/meta" }] },
        leftovers: [
          ...state().leftovers,
          nodeLeftover("store-c", "/var/lib/garage/meta"),
          nodeLeftover("store-c", "/var/lib/garage/data"),
          nodeLeftover("store-b", "/var/lib/garage/meta"),
          // A node again (a state the planner would not write): what it keeps now is in use.
          nodeLeftover("store-a", "/var/lib/garage/meta"),
        ],
      };
    }

    it("is grouped per machine after the instances, labelled 'storage node <machine>', as directory items", () => {
      const plan = planPrune(withNodes());
      expect(plan.groups.map((g) => g.label)).toEqual([
        "ancient",
        "gone",
        "old",
        "storage node store-a",
        "storage node store-b",
        "storage node store-c",
      ]);
      const c = plan.groups.at(-1)!;
      expect(c).toMatchObject({ storage: "garage", machine: "store-c" });
      expect(c.instance).toBeUndefined();
      expect(c.items).toEqual([
        {
          kind: "directory",
          path: "/var/lib/garage/meta",
          machine: "store-c",
          action: "delete-directory",
          leftover: "data:directory:/var/lib/garage/meta:store-c",
        },
        {
          kind: "directory",
          path: "/var/lib/garage/data",
          machine: "store-c",
          action: "delete-directory",
          leftover: "data:directory:/var/lib/garage/data:store-c",
        },
      ]);
      const a = plan.groups.find((g) => g.machine === "store-a")!;
      expect(a.items).toEqual([
        expect.objectContaining({
          kind: "manual",
          note: "in use by the garage storage node on 'store-a'; not deleted",
        }),
      ]);
      expect(plan.deletions).toBe(5 + 3);
      expect(new Set(plan.groups.flatMap((g) => g.items.map((i) => i.leftover))).size).toBe(
        plan.groups.reduce((n, g) => n + g.items.length, 0),
      );
    });

    it("is selected by machine with storageNodes, and left out when only instances are asked for", () => {
      expect(planPrune(withNodes(), { storageNodes: ["store-c"] }).groups.map((g) => g.label)).toEqual([
        "storage node store-c",
      ]);
      expect(planPrune(withNodes(), { instances: ["old"] }).groups.map((g) => g.label)).toEqual(["old"]);
      expect(
        planPrune(withNodes(), { instances: ["old"], storageNodes: ["store-b"] }).groups.map((g) => g.label),
      ).toEqual(["old", "storage node store-b"]);
      try {
        planPrune(withNodes(), { storageNodes: ["web01"] });
        expect.unreachable();
      } catch (error) {
        expect(hasErrorCode(error, "PRUNE_REFUSED")).toBe(true);
        expect((error as { hint: string }).hint).toContain("store-a, store-b, store-c");
      }
    });
  });
});
