import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { APPLY_STEP_DEFINITIONS, type ApplyStepDefinition, runSteps } from "../../../src/deploy/steps/index.js";
import { APPLY_STEPS, hasErrorCode } from "../../../src/index.js";
import { contextFor, machineAt, planFor, type Workspace, workspace } from "./support.js";

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.dispose();
});

/** A step of the test that records that it ran and returns `result` (or throws it). */
function step(
  name: ApplyStepDefinition["name"],
  resumable: boolean,
  result: string | undefined | Error,
  ran: string[],
) {
  return {
    name,
    description: `test ${name}`,
    resumable,
    async run() {
      ran.push(name);
      if (result instanceof Error) throw result;
      return result;
    },
  } satisfies ApplyStepDefinition;
}

const plan = () => planFor([machineAt("web1", { port: 22 })]);

describe("the apply steps", () => {
  it("run in the order of APPLY_STEPS, the cheap checks before anything that writes, commits or generates", () => {
    expect(APPLY_STEP_DEFINITIONS.map((s) => s.name)).toEqual([...APPLY_STEPS]);
    const at = (name: string) => APPLY_STEPS.indexOf(name as (typeof APPLY_STEPS)[number]);
    expect(at("preflight")).toBe(0);
    expect(at("preflight")).toBeLessThan(at("render"));
    expect(at("preflight")).toBeLessThan(at("secrets"));
    // storage nodes are switched before storage is provisioned, and the other machines after it
    expect(at("storage-nodes")).toBeLessThan(at("storage"));
    expect(at("storage")).toBeLessThan(at("nixops4"));
    expect(at("nixops4")).toBeLessThan(at("activate"));
  });

  it("re-run the local steps every time and record the others, so a failed run continues after them", () => {
    const local = APPLY_STEP_DEFINITIONS.filter((s) => !s.resumable).map((s) => s.name);
    expect(local).toEqual(["preflight", "render", "secrets"]);
    for (const s of APPLY_STEP_DEFINITIONS) expect(s.description.length).toBeGreaterThan(10);
  });
});

describe("runSteps", () => {
  it("reports each step, skips one with nothing to do, and records the resumable ones in the state", async () => {
    const p = plan();
    const { ctx, events } = await contextFor(p, ws);
    const ran: string[] = [];
    await runSteps(
      [
        step("preflight", false, "ready", ran),
        step("upload", true, undefined, ran),
        step("storage", true, "made", ran),
      ],
      ctx,
    );
    expect(ran).toEqual(["preflight", "upload", "storage"]);
    expect(ctx.report.steps.map((s) => [s.step, s.status, s.summary])).toEqual([
      ["preflight", "done", "ready"],
      ["upload", "skipped", "nothing to do"],
      ["storage", "done", "made"],
    ]);
    expect(events.filter((e) => e.code === "step.start").map((e) => e.data.step)).toEqual([
      "preflight",
      "upload",
      "storage",
    ]);
    const skipped = events.find((e) => e.code === "step.end" && e.data.step === "upload");
    expect(skipped?.code === "step.end" && skipped.data.skipped).toBe(true);
    // a step with nothing to do is finished too; non-resumable steps are never recorded
    expect((await ws.state.read("steps")).progress?.completed).toEqual(["upload", "storage"]);
  });

  it("skips resumable steps an earlier run of the same plan finished, but runs the local steps again", async () => {
    const p = plan();
    const first = await contextFor(p, ws);
    await runSteps([step("upload", true, "up", []), step("preflight", false, "ok", [])], first.ctx);
    // preflight recorded by hand as if it were resumable: it still runs (the local steps always run)
    await first.ctx.progress.record("preflight");

    const { ctx } = await contextFor(p, ws);
    const ran: string[] = [];
    await runSteps([step("preflight", false, "ok", ran), step("upload", true, "up", ran)], ctx);
    expect(ran).toEqual(["preflight"]);
    expect(ctx.report.steps.find((s) => s.step === "upload")).toEqual({
      step: "upload",
      status: "skipped",
      summary: "finished by an earlier run",
      durationMs: 0,
    });
  });

  it("ignores the progress of another plan", async () => {
    const first = await contextFor(plan(), ws);
    await runSteps([step("upload", true, "up", [])], first.ctx);
    const other = planFor(
      [machineAt("web1", { port: 22 })],
      [{ name: "alpha", kind: "webapp", options: { domain: "other.example.org" } }],
    );
    const { ctx } = await contextFor(other, ws);
    const ran: string[] = [];
    await runSteps([step("upload", true, "up", ran)], ctx);
    expect(ran).toEqual(["upload"]);
  });

  it("stops at the first failure, reports it and records nothing for it", async () => {
    const p = plan();
    const { ctx, events } = await contextFor(p, ws);
    const ran: string[] = [];
    await expect(
      runSteps(
        [
          step("upload", true, "up", ran),
          step("storage", true, new Error("storage broke"), ran),
          step("verify", true, "ok", ran),
        ],
        ctx,
      ),
    ).rejects.toThrow("storage broke");
    expect(ran).toEqual(["upload", "storage"]);
    expect(ctx.report.steps.at(-1)).toMatchObject({
      step: "storage",
      status: "failed",
      summary: "Error: storage broke",
    });
    const end = events.find((e) => e.code === "step.end" && e.data.step === "storage");
    expect(end).toMatchObject({ level: "error", data: { ok: false } });
    expect((await ws.state.read("steps")).progress?.completed).toEqual(["upload"]);
  });

  it("stops before the next step with CANCELLED once the signal is aborted", async () => {
    const abort = new AbortController();
    const { ctx } = await contextFor(plan(), ws, { signal: abort.signal });
    const ran: string[] = [];
    const cancelling = {
      ...step("upload", true, "up", ran),
      async run() {
        ran.push("upload");
        abort.abort();
        return "up";
      },
    };
    let error: unknown;
    try {
      await runSteps([cancelling, step("storage", true, "made", ran)], ctx);
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "CANCELLED")).toBe(true);
    expect((error as { hint?: string }).hint).toContain("fedi apply");
    expect(ran).toEqual(["upload"]);
    expect((await ws.state.read("steps")).progress?.completed).toEqual(["upload"]);
  });
});
