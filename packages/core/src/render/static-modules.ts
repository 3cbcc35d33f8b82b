import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { FediError } from "../errors.js";
import { STATIC_NIX_FILES } from "../plan/static-files.js";

export { BASE_MODULE_FILE, SECRETS_INSTALLER_FILE, STATIC_NIX_FILES } from "../plan/static-files.js";

/**
 * This file's path, in the ESM build, the CJS build and the sources. The CJS build has no `import.meta` (tsup leaves
 * it empty there) but its module wrapper's `__filename`; ESM has `import.meta.url` (and must not read a global
 * `__filename`, which e.g. `node -e` defines).
 */
function thisFile(): string {
  const url: unknown = import.meta.url;
  return typeof url === "string" && url.startsWith("file:") ? fileURLToPath(url) : __filename;
}

/**
 * The folder holding the shipped `.nix` files. In the built package (`dist/…`) it is the package's `nix/` folder,
 * which the build fills; from the sources (`src/…`, e.g. under vitest's `source` condition) it is the repository's
 * top-level `nix/`, so that tests always read the hand-written files and never a stale copy.
 * @throws FediError `INTERNAL` when the files are missing (a broken installation).
 */
export function staticNixDir(): string {
  const here = dirname(thisFile());
  const parts = here.split(sep);
  const srcAt = parts.lastIndexOf("src");
  const distAt = parts.lastIndexOf("dist");
  const candidates: string[] = [];
  if (srcAt > distAt) {
    const packageRoot = parts.slice(0, srcAt).join(sep) || sep;
    candidates.push(resolve(packageRoot, "..", "..", "nix"), join(packageRoot, "nix"));
  } else if (distAt >= 0) {
    candidates.push(join(parts.slice(0, distAt).join(sep) || sep, "nix"));
  }
  const found = candidates.find((dir) => existsSync(join(dir, "fediversity-base.nix")));
  if (found === undefined) {
    throw new FediError(
      "INTERNAL",
      `The SDK's static Nix modules were not found (looked in ${candidates.join(", ")}).`,
      {
        hint: "Reinstall @fediversity/core; in a checkout of the SDK, run `npm run build -w packages/core`.",
      },
    );
  }
  return found;
}

/** The static modules' texts, by their path in a deployment directory (read from {@link staticNixDir}). */
export function staticNixModules(): Map<string, string> {
  const dir = staticNixDir();
  const files = new Map<string, string>();
  for (const rel of Object.values(STATIC_NIX_FILES)) {
    files.set(rel, readFileSync(join(dir, rel.slice("nix/".length)), "utf8"));
  }
  return files;
}
