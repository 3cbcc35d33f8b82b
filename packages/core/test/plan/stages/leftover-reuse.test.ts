import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  type createPlan,
  createPlanFromUnknown,
  createRegistry,
  defineService,
  stateFromPlan,
} from "../../../src/index.js";
import { errorOf } from "../../fixtures/errors.js";
import { machine, testPlugins } from "../../fixtures/plugins.js";

/** A service with nixpkgs-like fixed database name, whatever the instance is called. */
const fixedDb = defineService({
  kind: "fixeddb",
  apiVersion: 1,
  options: z.object({}).strict(),
  requirements: () => ({
    cpus: 1,
    memoryMiB: 256,
    diskGiB: 1,
    keeps: [{ kind: "database", engine: "postgresql", name: "fixeddb" }],
  }),
  nixos: () => ({ services: { fixeddb: { enable: true } } }),
  checks: () => [],
});
const registry = createRegistry([...testPlugins, fixedDb]);
const spec = (services: unknown[]) => ({
  name: "demo",
  acme: { email: "ops@example.org" },
  machines: [machine("box", "10.0.0.1")],
  storage: { kind: "toystore", options: {} },
  services,
});
const applied = (plan: ReturnType<typeof createPlan>, prev?: any) => stateFromPlan(plan, prev, new Date(0));

/** The state after an instance was applied, then removed (its leftovers recorded). */
function afterRemoval(services: unknown[]) {
  const first = createPlanFromUnknown({ spec: spec(services), registry });
  const s1 = applied(first);
  return applied(createPlanFromUnknown({ spec: spec([]), registry, state: s1 }), s1);
}

describe("leftover reuse stage", () => {
  it("refuses a removed name reused for a new tenant: it would inherit buckets, key and secrets", () => {
    const state = afterRemoval([{ name: "shop", kind: "webapp", options: { domain: "shop.example.org" } }]);
    expect(state.leftovers.map((l) => l.name)).toContain("demo-shop-media");
    const reuse = spec([{ name: "shop", kind: "webapp", options: { domain: "new-tenant.example.org" } }]);
    const error = errorOf(() => createPlanFromUnknown({ spec: reuse, registry, state }));
    expect(error.code).toBe("LEFTOVER_REUSE");
    expect(error.issues?.map((i) => i.path)).toEqual(["services[0].name"]);
    expect(error.issues?.[0]?.message).toContain("bucket 'demo-shop-media'");
    expect(error.issues?.[0]?.message).toContain("secret 'shop.app-key'");
    expect(error.hint).toContain("adopt");
  });

  it("lets the user adopt them, and the adopted names are no longer leftovers", () => {
    const state = afterRemoval([{ name: "shop", kind: "webapp", options: { domain: "shop.example.org" } }]);
    const reuse = spec([{ name: "shop", kind: "webapp", options: { domain: "shop.example.org" } }]);
    const plan = createPlanFromUnknown({ spec: reuse, registry, state, adopt: ["shop"] });
    expect(plan.buckets.map((b) => b.name)).toEqual(["demo-shop-media"]);
    const next = applied(plan, state);
    expect(next.leftovers.filter((l) => l.kind !== "data")).toEqual([]);
  });

  it("refuses a new instance placed where a database of the same fixed name still holds data", () => {
    const state = afterRemoval([{ name: "old", kind: "fixeddb", options: {} }]);
    const error = errorOf(() =>
      createPlanFromUnknown({ spec: spec([{ name: "new", kind: "fixeddb", options: {} }]), registry, state }),
    );
    expect(error.code).toBe("LEFTOVER_REUSE");
    expect(error.issues?.[0]?.message).toContain("postgresql database 'fixeddb' on 'box'");
    expect(
      createPlanFromUnknown({
        spec: spec([{ name: "new", kind: "fixeddb", options: {} }]),
        registry,
        state,
        adopt: ["new"],
      }).instances[0]!.machine,
    ).toBe("box");
  });

  it("lets other names and kinds through", () => {
    const state = afterRemoval([{ name: "old", kind: "fixeddb", options: {} }]);
    const plan = createPlanFromUnknown({
      spec: spec([{ name: "fresh", kind: "webapp", options: { domain: "fresh.example.org" } }]),
      registry,
      state,
    });
    expect(plan.instances.map((i) => i.name)).toEqual(["fresh"]);
  });
});
