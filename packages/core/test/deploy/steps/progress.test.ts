import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApplyProgressRecorder } from "../../../src/deploy/steps/progress.js";
import { emptyState } from "../../../src/index.js";
import { type Workspace, workspace } from "./support.js";

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.dispose();
});

describe("ApplyProgressRecorder", () => {
  it("writes every marker to the state; parallel records end with all of them, in the order recorded", async () => {
    const started = new Date("2026-01-02T03:04:05Z");
    const recorder = new ApplyProgressRecorder(ws.state, emptyState("d"), "hash-1", started);
    expect(recorder.empty).toBe(true);
    const machines = Array.from({ length: 12 }, (_, i) => `uploaded:m${i}`);
    await Promise.all(machines.map((m) => recorder.record(m)));
    await recorder.record("upload");
    const state = await ws.state.read("d");
    expect(state.progress).toEqual({
      planHash: "hash-1",
      completed: [...machines, "upload"],
      startedAt: started.toISOString(),
    });
    expect(recorder.has("upload") && recorder.has("uploaded:m3")).toBe(true);
    expect(recorder.empty).toBe(false);
  });

  it("continues the progress of the same plan and ignores that of another", async () => {
    const first = new ApplyProgressRecorder(ws.state, emptyState("d"), "hash-1", new Date("2026-01-01T00:00:00Z"));
    await first.record("upload");
    const previous = await ws.state.read("d");

    const same = new ApplyProgressRecorder(ws.state, previous, "hash-1");
    expect(same.markers()).toEqual(["upload"]);
    await same.record("storage");
    expect((await ws.state.read("d")).progress).toMatchObject({
      completed: ["upload", "storage"],
      startedAt: "2026-01-01T00:00:00.000Z", // the run being continued started then
    });

    const other = new ApplyProgressRecorder(ws.state, previous, "hash-2");
    expect(other.empty).toBe(true);
    expect(other.has("upload")).toBe(false);
  });
});
