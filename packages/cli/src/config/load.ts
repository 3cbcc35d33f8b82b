import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { FediError, isFediError, type Plugin } from "@fediversity/core";
import { createJiti } from "jiti";
import type { DeploymentConfig } from "./define.js";

/** A loaded config: where it is, the spec it describes and the extra plugins it registers. */
export interface LoadedConfig {
  /** Absolute path of the config file. */
  path: string;
  /** Directory of the config file (default base of `.fedi/` and `deploy/`). */
  dir: string;
  /** The deployment spec (the config without `plugins`), not yet validated. */
  spec: Record<string, unknown>;
  /** Third-party plugins the config registers. */
  plugins: Plugin[];
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /**
   * Module aliases for the config's imports. The CLI maps `@fediversity/cli` to its own library entry, so a config
   * loads even where `@fediversity/cli` is not installed next to it (e.g. right after `fedi init`).
   */
  alias?: Record<string, string>;
}

/**
 * Loads a config file: JSON as is; `.ts`, `.mts`, `.mjs`, `.js` and `.cjs` through jiti (TypeScript without a build
 * step). The default export is the config, or a (possibly async) function returning it.
 * @throws FediError `CONFIG_LOAD_FAILED` when the file cannot be read, does not run, or exports no config.
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const exported = path.endsWith(".json") ? await loadJson(path) : await loadModule(path, options);
  let value: unknown = exported;
  if (typeof value === "function") {
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      throw loadFailed(path, error, "its default export (a function) threw");
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FediError(
      "CONFIG_LOAD_FAILED",
      `${basename(path)} does not export a deployment (its default export is ${describe(value)}).`,
      {
        hint: "Write `export default defineDeployment({ name, machines, storage, services })` (or a JSON object in a .json file).",
        details: { path },
      },
    );
  }
  const { plugins, ...spec } = value as DeploymentConfig & Record<string, unknown>;
  if (plugins !== undefined && !Array.isArray(plugins)) {
    throw new FediError("CONFIG_LOAD_FAILED", `'plugins' in ${basename(path)} is not a list.`, {
      issues: [{ path: "plugins", message: "must be a list of plugins made with defineService or defineStorage" }],
      hint: "Write `plugins: [myPlugin]`.",
      details: { path },
    });
  }
  return { path, dir: dirname(path), spec, plugins: [...(plugins ?? [])] };
}

async function loadJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw loadFailed(path, error, "it cannot be read");
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw loadFailed(path, error, "it is not valid JSON");
  }
}

async function loadModule(path: string, options: LoadConfigOptions): Promise<unknown> {
  const jiti = createJiti(path, {
    alias: options.alias ?? {},
    fsCache: false,
    moduleCache: false,
    interopDefault: false,
  });
  let module: Record<string, unknown>;
  try {
    module = await jiti.import<Record<string, unknown>>(path);
  } catch (error) {
    if (isFediError(error)) throw error;
    throw loadFailed(path, error, "it failed to load");
  }
  // `export default ...` in ESM and TypeScript; `module.exports = ...` in CommonJS (jiti exposes it as `default`).
  return module.default;
}

function loadFailed(path: string, error: unknown, why: string): FediError {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new FediError("CONFIG_LOAD_FAILED", `${basename(path)} could not be loaded: ${why}: ${reason}`, {
    cause: error,
    hint: `Fix ${path} (run with --debug for the full error).`,
    details: { path },
  });
}

function describe(value: unknown): string {
  if (value === undefined) return "missing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return `a ${typeof value}`;
}
