/**
 * Runs the benchmarks: every `bench/*.bench.ts` module, or only those named on the command line
 * (`npm run bench -- nix-printer`). Each module's default export is an async function that prints its figures.
 */
import { readdir } from "node:fs/promises";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";

const SUFFIX = ".bench.ts";

async function main(): Promise<number> {
  const folder = fileURLToPath(new URL(".", import.meta.url));
  const available = (await readdir(folder)).filter((f) => f.endsWith(SUFFIX)).sort();
  const names = available.map((f) => basename(f, SUFFIX));
  const wanted = process.argv.slice(2).map((arg) => basename(arg).replace(/\.bench\.ts$/, ""));
  const unknown = wanted.filter((w) => !names.includes(w));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${names.join(", ")}.`);
    return 2;
  }
  const selected = wanted.length > 0 ? names.filter((n) => wanted.includes(n)) : names;
  if (typeof globalThis.gc !== "function") console.log("(run with --expose-gc for steadier figures)");
  for (const name of selected) {
    console.log(`\n== ${name}`);
    const module = (await import(new URL(`./${name}${SUFFIX}`, import.meta.url).href)) as { default?: unknown };
    if (typeof module.default !== "function") {
      console.error(`bench/${name}${SUFFIX} has no default export function.`);
      return 1;
    }
    await (module.default as () => Promise<void>)();
  }
  return 0;
}

process.exitCode = await main();
