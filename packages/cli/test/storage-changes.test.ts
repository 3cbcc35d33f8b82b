// `--allow-storage-changes` (issue 12, item 1): the flag reaches the planner, the summary lists storage changes.
import { createPlanFromUnknown, createRegistry, hasErrorCode, planSummary, stateFromPlan } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { applyCommand } from "../src/commands/apply.js";
import { planCommand } from "../src/commands/plan.js";
import { adoptFlag } from "../src/commands/shared.js";
import { validateCommand } from "../src/commands/validate.js";
import { createStyle } from "../src/terminal/style.js";
import { blobs, machine, site } from "./support/plugins.js";

const registry = createRegistry([site, blobs]);
const spec = (machines: string[]) => ({
  name: "acme",
  machines: machines.map((m, i) => machine(m, `192.0.2.${10 + i}`)),
  storage: { kind: "blobs" },
  services: [{ name: "blog", kind: "site", options: { domain: "blog.example.org" } }],
});

describe("storage changes in the CLI", () => {
  it("plan, apply and validate take --allow-storage-changes", () => {
    for (const command of [planCommand, applyCommand, validateCommand]) {
      expect(Object.keys(command.options ?? {})).toContain("allow-storage-changes");
      expect(command.usage).toContain("[--allow-storage-changes]");
      expect(Object.keys(command.options ?? {})).toContain("adopt");
    }
  });

  it("the summary lists the storage nodes a plan adds and drops", () => {
    const applied = stateFromPlan(createPlanFromUnknown({ spec: spec(["web02"]), registry }), undefined, new Date(0));
    const grown = spec(["web02", "web01"]);
    let refused: unknown;
    try {
      createPlanFromUnknown({ spec: grown, registry, state: applied });
    } catch (error) {
      refused = error;
    }
    const plan = createPlanFromUnknown({
      spec: grown,
      registry,
      state: applied,
      allowStorageChanges: true,
      allowMoves: true,
    });
    // The blobs test storage takes the first machine by name: web01 would take the node from web02.
    expect(plan.diff.storageChanges.map((c) => [c.kind, c.machine])).toEqual([
      ["node-added", "web01"],
      ["node-removed", "web02"],
    ]);
    expect(hasErrorCode(refused, "STORAGE_MOVE_REQUIRED")).toBe(true);
    const text = planSummary(plan, { state: applied, stateFile: "s" }, createStyle(false));
    for (const change of plan.diff.storageChanges) expect(text).toContain(`! storage ${change.note}`);
  });

  it("--adopt takes comma-separated instance names", () => {
    expect(adoptFlag({ adopt: "shop, blog,," })).toEqual(["shop", "blog"]);
    expect(adoptFlag({})).toEqual([]);
  });
});
