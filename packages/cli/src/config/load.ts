import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import { FediError, type FediIssue, formatPath, isFediError, type Plugin } from "@fediversity/core";
import { createJiti } from "jiti";
import { withConsoleOnStderr } from "../terminal/console.js";
import type { DeploymentConfig } from "./define.js";

/** How long loading and evaluating a config may take by default (ms); `FEDI_CONFIG_TIMEOUT_MS` changes it. */
export const DEFAULT_CONFIG_TIMEOUT_MS = 30_000;

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
  /**
   * How long loading the file, awaiting its default export and calling it may take, in ms. Default
   * {@link DEFAULT_CONFIG_TIMEOUT_MS}. A config that never settles (a promise that never resolves) fails with
   * `CONFIG_TIMEOUT` instead of hanging.
   */
  timeoutMs?: number;
}

/**
 * Loads a config file: JSON as is; `.ts`, `.mts`, `.mjs`, `.js` and `.cjs` through jiti (TypeScript without a build
 * step). The default export is the config, a promise of it, or a (possibly async) function returning it. While the
 * file loads and runs, its `console` output goes to stderr (stdout carries only the command's results). The config is
 * copied into plain data once, so that getters and proxies run only here: what they throw is reported with its field
 * path, and validation and planning see the same values.
 * @throws FediError `CONFIG_LOAD_FAILED` when the file cannot be read, does not run, exports no config or has fields
 * that cannot be read; `CONFIG_TIMEOUT` when it does not settle within `timeoutMs`.
 */
export async function loadConfig(path: string, options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONFIG_TIMEOUT_MS;
  return withConsoleOnStderr(() => withinTime(path, timeoutMs, () => evaluate(path, options)));
}

async function evaluate(path: string, options: LoadConfigOptions): Promise<LoadedConfig> {
  const exported = path.endsWith(".json") ? await loadJson(path) : await loadModule(path, options);
  let value: unknown = exported;
  if (typeof value === "function") {
    try {
      value = await (value as () => unknown)();
    } catch (error) {
      throw loadFailed(path, error, "its default export (a function) threw");
    }
  } else if (isThenable(value)) {
    try {
      value = await value;
    } catch (error) {
      throw loadFailed(path, error, "its default export (a promise) was rejected");
    }
  }
  let isObject: boolean;
  try {
    isObject = value !== null && typeof value === "object" && !Array.isArray(value);
  } catch (error) {
    throw loadFailed(path, error, "its default export cannot be inspected");
  }
  if (!isObject) {
    throw new FediError(
      "CONFIG_LOAD_FAILED",
      `${basename(path)} does not export a deployment (its default export is ${describe(value)}).`,
      {
        hint: "Write `export default defineDeployment({ name, machines, storage, services })` (or a JSON object in a .json file).",
        details: { path },
      },
    );
  }
  const issues: FediIssue[] = [];
  const { plugins, ...spec } = plainCopy(value, [], new Set(), issues, true) as DeploymentConfig &
    Record<string, unknown>;
  if (issues.length > 0) {
    throw new FediError(
      "CONFIG_LOAD_FAILED",
      `${basename(path)} has ${issues.length} field${issues.length === 1 ? "" : "s"} that cannot be read.`,
      {
        issues,
        hint: "A config is plain data: replace the getters or proxies at the paths above by plain values.",
        details: { path },
      },
    );
  }
  if (plugins !== undefined && !Array.isArray(plugins)) {
    throw new FediError("CONFIG_LOAD_FAILED", `'plugins' in ${basename(path)} is not a list.`, {
      issues: [{ path: "plugins", message: "must be a list of plugins made with defineService or defineStorage" }],
      hint: "Write `plugins: [myPlugin]`.",
      details: { path },
    });
  }
  return { path, dir: dirname(path), spec, plugins: [...(plugins ?? [])] };
}

/** Runs `fn`, failing with `CONFIG_TIMEOUT` when it has not settled after `ms` (the timer keeps the process alive). */
async function withinTime<T>(path: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new FediError(
          "CONFIG_TIMEOUT",
          `${basename(path)} did not finish loading within ${formatMs(ms)}: it (or a promise it awaits) never settles.`,
          {
            hint: `Make sure every promise in ${path} resolves (a default export function must return the config); set FEDI_CONFIG_TIMEOUT_MS to allow a slow config more time.`,
            details: { path, timeoutMs: ms },
          },
        ),
      );
    }, ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A copy of the config as plain data: plain objects and arrays are copied (reading every field once), anything else
 * (functions, class instances such as plugins' zod schemas) is kept as it is. A field whose getter or proxy trap
 * throws, and a cycle, becomes an issue at its path. `plugins` at the top level is copied as a list only.
 */
function plainCopy(
  value: unknown,
  path: Array<string | number>,
  ancestors: Set<object>,
  issues: FediIssue[],
  top = false,
): unknown {
  if (value === null || typeof value !== "object") return value;
  const at = formatPath(path) || "(the config)";
  let keys: string[];
  let array: boolean;
  try {
    array = Array.isArray(value);
    const proto = array ? Array.prototype : Object.getPrototypeOf(value);
    if (!array && proto !== Object.prototype && proto !== null) return value;
    keys = array ? Array.from({ length: (value as unknown[]).length }, (_, i) => String(i)) : Object.keys(value);
  } catch (error) {
    issues.push({ path: at, message: `cannot be read: ${reason(error)}` });
    return undefined;
  }
  if (ancestors.has(value)) {
    issues.push({ path: at, message: "contains itself (a cycle); a config is a tree of plain values" });
    return undefined;
  }
  ancestors.add(value);
  const out: Record<string, unknown> | unknown[] = array ? [] : {};
  for (const key of keys) {
    const part = array ? Number(key) : key;
    let field: unknown;
    try {
      field = (value as Record<string, unknown>)[key];
    } catch (error) {
      issues.push({ path: formatPath([...path, part]), message: `reading it threw: ${reason(error)}` });
      continue;
    }
    let copied: unknown;
    try {
      copied =
        top && key === "plugins" && Array.isArray(field)
          ? [...field]
          : plainCopy(field, [...path, part], ancestors, issues);
    } catch (error) {
      issues.push({ path: formatPath([...path, part]), message: `cannot be read: ${reason(error)}` });
      continue;
    }
    Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
  }
  ancestors.delete(value);
  return out;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return (
      value !== null &&
      (typeof value === "object" || typeof value === "function") &&
      typeof (value as { then?: unknown }).then === "function"
    );
  } catch {
    return false;
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error);
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
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
