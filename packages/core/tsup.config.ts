import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

export default defineConfig(
  packageBuild(
    { index: "src/index.ts", "nix/index": "src/nix/index.ts", "testing/index": "src/testing/index.ts" },
    // p-limit and its yocto-queue are ESM-only: bundled, so that the CommonJS build never `require`s them.
    { noExternal: ["p-limit", "yocto-queue"] },
  ),
);
