import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";

/** Options of {@link runProcessTree}. */
export interface ProcessTreeOptions {
  /** Working directory. */
  cwd: string;
  /** Complete environment of the process. */
  env: NodeJS.ProcessEnv;
  /** Aborting it stops the whole process tree. */
  signal?: AbortSignal;
  /** After SIGTERM, how long the tree may take to exit before it gets SIGKILL, in milliseconds. */
  killGraceMs: number;
  /** Called with each line of output as it arrives (without the newline). */
  onLine: (stream: "stdout" | "stderr", line: string) => void;
}

/** How a process run ended. */
export interface ProcessTreeResult {
  /** Exit code, when the process exited normally. */
  exitCode: number | undefined;
  /** Signal that ended the process, if any. */
  signal: string | undefined;
  /** True when the run was cancelled through the abort signal (the tree was then stopped). */
  cancelled: boolean;
  /** The spawn error code (`ENOENT`, `EACCES`, …) when the process could not be started at all. */
  spawnErrorCode?: string;
  /** Wall-clock duration in milliseconds. */
  durationMs: number;
}

/** How long to wait for output pipes to drain after the process exited (a grandchild may still hold them). */
const DRAIN_MS = 1000;
const POLL_MS = 50;

/**
 * True while any live (non-zombie) process is in process group `pgid`. Reads /proc where it exists, because a
 * killed grandchild may stay a zombie when PID 1 does not reap orphans; elsewhere asks the kernel with signal 0.
 */
export function processGroupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp …"; comm may contain spaces and parentheses, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (!processGroupAlive(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * Stops every process in group `pgid`: SIGTERM, then SIGKILL for whatever is still alive after `graceMs`.
 * Resolves once the group is gone (or, at worst, shortly after SIGKILL).
 */
export async function terminateProcessGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, "SIGTERM");
  if (await waitGroupGone(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await waitGroupGone(pgid, 2000);
}

/**
 * Runs `file` with `args` in its own process group (spawned detached, stdin closed), streams its output line by line
 * and, when `signal` aborts, stops the whole group — the command and everything it started. Never rejects: a
 * process that cannot be started is reported through `spawnErrorCode`.
 */
export function runProcessTree(
  file: string,
  args: readonly string[],
  options: ProcessTreeOptions,
): Promise<ProcessTreeResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let cancelled = false;
    let stopping: Promise<void> | undefined;
    let settled = false;

    const onAbort = (): void => {
      if (cancelled || child.pid === undefined) return;
      cancelled = true;
      stopping = terminateProcessGroup(child.pid, options.killGraceMs);
    };

    const streamsClosed = Promise.all(
      (["stdout", "stderr"] as const).map(
        (name) =>
          new Promise<void>((done) => {
            const stream = child[name];
            const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
            lines.on("line", (line) => options.onLine(name, line));
            lines.on("close", () => done());
            stream.on("error", () => done());
          }),
      ),
    );

    const finish = (result: Omit<ProcessTreeResult, "durationMs">): void => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      resolve({ ...result, durationMs: Math.round(performance.now() - started) });
    };

    child.once("error", (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) {
        finish({ exitCode: undefined, signal: undefined, cancelled: false, spawnErrorCode: error.code ?? "UNKNOWN" });
      }
    });

    child.once("exit", (code, signal) => {
      void (async () => {
        const drained = await Promise.race([streamsClosed.then(() => true), sleep(DRAIN_MS).then(() => false)]);
        if (stopping) await stopping;
        if (!drained) {
          await Promise.race([streamsClosed, sleep(DRAIN_MS)]);
          child.stdout.destroy();
          child.stderr.destroy();
        }
        finish({ exitCode: code ?? undefined, signal: signal ?? undefined, cancelled });
      })();
    });

    if (options.signal) {
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener("abort", onAbort, { once: true });
    }
  });
}
