// createPlan({ events }) reports on the same typed stream as the Deployer: run.start, plan.done | plan.failed, run.end.
import { describe, expect, it } from "vitest";
import {
  type AnyFediEvent,
  createPlan,
  createRegistry,
  FediEvents,
  isFediError,
  stateFromPlan,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);
const spec = (domain: string): any => ({
  name: "demo",
  acme: { email: "ops@example.org" },
  machines: [machine("box", "10.0.0.1")],
  storage: { kind: "toystore", options: {} },
  services: [{ name: "social", kind: "webapp", options: { domain } }],
});

function recorder(): { events: FediEvents; seen: AnyFediEvent[] } {
  const events = new FediEvents();
  const seen: AnyFediEvent[] = [];
  events.on("event", (e) => seen.push(e));
  return { events, seen };
}

describe("createPlan with events", () => {
  it("reports run.start, plan.done with the diff's counts, and run.end; the plan is the one made without events", () => {
    const { events, seen } = recorder();
    const plan = createPlan({ spec: spec("social.example.org"), registry, events });
    expect(plan).toEqual(createPlan({ spec: spec("social.example.org"), registry }));
    expect(seen.map((e) => e.code)).toEqual(["run.start", "plan.done", "run.end"]);
    expect(seen.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(seen[0]!.data).toEqual({ command: "plan", deployment: "demo" });
    expect(seen[1]!.data).toEqual({
      deployment: "demo",
      machines: 1,
      instances: 1,
      upToDate: false,
      added: 1,
      changed: 0,
      moved: 0,
      removed: 0,
    });
    expect(seen[2]!.data).toMatchObject({ ok: true, summary: "1 to add, 0 to change, 0 to move, 0 to remove." });

    const again = recorder();
    const state = stateFromPlan(plan, undefined, new Date("2026-01-02T03:04:05Z"));
    createPlan({ spec: spec("social.example.org"), registry, state, events: again.events });
    expect(again.seen[1]!.data).toMatchObject({ upToDate: true, added: 0 });
    expect(again.seen[2]!.data).toMatchObject({ ok: true, summary: "Up to date: nothing to apply." });
  });

  it("reports plan.failed (error level, code, issue count) and run.end not ok, then throws the same error", () => {
    const { events, seen } = recorder();
    let thrown: unknown;
    try {
      createPlan({ spec: { ...spec("not a domain"), machines: [] }, registry, events });
    } catch (error) {
      thrown = error;
    }
    expect(isFediError(thrown)).toBe(true);
    if (!isFediError(thrown)) return;
    expect(seen.map((e) => e.code)).toEqual(["run.start", "plan.failed", "run.end"]);
    expect(seen[1]).toMatchObject({
      level: "error",
      data: { code: thrown.code, message: thrown.message, issues: thrown.issues.length },
    });
    expect(seen[2]!.data).toMatchObject({ ok: false, summary: `Planning failed (${thrown.code}).` });
  });
});
