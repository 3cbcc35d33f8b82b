// @fediversity/core as it is published: its package lists the static NixOS modules, and the built ESM and CJS
// entry points find them in the package's nix/ folder (copied there by the build from the repository's nix/).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { cleanEnv, REPO_ROOT } from "./support/fedi.js";

const CORE = join(REPO_ROOT, "packages", "core");
const probe = `
  const dir = core.staticNixDir();
  const files = Object.fromEntries(core.staticNixModules());
  console.log(JSON.stringify({ dir, files }));
`;

describe("@fediversity/core's static NixOS modules", () => {
  it("are in the package's files", async () => {
    const pkg = JSON.parse(await readFile(join(CORE, "package.json"), "utf8"));
    expect(pkg.files).toContain("nix");
    const pack = await execa("npm", ["pack", "--dry-run", "--json", "-w", "packages/core"], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      extendEnv: false,
    });
    const listed = (JSON.parse(pack.stdout)[0].files as Array<{ path: string }>).map((f) => f.path);
    expect(listed).toEqual(expect.arrayContaining(["nix/fediversity-base.nix", "nix/fediversity-secrets.nix"]));
  });

  for (const [format, script] of [
    ["ESM", `import(${JSON.stringify(join(CORE, "dist", "index.js"))}).then((core) => { ${probe} });`],
    ["CJS", `const core = require(${JSON.stringify(join(CORE, "dist", "index.cjs"))}); ${probe}`],
  ] as const) {
    it(`are found by the built ${format} entry point`, async () => {
      const run = await execa("node", ["-e", script], { cwd: "/", env: cleanEnv(), extendEnv: false });
      const { dir, files } = JSON.parse(run.stdout);
      expect(dir).toBe(join(CORE, "nix"));
      expect(Object.keys(files).sort()).toEqual(["nix/fediversity-base.nix", "nix/fediversity-secrets.nix"]);
      for (const [rel, text] of Object.entries(files)) expect(text).toBe(await readFile(join(REPO_ROOT, rel), "utf8"));
    });
  }
});
