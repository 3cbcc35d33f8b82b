// `fedi graph` through the built binary.
import { join } from "node:path";
import type { Plan } from "@fediversity/core";
import { beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, fedi, tempDir } from "./support/fedi.js";

const config = join(EXAMPLES, "separate-storage", "fedi.config.ts");
let plan: Plan;

beforeAll(async () => {
  const { dir, remove } = await tempDir();
  const run = await fedi([
    "plan",
    "--config",
    config,
    "--out",
    join(dir, "deploy"), // the deployment directory must not contain the state folder
    "--state",
    join(dir, "state"),
    "--json",
    "--quiet",
  ]);
  plan = JSON.parse(run.stdout).plan;
  await remove();
});

describe("fedi graph", () => {
  it("prints a Mermaid flowchart with every machine, instance and bucket, and RPC links between the 3 nodes", async () => {
    const run = await fedi(["graph", "--config", config, "--quiet"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout.startsWith("flowchart LR\n")).toBe(true);
    for (const m of plan.machines) expect(run.stdout).toContain(`"${m.name}<br/>${m.host}"`);
    for (const i of plan.instances) expect(run.stdout).toContain(`"${i.name}<br/>${i.kind}"`);
    for (const b of plan.buckets) expect(run.stdout).toContain(b.name);
    expect(plan.storage.nodes).toHaveLength(3);
    expect((run.stdout.match(/<-->\|"RPC"\|/g) ?? []).length).toBe(3);
    expect(run.stderr).toBe("");
  });

  it("prints Graphviz DOT with --format dot", async () => {
    const run = await fedi(["graph", "--config", config, "--format", "dot"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^digraph "[a-z0-9-]+" \{\n/);
    expect((run.stdout.match(/dir=both/g) ?? []).length).toBe(3);
    expect(run.stdout.trimEnd().endsWith("}")).toBe(true);
  });
});
