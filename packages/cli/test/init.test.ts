// `fedi init` then `fedi validate` and `fedi plan` in a fresh folder outside the repository (where
// `@fediversity/cli` is not installed: the built CLI provides it to the config).
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { nixParseFile } from "@fediversity/core/nix";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fedi, REPO_ROOT, tempDir } from "./support/fedi.js";

/** Which of `paths` (relative to `dir`) the real git ignores there. */
async function ignoredByGit(dir: string, paths: string[]): Promise<string[]> {
  const env = { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  await execa("git", ["init", "--quiet"], { cwd: dir, env });
  const run = await execa("git", ["check-ignore", "--no-index", "--stdin"], {
    cwd: dir,
    env,
    input: paths.join("\n"),
    reject: false,
  });
  return run.stdout.split("\n").filter(Boolean).sort();
}

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

  it("writes a .gitignore that keeps secrets, the lock and temporary files out, and state.json in", async () => {
    const init = await fedi(["init"], { cwd: dir });
    expect(init.exitCode).toBe(0);
    expect(init.stdout).toContain("Wrote .gitignore");
    const paths = [
      ".fedi/secrets/social-s3-secret",
      ".fedi/state.lock",
      ".fedi/state.lock.break-0123abcd-1",
      ".fedi/.state.json.fedi-0123abcd-4242-0123456789ab.tmp",
      ".fedi/state.json",
      "deploy/flake.nix",
      "fedi.config.ts",
      "machines/fedi01/hardware-configuration.nix",
    ];
    expect(await ignoredByGit(dir, paths)).toEqual([
      ".fedi/.state.json.fedi-0123abcd-4242-0123456789ab.tmp",
      ".fedi/secrets/social-s3-secret",
      ".fedi/state.lock",
      ".fedi/state.lock.break-0123abcd-1",
      "deploy/flake.nix",
    ]);
  });

  it("appends only the missing lines to an existing .gitignore, never replacing it", async () => {
    const own = "node_modules/\n/.fedi/secrets/";
    await writeFile(join(dir, ".gitignore"), own);
    const init = await fedi(["init"], { cwd: dir });
    expect(init.exitCode).toBe(0);
    const text = await readFile(join(dir, ".gitignore"), "utf8");
    expect(text.startsWith(`${own}\n`)).toBe(true);
    expect(text.split("\n").filter((l) => l === "/.fedi/secrets/")).toHaveLength(1);
    expect(text).toContain("/.fedi/state.lock*\n");
    expect(init.stdout).toMatch(/Added \d+ line\(s\) to \.gitignore/);
    const again = await fedi(["init", "--force"], { cwd: dir });
    expect(again.stdout).toContain(".gitignore already keeps secrets out");
    expect(await readFile(join(dir, ".gitignore"), "utf8")).toBe(text);
  });

  it("prints the next steps in the order of docs/operations.md: adopt, validate, plan, apply", async () => {
    const init = await fedi(["init"], { cwd: dir });
    const printed = [...init.stdout.matchAll(/^\s+\d+\. (?:cd \S+ && )?(fedi [a-z]+)/gm)].map((m) => m[1]);
    const doc = await readFile(join(REPO_ROOT, "docs/operations.md"), "utf8");
    const section = doc.slice(
      doc.indexOf("## First deployment"),
      doc.indexOf("\n## ", doc.indexOf("## First deployment") + 1),
    );
    const documented = [...section.matchAll(/^\d+\. `(fedi [a-z]+)/gm)].map((m) => m[1]);
    expect(documented).toEqual(["fedi init", "fedi adopt", "fedi validate", "fedi plan", "fedi apply"]);
    expect(printed).toEqual(documented.slice(1));
    expect(init.stdout).not.toContain("as you see fit");
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
