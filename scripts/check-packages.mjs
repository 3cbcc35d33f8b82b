// Runs publint and @arethetypeswrong/cli on every workspace package (after `npm run build`), and checks that each
// package's declarations import only packages it declares (dependencies or peerDependencies; Node's modules need
// `@types/node`): a consumer compiling with `skipLibCheck: false` must not need anything else. It also checks that
// every package whose code a CommonJS build bundled (esbuild's `// node_modules/<name>/...` markers in `dist/*.cjs`)
// is named, with its licence, in the package's `dist/THIRD-PARTY-NOTICES.md`.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";

const root = JSON.parse(readFileSync("package.json", "utf8"));
let failed = false;
for (const dir of root.workspaces) {
  for (const [tool, args] of [
    ["publint", ["publint", "--strict", dir]],
    ["attw", ["attw", "--pack", dir, "--profile", "node16", "--format", "ascii"]],
  ]) {
    try {
      execFileSync("npx", ["--no-install", ...args], { stdio: "pipe", encoding: "utf8" });
      console.log(`ok   ${tool} ${dir}`);
    } catch (error) {
      failed = true;
      console.log(`FAIL ${tool} ${dir}\n${error.stdout ?? ""}${error.stderr ?? ""}`);
    }
  }
  const undeclared = undeclaredDeclarationImports(dir);
  if (undeclared.length === 0) console.log(`ok   declarations ${dir}`);
  else {
    failed = true;
    console.log(`FAIL declarations ${dir}\n${undeclared.map((line) => `  ${line}`).join("\n")}`);
  }
  const unnoticed = bundledWithoutNotice(dir);
  if (unnoticed.length === 0) console.log(`ok   third-party notices ${dir}`);
  else {
    failed = true;
    console.log(`FAIL third-party notices ${dir}\n${unnoticed.map((line) => `  ${line}`).join("\n")}`);
  }
}
process.exit(failed ? 1 : 0);

/** Packages bundled into `dir/dist/*.cjs` that `dir/dist/THIRD-PARTY-NOTICES.md` does not name. */
function bundledWithoutNotice(dir) {
  const dist = join(dir, "dist");
  const bundled = new Set();
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".cjs")) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), "utf8");
    for (const match of text.matchAll(/^\/\/ (?:\.\.\/)*node_modules\/((?:@[^/\s]+\/)?[^/\s]+)\//gm))
      bundled.add(match[1]);
  }
  const noticesFile = join(dist, "THIRD-PARTY-NOTICES.md");
  if (!existsSync(noticesFile)) return [`${noticesFile} is missing (the CommonJS build writes it)`];
  const notices = readFileSync(noticesFile, "utf8");
  return [...bundled]
    .filter((name) => !notices.includes(`\n## ${name} `))
    .map((name) => `dist/*.cjs bundles ${name}, which ${noticesFile} does not name`);
}

/** The imports in `dir/dist`'s declaration files of packages that `dir/package.json` does not declare. */
function undeclaredDeclarationImports(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const problems = [];
  for (const file of declarationFiles(join(dir, "dist"))) {
    // Comments hold examples (`import ... from "@fediversity/cli"`) that are no imports.
    const text = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const specifiers = [
      ...text.matchAll(/\bfrom\s+["']([^"']+)["']/g),
      ...text.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
      ...text.matchAll(/^\s*import\s+["']([^"']+)["']/gm),
      ...text.matchAll(/\/\/\/\s*<reference\s+types=["']([^"']+)["']/g),
    ].map((match) => match[1]);
    for (const specifier of new Set(specifiers)) {
      if (specifier.startsWith(".")) continue;
      const needed = isBuiltin(specifier) || specifier === "node" ? "@types/node" : packageName(specifier);
      if (!declared.has(needed))
        problems.push(`${file} imports '${specifier}', but ${pkg.name} does not declare ${needed}`);
    }
  }
  return problems;
}

function packageName(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function declarationFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.d\.[cm]?ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}
