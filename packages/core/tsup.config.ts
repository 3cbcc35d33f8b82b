import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

/**
 * Copies the hand-written static NixOS modules (the repository's top-level `nix/*.nix`) into the package's `nix/`.
 * The ESM and CJS builds both run it, at the same time: it never empties the folder (a parallel copy would lose its
 * target), it overwrites each file and removes only `.nix` files that are no longer in the source folder.
 */
async function copyStaticNix(): Promise<void> {
  const from = join(__dirname, "..", "..", "nix");
  const to = join(__dirname, "nix");
  await mkdir(to, { recursive: true });
  const names = (await readdir(from)).filter((n) => n.endsWith(".nix")).sort();
  for (const name of names) await copyFile(join(from, name), join(to, name));
  for (const stale of (await readdir(to)).filter((n) => n.endsWith(".nix") && !names.includes(n)))
    await rm(join(to, stale), { force: true });
}

export default defineConfig(
  packageBuild(
    { index: "src/index.ts", "nix/index": "src/nix/index.ts", "testing/index": "src/testing/index.ts" },
    // ESM-only dependencies (execa, p-limit, ...) are bundled into the CommonJS build by packageBuild.
    { onSuccess: copyStaticNix },
  ),
);
