// `fedi init` then `fedi validate` and `fedi plan` in a fresh folder outside the repository (where
// `@fediversity/cli` is not installed: the built CLI provides it to the config).
import { mkdir, readFile, writeFile } from "node:fs/promises";
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

    // before `fedi adopt`: the machine is refused, each missing fact with its code and a pointer to adopt
    const early = await fedi(["validate"], { cwd: target });
    expect(early.exitCode).toBe(1);
    expect(early.stderr).toMatch(/^error MACHINE_NOT_DEPLOYABLE: /m);
    for (const path of [
      "machines[0].nixosImports",
      "machines[0].boot",
      "machines[0].stateVersion",
      "machines[0].ssh.authorizedKeys",
    ])
      expect(early.stderr).toContain(`- ${path}: `);
    expect(early.stderr).toContain("hint: Run `fedi adopt fedi01`");

    // completed as the template says (what `fedi adopt fedi01` prints and writes)
    await mkdir(join(target, "machines", "fedi01"), { recursive: true });
    await writeFile(
      join(target, "machines", "fedi01", "hardware-configuration.nix"),
      '{ ... }:\n{\n  fileSystems."/" = {\n    device = "/dev/vda1";\n    fsType = "ext4";\n  };\n}\n',
    );
    const adopted = text
      .replace("// authorizedKeys:", "authorizedKeys:")
      .replace("// stateVersion:", "stateVersion:")
      .replace("// boot:", "boot:")
      .replace("// nixosImports:", "nixosImports:");
    await writeFile(join(target, "fedi.config.ts"), adopted);

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
