import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { FediError } from "@fediversity/core";

/** Config file names `fedi` looks for, in order of preference (as Vite and Vitest do for their configs). */
export const CONFIG_FILE_NAMES = [
  "fedi.config.ts",
  "fedi.config.mts",
  "fedi.config.mjs",
  "fedi.config.js",
  "fedi.config.cjs",
  "fedi.config.json",
] as const;

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function configIn(dir: string): Promise<string | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const candidate = join(dir, name);
    if (await isFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the config file: `explicit` (a file, or a directory holding one of {@link CONFIG_FILE_NAMES}) resolved against
 * `cwd`, else the first directory from `cwd` upward that holds one.
 * @throws FediError `CONFIG_NOT_FOUND`.
 */
export async function findConfigFile(cwd: string, explicit?: string): Promise<string> {
  if (explicit !== undefined) {
    const path = resolve(cwd, explicit);
    if (await isFile(path)) return path;
    if (await isDirectory(path)) {
      const found = await configIn(path);
      if (found) return found;
      throw new FediError("CONFIG_NOT_FOUND", `The directory ${path} holds no config file.`, {
        hint: `Create one of ${CONFIG_FILE_NAMES.join(", ")} there (\`fedi init --dir ${explicit}\` writes a starting point).`,
      });
    }
    throw new FediError("CONFIG_NOT_FOUND", `The config file ${path} does not exist.`, {
      hint: "Check the path given with --config.",
    });
  }
  let dir = resolve(cwd);
  for (;;) {
    const found = await configIn(dir);
    if (found) return found;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new FediError("CONFIG_NOT_FOUND", `No fedi.config.* file in ${resolve(cwd)} or any directory above it.`, {
    hint: "Run `fedi init` to write one here, or pass --config <file>.",
  });
}
