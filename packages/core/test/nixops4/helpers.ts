import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { prepareDeploymentRepo } from "../../src/nixops4/index.js";

/** Absolute path of the nixops4 test double. */
export const DOUBLE = join(dirname(fileURLToPath(import.meta.url)), "..", "doubles", "nixops4-double.mjs");

/** A temporary deployment directory: flake.nix + members.json committed with prepareDeploymentRepo. */
export interface Deployment {
  /** The deployment directory (a clean git repository). */
  dir: string;
  /** The double's invocation log (FEDI_NIXOPS4_DOUBLE_LOG). */
  log: string;
  cleanup(): Promise<void>;
  /** The records the double appended to its log. */
  invocations(): Array<Record<string, unknown>>;
}

export async function makeDeployment(members: Record<string, string>): Promise<Deployment> {
  const root = await mkdtemp(join(tmpdir(), "fedi-nixops4-"));
  const dir = join(root, "deployment");
  const log = join(root, "invocations.jsonl");
  await mkdir(dir);
  await writeFile(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
  await writeFile(join(dir, "members.json"), `${JSON.stringify(members)}\n`);
  await prepareDeploymentRepo(dir, { message: "test deployment", files: ["flake.nix", "members.json"] });
  return {
    dir,
    log,
    cleanup: () => rm(root, { recursive: true, force: true }),
    invocations: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Record<string, unknown>)
        : [],
  };
}

/** True when `pid` names a live process (a zombie counts as dead). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const state = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[0];
    return state !== "Z" && state !== "X";
  } catch {
    return true;
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `ms`. */
export async function waitFor<T>(check: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await sleep(20);
  }
}
