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
});
