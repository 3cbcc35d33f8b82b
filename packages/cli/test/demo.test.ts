// The README's demo: `npm ci && npm run demo`. The demo script is `npm run build && <plan command>`; the global setup
// has built the packages, so this runs the plan command of the script exactly as package.json spells it, from the
// repository root. (.ci/run runs `npm run demo` itself, build included.)
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { nixParseFile } from "@fediversity/core/nix";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cleanEnv, REPO_ROOT } from "./support/fedi.js";

const BUILD = "npm run build && ";

describe("npm run demo", () => {
  it("plans the all-in-one example into out/all-in-one, with a flake.nix that parses", async () => {
    const readme = await readFile(join(REPO_ROOT, "README.md"), "utf8");
    expect(readme).toContain("npm ci && npm run demo");
    const script: string = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")).scripts.demo;
    expect(script.startsWith(BUILD)).toBe(true);
    const plan = script.slice(BUILD.length);
    expect(plan).toBe(
      "node packages/cli/dist/bin.js plan --config examples/all-in-one/fedi.config.ts --out out/all-in-one",
    );

    const run = await execa(plan, {
      shell: true,
      cwd: REPO_ROOT,
      env: cleanEnv(),
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/Deployment files in out\/all-in-one: \d+ written, \d+ unchanged/);
    const flake = join(REPO_ROOT, "out", "all-in-one", "flake.nix");
    expect((await stat(flake)).isFile()).toBe(true);
    await nixParseFile(flake);
    const planJson = JSON.parse(await readFile(join(REPO_ROOT, "out", "all-in-one", "plan.json"), "utf8"));
    expect(planJson.instances.map((i: { kind: string }) => i.kind).sort()).toEqual([
      "mastodon",
      "peertube",
      "pixelfed",
    ]);
  });
});
