// What a pixelfed instance keeps (issue 12, item 6): the removal lists exactly the database and files nixpkgs creates.
import { createPlanFromUnknown, createRegistry, stateFromPlan } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { pixelfed } from "../src/index.js";

const registry = createRegistry([storageDouble, pixelfed]);
const base = { domain: "photos.example.org", adminEmail: "admin@example.org" };

describe("pixelfed keeps", () => {
  it("declares its mysql database, its redis server and its state directory; a removal lists them", () => {
    const plan = createPlanFromUnknown({
      spec: specWith([{ name: "one", kind: "pixelfed", options: base }]),
      registry,
    });
    expect(plan.instances[0]!.requirements.keeps).toEqual([
      { kind: "database", engine: "mysql", name: "pixelfed" },
      { kind: "database", engine: "redis", name: "pixelfed" },
      { kind: "directory", path: "/var/lib/pixelfed" },
    ]);
    const state = stateFromPlan(plan, undefined, new Date(0));
    const removed = createPlanFromUnknown({ spec: specWith([]), registry, state }).diff.removed[0]!;
    expect(removed.leftovers.filter((l) => l.kind === "data").map((l) => l.name)).toEqual([
      "mysql:pixelfed",
      "redis:pixelfed",
      "directory:/var/lib/pixelfed",
    ]);
  });
});
