import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Deployment, DOUBLE, makeDeployment } from "./helpers.js";

// The double must follow NixOps4's CLI contract (clap 4.5 parser in rust/nixops4/src/main.rs and options/mod.rs),
// or tests written against it would pass while the real tool rejects what the SDK sends.
describe("nixops4 test double: CLI contract", () => {
  let deployment: Deployment;
  beforeEach(async () => {
    deployment = await makeDeployment({ web01: "192.0.2.1", web02: "192.0.2.2" });
  });
  afterEach(async () => {
    await deployment.cleanup();
  });

  const run = (args: string[], env: Record<string, string> = {}) =>
    execa(DOUBLE, args, {
      cwd: deployment.dir,
      reject: false,
      env: { FEDI_NIXOPS4_DOUBLE_LOG: deployment.log, ...env },
    });

  it("rejects unknown flags and subcommands with clap's exit code 2", async () => {
    for (const args of [
      ["apply", "--frobnicate"],
      ["apply", "-x"],
      ["deploy"],
      [],
      ["members"],
      ["members", "list", "a", "b"],
      ["--color", "sometimes", "apply"],
      ["apply", "--interactive", "--no-interactive"],
      ["apply", "--show-trace", "--show-trace"],
      ["apply", "--file"],
    ]) {
      const result = await run(args);
      expect(result.exitCode, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(/^error: /);
      expect(result.stderr).toContain("For more information, try '--help'.");
    }
  });

  it("accepts global flags before or after the subcommand", async () => {
    for (const args of [
      ["--no-interactive", "apply", "web01"],
      ["apply", "web01", "--no-interactive", "--show-trace", "-v"],
      ["--color=never", "apply"],
      ["apply", "--override-input", "nixpkgs", "github:NixOS/nixpkgs/nixos-25.05", "web02"],
    ]) {
      const result = await run(args);
      expect(result.exitCode, `${args.join(" ")}: ${result.stderr}`).toBe(0);
    }
  });

  it("prints members one per line on stdout", async () => {
    const result = await run(["members", "list"]);
    expect(result.stdout.split("\n")).toEqual(["web01", "web02"]);
  });

  it("records each invocation with argv and cwd", async () => {
    await run(["apply", "web02", "--no-interactive"]);
    expect(deployment.invocations()[0]).toMatchObject({
      argv: ["apply", "web02", "--no-interactive"],
      cwd: deployment.dir,
    });
  });

  it("fails like NixOps4 on an unknown member or overlapping paths", async () => {
    const unknown = await run(["apply", "db01"]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toMatch(/^nixops4 error: Error while loading member 'db01'/m);
    const overlap = await run(["apply", "web01", "web01.nixos"]);
    expect(overlap.exitCode).toBe(1);
    expect(overlap.stderr).toContain("Overlapping paths: 'web01' is an ancestor of 'web01.nixos'");
  });

  it("refuses a flake whose git tree has untracked files (stricter than real NixOps4)", async () => {
    await writeFile(join(deployment.dir, "forgotten.nix"), "{ }\n");
    const result = await run(["apply", "--no-interactive"]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain(`warning: Git tree '${deployment.dir}' is dirty`);
    expect(result.stderr).toMatch(/^nixops4 error: .*untracked/m);
  });
});
