// Runs publint and @arethetypeswrong/cli on every workspace package (after `npm run build`).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

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
}
process.exit(failed ? 1 : 0);
