import { readdir, readFile } from "node:fs/promises";

/**
 * PIDs of local processes running exactly `argv` (e.g. `["sleep", "613.42"]`): the test sshd runs on this machine.
 * Matching the whole argument vector keeps the shell that started the command (whose `-c` script merely
 * contains the text) out of the result.
 */
export async function processesRunning(argv: readonly string[]): Promise<number[]> {
  const wanted = argv.join("\0");
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, "utf8")).replace(/\0$/, "");
      if (cmdline === wanted) found.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

/** Polls until no local process runs `argv`; resolves true, or false after `timeoutMs`. */
export async function waitNoProcess(argv: readonly string[], timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await processesRunning(argv)).length === 0) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
