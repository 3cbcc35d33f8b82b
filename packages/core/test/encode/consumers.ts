/**
 * The real consumers of the formats in src/encode, run as child processes on files the tests write:
 * - bash (`set -a; source FILE`, as nixpkgs' `mastodon-tootctl` does with the module's env file and `extraEnvFiles`);
 * - systemd's own EnvironmentFile parser, `load_env_file()` of libsystemd-shared (consumers/systemd-load-env-file.py);
 * - vlucas/phpdotenv, Debian's `php-vlucas-phpdotenv` run by `php-cli` (consumers/phpdotenv-load.php).
 * Each returns what the consumer defined; none is a re-implementation.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const here = new URL("./consumers/", import.meta.url).pathname;
const MAX_BUFFER = 64 * 1024 * 1024;

/** A scratch folder with a canary path that a command injected into a value would create (`touch <canary>`). */
export interface Scratch {
  /** The folder. */
  dir: string;
  /** A path that must never exist: values embed `touch <canary>` in every shell syntax. */
  canary: string;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/** Makes a {@link Scratch} folder under the system's temporary directory (no spaces in the path). */
export async function scratch(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), "fedi-encode-"));
  return { dir, canary: join(dir, "canary"), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Parses `env -0` output into a map. */
function parseEnv0(out: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of out.split("\0")) {
    if (entry === "") continue;
    const eq = entry.indexOf("=");
    env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/**
 * What bash exports after `set -a; source FILE` (each file in order) in an empty environment, without the variables
 * bash itself sets (PWD, SHLVL, `_`, measured by sourcing nothing).
 */
export async function bashSource(files: string[], cwd: string): Promise<Map<string, string>> {
  const script = 'set -a; while [ $# -gt 0 ]; do source "$1"; shift; done; set +a; exec env -0';
  const go = async (args: string[]) =>
    parseEnv0(
      (
        await run("env", ["-i", "/bin/bash", "--norc", "--noprofile", "-c", script, "bash", ...args], {
          cwd,
          maxBuffer: MAX_BUFFER,
          encoding: "utf8",
        })
      ).stdout,
    );
  const baseline = await go([]);
  const env = await go(files);
  for (const key of baseline.keys()) env.delete(key);
  return env;
}

/** True when systemd's shared library (and so its EnvironmentFile parser) is on this machine. */
export function systemdParserAvailable(): boolean {
  return (
    existsSync("/usr/bin/python3") &&
    [
      "/usr/lib/x86_64-linux-gnu/systemd",
      "/usr/lib/aarch64-linux-gnu/systemd",
      "/usr/lib/systemd",
      "/lib/systemd",
    ].filter((d) => existsSync(d)).length > 0
  );
}

/** What systemd's `load_env_file()` defines from FILE, as `NAME=value` strings in file order. */
export async function systemdLoadEnvFile(file: string): Promise<string[]> {
  const { stdout } = await run("/usr/bin/python3", [join(here, "systemd-load-env-file.py"), file], {
    maxBuffer: MAX_BUFFER,
    encoding: "utf8",
  });
  const result = JSON.parse(stdout) as { ok: boolean; env: string[] };
  if (!result.ok) throw new Error(`load_env_file failed: ${stdout}`);
  return result.env;
}

/** True when PHP and Debian's phpdotenv are on this machine. */
export function phpdotenvAvailable(): boolean {
  return existsSync("/usr/bin/php") && existsSync("/usr/share/php/Dotenv/autoload.php");
}

/** What phpdotenv defines from FILE; throws with phpdotenv's message when it refuses the file. */
export async function phpdotenvLoad(file: string, dir: string): Promise<Map<string, string>> {
  let stdout: string;
  try {
    ({ stdout } = await run("/usr/bin/php", [join(here, "phpdotenv-load.php"), dir, file], {
      maxBuffer: MAX_BUFFER,
      encoding: "utf8",
    }));
  } catch (error) {
    throw new Error(`phpdotenv refused the file: ${(error as { stdout?: string }).stdout ?? String(error)}`);
  }
  const result = JSON.parse(stdout) as { ok: boolean; env: Record<string, string> };
  return new Map(Object.entries(result.env));
}

/** Writes `text` to `name` in `dir` and returns the path. */
export async function writeText(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, "utf8");
  return path;
}
