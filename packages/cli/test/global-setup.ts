// Global setup of the cli tests, which run the built `fedi` as users do: builds the packages whose dist/ is missing
// or older than their sources (nothing when `npm run build` just ran, as in CI), in dependency order.
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { cleanEnv, REPO_ROOT } from "./support/fedi.js";

/** Workspaces the CLI needs, dependencies first, with the build outputs that must be newer than their sources. */
const PACKAGES = [
  // core's build also copies the repository's static NixOS modules (nix/*.nix) into packages/core/nix/
  {
    dir: "packages/core",
    outputs: ["dist/index.js", "dist/nix/index.js", "nix/fediversity-base.nix", "nix/fediversity-secrets.nix"],
    sources: ["../../nix"],
  },
  { dir: "packages/storage-garage", outputs: ["dist/index.js"] },
  { dir: "packages/service-mastodon", outputs: ["dist/index.js"] },
  { dir: "packages/service-pixelfed", outputs: ["dist/index.js"] },
  { dir: "packages/service-peertube", outputs: ["dist/index.js"] },
  { dir: "packages/cli", outputs: ["dist/index.js", "dist/bin.js"] },
];

async function newestSource(dir: string, extra: string[] = []): Promise<number> {
  let newest = 0;
  for (const name of ["package.json", "tsup.config.ts"]) {
    newest = Math.max(newest, (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0);
  }
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else newest = Math.max(newest, (await stat(path)).mtimeMs);
    }
  };
  await walk(join(dir, "src"));
  for (const folder of extra) await walk(join(dir, folder));
  return newest;
}

async function oldestOutput(dir: string, outputs: string[]): Promise<number> {
  let oldest = Number.POSITIVE_INFINITY;
  for (const output of outputs)
    oldest = Math.min(oldest, (await stat(join(dir, output)).catch(() => undefined))?.mtimeMs ?? 0);
  return oldest;
}

export default async function setup(): Promise<void> {
  let rebuildRest = false; // a rebuilt dependency makes its dependents stale too
  for (const pkg of PACKAGES) {
    const dir = join(REPO_ROOT, pkg.dir);
    if (
      !rebuildRest &&
      (await oldestOutput(dir, pkg.outputs)) > (await newestSource(dir, "sources" in pkg ? pkg.sources : []))
    )
      continue;
    rebuildRest = true;
    const result = await execa("npm", ["run", "build", "-w", pkg.dir], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 180_000,
    });
    if (result.exitCode !== 0) throw new Error(`Building ${pkg.dir} failed:\n${(result.all ?? "").slice(-5000)}`);
  }
}
