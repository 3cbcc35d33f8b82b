/**
 * Writes `docs/configuration.md` from the zod schemas (see `config-reference-render.ts`).
 *
 * Usage: `node --conditions=source --import tsx scripts/config-reference.ts [--check] [--file PATH]`
 * (`npm run docs:config`). With `--check` nothing is written: it exits 1 when the file differs from what the schemas
 * give. `--file` names another file than `docs/configuration.md` (for tests).
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "@fediversity/core";
import { renderConfigReference } from "./config-reference-render.js";

/** Where the reference lives, relative to the repository root. */
const TARGET = "docs/configuration.md";

const USAGE = "usage: config-reference.ts [--check] [--file PATH]";

/** Reads the committed reference, or undefined when there is none. */
async function readCurrent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Runs the command; returns the exit code. */
async function main(args: readonly string[]): Promise<number> {
  let check = false;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--check") check = true;
    else if (arg === "--file" && args[i + 1] !== undefined) file = args[++i];
    else {
      process.stderr.write(`config-reference: unexpected argument ${arg}\n${USAGE}\n`);
      return 2;
    }
  }
  const path = file === undefined ? fileURLToPath(new URL(`../${TARGET}`, import.meta.url)) : resolve(file);
  const name = file ?? TARGET;
  const expected = renderConfigReference();
  if (check) {
    const current = await readCurrent(path);
    if (current === expected) {
      process.stdout.write(`${name} is up to date\n`);
      return 0;
    }
    process.stderr.write(
      `${name} is ${current === undefined ? "missing" : "out of date"}: it does not match the zod schemas.\n` +
        "hint: run `npm run docs:config` and commit the result\n",
    );
    return 1;
  }
  await writeFileAtomic(path, expected);
  process.stdout.write(`wrote ${name}\n`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
