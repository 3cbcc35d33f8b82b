// `fedi init` then `fedi validate` and `fedi plan` in a fresh folder outside the repository (where
// `@fediversity/cli` is not installed: the built CLI provides it to the config).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { nixParseFile } from "@fediversity/core/nix";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fedi, tempDir } from "./support/fedi.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

describe("fedi init", () => {
  it("writes a config that validates and plans", async () => {
    const target = join(dir, "my-deployment");
    const init = await fedi(["init", "--dir", target]);
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain("Wrote");
    const text = await readFile(join(target, "fedi.config.ts"), "utf8");
    expect(text).toContain('import { defineDeployment } from "@fediversity/cli";');
    for (const kind of ["garage", "mastodon", "pixelfed", "peertube"]) expect(text).toContain(`kind: "${kind}"`);

    const validate = await fedi(["validate"], { cwd: target });
    expect(validate.stderr).not.toMatch(/^error/m);
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toMatch(
      /fedi\.config\.ts is valid: deployment \S+, 1 machine, 3 instances, garage storage on 1 node\./,
    );

    const plan = await fedi(["plan"], { cwd: target });
    expect(plan.exitCode).toBe(0);
    await nixParseFile(join(target, "deploy", "flake.nix"));
  });

  it("never overwrites an existing config without --force", async () => {
    await writeFile(join(dir, "fedi.config.json"), "{}");
    const again = await fedi(["init"], { cwd: dir });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/fedi\.config\.json already exists/);
    expect(again.stderr).toContain("--force");
    expect(await readFile(join(dir, "fedi.config.json"), "utf8")).toBe("{}");

    const forced = await fedi(["init", "--force"], { cwd: dir });
    expect(forced.exitCode).toBe(0);
    expect(await readFile(join(dir, "fedi.config.ts"), "utf8")).toContain("defineDeployment");
  });
});
