// Names that are also properties of every JavaScript object, end to end through the built `fedi`: machines named
// `constructor` and `valueof`, instances `constructor` and `tostring`, zones `__proto__` and `toString`, and a Garage
// `zones` option keyed by `constructor`. The plan, its diff against a recorded state, the summary and `--json` (against
// its own schema) treat them as names like any other.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Plan, stateFromPlan } from "@fediversity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fedi, tempDir } from "./support/fedi.js";
import { machine } from "./support/plugins.js";
import { schemaErrors, validatePlanOutput } from "./support/schema.js";

const adminEmail = "admin@example.org";

function spec(services: Array<{ name: string; kind: string; domain: string }>) {
  return {
    name: "constructor",
    acme: { email: adminEmail, staging: true },
    machines: [
      { name: "constructor", zone: "__proto__" },
      { name: "valueof", zone: "toString" },
    ].map((m, i) =>
      machine(m.name, `192.0.2.${i + 1}`, { zone: m.zone, resources: { cpus: 8, memoryMiB: 20480, diskGiB: 300 } }),
    ),
    storage: {
      kind: "garage",
      options: {
        replicationFactor: 2,
        nodes: ["constructor", "valueof"],
        zones: { constructor: "hasOwnProperty" },
        dedicatedNodes: false,
        webRootDomain: "media.example.org",
        s3RootDomain: "s3.example.org",
      },
    },
    services: services.map((s) => ({ name: s.name, kind: s.kind, options: { domain: s.domain, adminEmail } })),
  };
}

const SERVICES = [
  { name: "constructor", kind: "mastodon", domain: "social.example.org" },
  { name: "tostring", kind: "pixelfed", domain: "photos.example.org" },
];

let dir: string;
let removeDir: () => Promise<void>;
beforeAll(async () => ({ dir, remove: removeDir } = await tempDir("fedi-names-")));
afterAll(() => removeDir());

describe("fedi plan with names such as constructor and __proto__", () => {
  it("plans them, diffs them against a recorded state and prints JSON that matches its schema", async () => {
    const args = ["plan", "--out", join(dir, "deploy"), "--state", join(dir, "state")];
    await writeFile(join(dir, "fedi.config.json"), JSON.stringify(spec(SERVICES)));

    const first = await fedi([...args, "--json", "--quiet"], { cwd: dir });
    expect(first.stderr).toBe("");
    expect(first.exitCode).toBe(0);
    const output = JSON.parse(first.stdout);
    expect(validatePlanOutput(output), schemaErrors(validatePlanOutput)).toBe(true);
    const plan = output.plan as Plan;
    expect(plan.diff.added).toEqual(["constructor", "tostring"]);
    expect(plan.diff.moved).toEqual([]);
    expect(plan.diff.machinesAdded).toEqual(["constructor", "valueof"]);
    expect(plan.storage.nodes.map((n) => [n.machine, n.zone])).toEqual([
      ["constructor", "hasOwnProperty"],
      ["valueof", "toString"],
    ]);

    const summary = await fedi(args, { cwd: dir });
    expect(summary.exitCode).toBe(0);
    expect(summary.stdout).toMatch(/\+ add\s+constructor \(mastodon\) on /);
    expect(summary.stdout).not.toMatch(/move|undefined/);

    // Recorded as applied: the same config is up to date.
    await mkdir(join(dir, "state"), { recursive: true });
    await writeFile(
      join(dir, "state", "state.json"),
      JSON.stringify(stateFromPlan(plan, undefined, new Date("2026-04-01T12:00:00Z"))),
    );
    const same = await fedi([...args, "--json", "--quiet"], { cwd: dir });
    expect(same.exitCode).toBe(0);
    expect(JSON.parse(same.stdout).plan.diff.upToDate).toBe(true);

    // Without the instance `constructor`: it is removed, with what it leaves behind.
    await writeFile(join(dir, "fedi.config.json"), JSON.stringify(spec(SERVICES.slice(1))));
    const fewer = await fedi([...args, "--json", "--quiet"], { cwd: dir });
    expect(fewer.exitCode).toBe(0);
    const after = JSON.parse(fewer.stdout);
    expect(validatePlanOutput(after), schemaErrors(validatePlanOutput)).toBe(true);
    expect(after.plan.diff.removed.map((r: { instance: string }) => r.instance)).toEqual(["constructor"]);
    expect(after.plan.diff.added).toEqual([]);
    expect(after.plan.diff.moved).toEqual([]);
  });

  it("refuses an option named like an Object.prototype member as unknown", async () => {
    const run = await fedi(["--constructor"], { cwd: dir });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error USAGE: Unknown option '--constructor'/m);
  });
});
