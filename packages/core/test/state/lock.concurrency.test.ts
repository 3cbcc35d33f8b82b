// The state lock under contention, across real processes: 24 node processes race for one lock in each of 10 trials
// (half of them starting from a stale lock left by a dead process, in the current and in the old pid-only format).
// Each holder appends `enter` and `leave` with a system-wide monotonic timestamp to one O_APPEND log and increments a
// counter file by read-modify-write; no two holdings may overlap and no increment may be lost.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostTag } from "../../src/util/temp-files.js";
import { bundleForChild } from "../fixtures/bundle.js";

const PROCESSES = 24;
const TRIALS = 10;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-lock-race-"));
  // Plain JavaScript for the children (no TypeScript loader per process: 24 of them start at once).
  await bundleForChild(resolve(import.meta.dirname, "../../src/state/store.ts"), join(dir, "bundle"));
  await writeFile(
    join(dir, "child.mjs"),
    `
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { StateStore } from "./bundle/store.mjs";
const [stateDir, control, id, trials] = process.argv.slice(2);
const log = \`\${control}/log\`;
const counter = \`\${control}/counter\`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const store = new StateStore(stateDir);
for (let t = 0; t < Number(trials); t++) {
  while (!existsSync(\`\${control}/go-\${t}\`)) await sleep(3);
  for (;;) {
    try {
      await store.withLock(async () => {
        appendFileSync(log, \`\${t} \${id} enter \${process.hrtime.bigint()}\\n\`);
        const n = Number(readFileSync(counter, "utf8"));
        await sleep(1);
        writeFileSync(counter, String(n + 1));
        appendFileSync(log, \`\${t} \${id} leave \${process.hrtime.bigint()}\\n\`);
      }, { command: \`race \${id}\`, waitMs: 30000 });
      break;
    } catch (error) {
      if (error?.code !== "STATE_LOCKED") throw error;
      await sleep(Math.random() * 5);
    }
  }
  writeFileSync(\`\${control}/done-\${t}-\${id}\`, "");
}
`,
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""]);
  await new Promise((r) => child.on("exit", r));
  return child.pid!;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the children");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the state lock with 24 concurrent processes", () => {
  it("never lets two processes hold it at once, in 10 trials, and takes over stale locks", async () => {
    const stateDir = join(dir, "state");
    const control = join(dir, "control");
    await rm(control, { recursive: true, force: true });
    await mkdir(control, { recursive: true });
    await writeFile(join(control, "counter"), "0");
    const children = Array.from({ length: PROCESSES }, (_, id) => {
      const child = spawn(process.execPath, [join(dir, "child.mjs"), stateDir, control, String(id), String(TRIALS)], {
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += String(d)));
      return {
        child,
        exited: new Promise<{ code: number | null; stderr: string }>((r) =>
          child.on("exit", (code) => r({ code, stderr })),
        ),
      };
    });
    let finished = false;
    try {
      for (let t = 0; t < TRIALS; t++) {
        if (t % 2 === 1) {
          const pid = await deadPid();
          // A stale lock of a killed run, and the temporary lock file it left.
          const stale =
            t % 4 === 1
              ? `${pid}\n`
              : `${JSON.stringify({ pid, host: hostname(), startedAt: "2026-01-01T00:00:00Z", command: "killed", token: `t${t}` })}\n`;
          await mkdir(stateDir, { recursive: true });
          await writeFile(join(stateDir, "state.lock"), stale);
          await writeFile(join(stateDir, `.state.lock.fedi-${hostTag()}-${pid}-0123456789ab.tmp`), "partial");
        }
        await writeFile(join(control, `go-${t}`), "");
        await until(() => {
          for (let id = 0; id < PROCESSES; id++) if (!existsSync(join(control, `done-${t}-${id}`))) return false;
          return true;
        }, 60_000);
      }
      finished = true;
    } finally {
      if (!finished) for (const { child } of children) if (child.exitCode === null) child.kill("SIGKILL");
    }
    for (const { exited } of children) {
      const { code, stderr } = await exited;
      expect(stderr).toBe("");
      expect(code).toBe(0);
    }

    const lines = (await readFile(join(control, "log"), "utf8")).trim().split("\n");
    expect(lines).toHaveLength(2 * PROCESSES * TRIALS);
    let overlaps = 0;
    for (let t = 0; t < TRIALS; t++) {
      const spans = new Map<string, { enter: bigint; leave: bigint }>();
      for (const line of lines) {
        const [trial, id, what, at] = line.split(" ");
        if (Number(trial) !== t) continue;
        const span = spans.get(id!) ?? { enter: -1n, leave: -1n };
        span[what as "enter" | "leave"] = BigInt(at!);
        spans.set(id!, span);
      }
      expect(spans.size).toBe(PROCESSES);
      const sorted = [...spans.values()].sort((a, b) => (a.enter < b.enter ? -1 : 1));
      for (let i = 1; i < sorted.length; i++) if (sorted[i]!.enter < sorted[i - 1]!.leave) overlaps += 1;
    }
    expect(overlaps).toBe(0);
    expect(await readFile(join(control, "counter"), "utf8")).toBe(String(PROCESSES * TRIALS));
    // Nothing left behind: no lock, no temporary files, no claims.
    expect(await readdir(stateDir)).toEqual([]);
  }, 60_000);
});
