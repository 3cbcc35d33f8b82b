import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

/** Copies the hand-written static NixOS modules (the repository's top-level `nix/*.nix`) into the package's `nix/`. */
async function copyStaticNix(): Promise<void> {
  const from = join(__dirname, "..", "..", "nix");
  const to = join(__dirname, "nix");
  await rm(to, { recursive: true, force: true });
  await mkdir(to, { recursive: true });
  for (const name of (await readdir(from)).filter((n) => n.endsWith(".nix")).sort()) {
    await copyFile(join(from, name), join(to, name));
  }
}

export default defineConfig(
  packageBuild(
    { index: "src/index.ts", "nix/index": "src/nix/index.ts", "testing/index": "src/testing/index.ts" },
    // p-limit and its yocto-queue are ESM-only: bundled, so that the CommonJS build never `require`s them.
    { onSuccess: copyStaticNix, noExternal: ["p-limit", "yocto-queue"] },
  ),
);
