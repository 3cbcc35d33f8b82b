import { Console } from "node:console";

/**
 * Runs `fn` with the global `console` writing to stderr (`console.log`, `info`, `debug`, `dir`, `table` included), so
 * that what a config file or a plugin prints never mixes with a command's results on stdout (e.g. `--json`). The
 * previous console is put back afterwards, also when `fn` fails.
 */
export async function withConsoleOnStderr<T>(fn: () => Promise<T>): Promise<T> {
  const saved = globalThis.console;
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  try {
    return await fn();
  } finally {
    globalThis.console = saved;
  }
}
