// What a peertube instance keeps (issue 12, item 6): the removal lists exactly the database and files nixpkgs creates.
import { createPlanFromUnknown, createRegistry, stateFromPlan } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { peertube } from "../src/index.js";

const registry = createRegistry([storageDouble, peertube]);
const base = { domain: "tube.example.org", adminEmail: "admin@example.org" };

describe("peertube keeps", () => {
  it("declares its postgresql database, its redis server and its state directory; a removal lists them", () => {
    const plan = createPlanFromUnknown({
      spec: specWith([{ name: "one", kind: "peertube", options: base }]),
      registry,
    });
    expect(plan.instances[0]!.requirements.keeps).toEqual([
      { kind: "database", engine: "postgresql", name: "peertube" },
      { kind: "database", engine: "redis", name: "peertube" },
      { kind: "directory", path: "/var/lib/peertube" },
    ]);
    const state = stateFromPlan(plan, undefined, new Date(0));
    const removed = createPlanFromUnknown({ spec: specWith([]), registry, state }).diff.removed[0]!;
    expect(removed.leftovers.filter((l) => l.kind === "data").map((l) => l.name)).toEqual([
      "postgresql:peertube",
      "redis:peertube",
      "directory:/var/lib/peertube",
    ]);
  });
});
