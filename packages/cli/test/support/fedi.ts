// Runs the built `fedi` binary as a subprocess, the way users run it.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";

/** The repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../../../..", import.meta.url)));
/** The built binary. */
export const FEDI_BIN = join(REPO_ROOT, "packages/cli/dist/bin.js");
/** The examples folder. */
export const EXAMPLES = join(REPO_ROOT, "examples");

/** Result of a run. */
export interface FediRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The test process's environment without anything that changes colours or injects code into Node. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(NO_COLOR|FORCE_COLOR|NODE_OPTIONS|VITEST.*|TERM)$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** Runs `node dist/bin.js ...args` (no shell) and returns its exit code and output. */
export async function fedi(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Promise<FediRun> {
  const result = await execa(process.execPath, [FEDI_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: cleanEnv(options.env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: false,
    timeout: 120_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder and a function that removes it. */
export async function tempDir(prefix = "fedi-cli-"): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
