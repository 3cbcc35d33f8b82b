// `fedi plan --out DIR`: the deployment directory belongs to the SDK (issue 12 item 2). A hand-written file is kept
// and named in the error; an output folder that is or contains the config's folder, or overlaps the state folder,
// is refused before anything is written.
import { cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EXAMPLES, fedi, tempDir } from "./support/fedi.js";

let dir: string;
let remove: () => Promise<void>;
let config: string;
beforeEach(async () => {
  ({ dir, remove } = await tempDir());
  await cp(join(EXAMPLES, "all-in-one"), join(dir, "project"), { recursive: true });
  config = join(dir, "project", "fedi.config.ts");
});
afterEach(() => remove());

describe("fedi plan --out", () => {
  it("keeps a hand-written flake.nix and says which file and what to do", async () => {
    const out = join(dir, "out");
    await mkdir(out);
    await writeFile(join(out, "flake.nix"), "{ outputs = _: { }; }\n");
    const run = await fedi(["plan", "--config", config, "--out", out, "--json"]);
    expect(run.exitCode).toBe(1);
    const error = JSON.parse(run.stdout).error;
    expect(error.code).toBe("DEPLOY_DIR_FOREIGN_FILE");
    expect(error.issues).toEqual([expect.objectContaining({ path: "flake.nix", code: "FOREIGN_FILE" })]);
    expect(error.hint).toContain("--out");
    expect(await readFile(join(out, "flake.nix"), "utf8")).toBe("{ outputs = _: { }; }\n");
    expect(await readdir(out)).toEqual(["flake.nix"]);
  });

  it("refuses the config's folder, a folder around it and the state folder", async () => {
    const project = join(dir, "project");
    for (const [out, cwd] of [
      [".", project],
      [dir, project],
      [".fedi/out", project],
    ] as const) {
      const run = await fedi(["plan", "--config", config, "--out", out], { cwd });
      expect(run.exitCode, out).toBe(1);
      expect(run.stderr).toMatch(/^error DEPLOY_DIR_OVERLAP: The deployment directory /m);
      expect(run.stderr).toContain("--out");
    }
    for (const folder of [project, dir, join(project, ".fedi")]) {
      const names = await readdir(folder).catch(() => [] as string[]);
      for (const generated of ["flake.nix", "plan.json", ".fedi-manifest.json", "out"])
        expect(names).not.toContain(generated);
    }
    const ok = await fedi(["plan", "--config", config, "--out", join(project, "deploy")]);
    expect(ok.exitCode).toBe(0);
  });
});
