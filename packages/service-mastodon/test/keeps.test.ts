// What a mastodon instance keeps (issue 12, item 6): the removal lists exactly the database and files nixpkgs creates.
import { createPlanFromUnknown, createRegistry, stateFromPlan } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { mastodon } from "../src/index.js";

const registry = createRegistry([storageDouble, mastodon]);
const base = { domain: "social.example.org", adminEmail: "admin@example.org" };

describe("mastodon keeps", () => {
  it("declares its postgresql database, its redis server and its state directory; a removal lists them", () => {
    const plan = createPlanFromUnknown({
      spec: specWith([{ name: "one", kind: "mastodon", options: base }]),
      registry,
    });
    expect(plan.instances[0]!.requirements.keeps).toEqual([
      { kind: "database", engine: "postgresql", name: "mastodon" },
      { kind: "database", engine: "redis", name: "mastodon" },
      { kind: "directory", path: "/var/lib/mastodon" },
    ]);
    const state = stateFromPlan(plan, undefined, new Date(0));
    const removed = createPlanFromUnknown({ spec: specWith([]), registry, state }).diff.removed[0]!;
    expect(removed.leftovers.filter((l) => l.kind === "data").map((l) => l.name)).toEqual([
      "postgresql:mastodon",
      "redis:mastodon",
      "directory:/var/lib/mastodon",
    ]);
  });
});
