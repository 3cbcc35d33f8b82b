import type { Options } from "tsup";

/**
 * Shared tsup settings: every package ships ESM + CJS with declarations for both.
 * `entry` maps output names (e.g. `nix/index`) to source files.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    clean: true,
    target: "node20",
    platform: "node",
    splitting: true,
    treeshake: true,
    shims: false,
    ...extra,
  };
}
