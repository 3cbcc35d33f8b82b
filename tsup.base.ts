import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Options } from "tsup";

/**
 * Shared tsup settings: every package ships ESM + CJS with declarations for both, one build per format (returned as
 * a list for `defineConfig`). `entry` maps output names (e.g. `nix/index`) to source files.
 *
 * The CommonJS build bundles the dependencies that cannot be `require`d (ESM-only packages such as `execa`, with
 * everything they import): CommonJS loaders (tsx, ts-node, jest, older Node) fail on `require` of an ES module.
 * The ESM build keeps every dependency external. The CommonJS build also writes `dist/THIRD-PARTY-NOTICES.md`: the
 * name, version, licence and licence text of each package it bundles, which their licences (MIT and the like) ask a
 * copy of their code to carry.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options[] {
  const formats = [extra.format ?? ["esm", "cjs"]].flat();
  return formats.map((format, index) => ({
    entry,
    dts: { compilerOptions: { customConditions: [] } },
    sourcemap: true,
    target: "node20",
    platform: "node",
    splitting: true,
    treeshake: true,
    shims: false,
    ...extra,
    // The CommonJS build bundles the ESM-only dependencies (with what a package's own config adds).
    ...(format === "cjs"
      ? {
          noExternal: [...esmOnlyDependencies(process.cwd()).map(packagePattern), ...(extra.noExternal ?? [])],
          onSuccess: async () => {
            if (typeof extra.onSuccess === "function") await extra.onSuccess();
            writeThirdPartyNotices(process.cwd());
          },
        }
      : {}),
    format: [format],
    // The builds run at the same time: only the first one empties dist/ (before either writes).
    clean: (extra.clean ?? true) && index === 0,
  }));
}

/** Name of the file that lists the packages a CommonJS build bundles, with their licences. */
export const THIRD_PARTY_NOTICES = "THIRD-PARTY-NOTICES.md";

/**
 * Writes `dist/THIRD-PARTY-NOTICES.md` of the package in `dir`: for each package its CommonJS build bundles (see
 * {@link esmOnlyDependencies}), its name, version, declared licence and the text of its licence file. Without bundled
 * packages the file says so.
 */
export function writeThirdPartyNotices(dir: string): void {
  const sections = esmOnlyDependencies(dir).map((name) => {
    const found = findPackage(name, dir);
    if (!found) return `## ${name}\n\n(not installed when this package was built)\n`;
    const pkg = found.pkg as PackageJson & { version?: string; license?: string };
    const licenceFile = readdirSync(found.dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = licenceFile ? readFileSync(join(found.dir, licenceFile), "utf8").trim() : "(no licence file shipped)";
    return `## ${name} ${pkg.version ?? ""}\n\nLicence: ${pkg.license ?? "not declared"}\n\n\`\`\`text\n${text}\n\`\`\`\n`;
  });
  const intro =
    sections.length > 0
      ? "The CommonJS build (`*.cjs`) of this package includes code of the packages below, under their licences.\n"
      : "The CommonJS build (`*.cjs`) of this package includes no code of other packages.\n";
  writeFileSync(join(dir, "dist", THIRD_PARTY_NOTICES), `# Third-party notices\n\n${intro}\n${sections.join("\n")}`);
}

/** Matches imports of a package and of its subpaths (`name`, `name/sub`). */
function packagePattern(name: string): RegExp {
  return new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:/|$)`);
}

interface PackageJson {
  type?: string;
  main?: string;
  exports?: unknown;
  dependencies?: Record<string, string>;
}

/**
 * The ESM-only packages among the dependencies of the package in `dir`, and every package they depend on
 * (transitively): what its CommonJS build must bundle so that it `require`s none of them (a package a bundled one
 * depends on is not a dependency of ours, so it need not be reachable from our package under strict installers).
 */
export function esmOnlyDependencies(dir: string): string[] {
  const bundled = new Set<string>();
  const own = readPackageJson(join(dir, "package.json"));
  for (const name of Object.keys(own.dependencies ?? {})) {
    const found = findPackage(name, dir);
    if (found && !requirable(found.pkg)) addTree(name, found.dir, bundled);
  }
  return [...bundled].sort();
}

function addTree(name: string, dir: string, into: Set<string>): void {
  if (into.has(name)) return;
  into.add(name);
  const pkg = readPackageJson(join(dir, "package.json"));
  for (const dependency of Object.keys(pkg.dependencies ?? {})) {
    const found = findPackage(dependency, dir);
    if (found) addTree(dependency, found.dir, into);
  }
}

/** Finds an installed package as Node does: in `node_modules` of `from` and of each folder above it. */
function findPackage(name: string, from: string): { dir: string; pkg: PackageJson } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json")))
      return { dir: candidate, pkg: readPackageJson(join(candidate, "package.json")) };
    if (dirname(dir) === dir) return undefined;
  }
}

function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, "utf8")) as PackageJson;
}

/** True when `require(name)` loads a CommonJS file: the `require` entry of its exports map, or its `main`. */
function requirable(pkg: PackageJson): boolean {
  const target = pkg.exports === undefined ? (pkg.main ?? "index.js") : requireTarget(rootExport(pkg.exports));
  if (target === undefined) return false;
  if (target.endsWith(".cjs")) return true;
  if (target.endsWith(".mjs")) return false;
  return pkg.type !== "module";
}

function rootExport(exports: unknown): unknown {
  if (exports && typeof exports === "object" && !Array.isArray(exports)) {
    const keys = Object.keys(exports);
    if (keys.some((key) => key.startsWith("."))) return (exports as Record<string, unknown>)["."];
  }
  return exports;
}

const REQUIRE_CONDITIONS = new Set(["node", "require", "default"]);

function requireTarget(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (Array.isArray(entry)) {
    for (const item of entry) {
      const target = requireTarget(item);
      if (target !== undefined) return target;
    }
    return undefined;
  }
  if (entry && typeof entry === "object") {
    for (const [condition, value] of Object.entries(entry)) {
      if (!REQUIRE_CONDITIONS.has(condition)) continue;
      const target = requireTarget(value);
      if (target !== undefined) return target;
    }
  }
  return undefined;
}
