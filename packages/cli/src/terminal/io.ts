/** A stream the CLI writes to. */
export interface OutputStream {
  /** Writes text as is. */
  write(text: string): void;
  /** True when the stream is a terminal. */
  isTTY?: boolean;
}

/** Everything the CLI touches of its process: streams, environment and working directory (tests pass their own). */
export interface CliIo {
  /** Results (summaries, JSON, diagrams). */
  stdout: OutputStream;
  /** Progress, warnings and errors. */
  stderr: OutputStream;
  /** Environment variables. */
  env: Readonly<Record<string, string | undefined>>;
  /** Working directory. */
  cwd: string;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
    cwd: process.cwd(),
  };
}
