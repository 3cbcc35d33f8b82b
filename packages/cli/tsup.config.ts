import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base";

export default defineConfig([
  ...packageBuild({ index: "src/index.ts" }),
  ...packageBuild(
    { bin: "src/bin.ts" },
    { format: ["esm"], dts: false, clean: false, banner: { js: "#!/usr/bin/env node" } },
  ),
]);
