// Runs publint and @arethetypeswrong/cli on every workspace package (after `npm run build`), and checks that each
// package's declarations import only packages it declares (dependencies or peerDependencies; Node's modules need
// `@types/node`): a consumer compiling with `skipLibCheck: false` must not need anything else.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
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
}
process.exit(failed ? 1 : 0);

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
