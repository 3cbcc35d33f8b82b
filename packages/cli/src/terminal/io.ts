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
  /** Reads all of standard input (for `fedi secret set`); absent when there is none. */
  readStdin?: () => Promise<string>;
  /** Asks a yes/no question on the terminal; absent when standard input is not a terminal. */
  confirm?: (question: string) => Promise<boolean>;
}

/** The process's own streams, environment and working directory. */
export function processIo(): CliIo {
  return {
    stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
    env: process.env,
    cwd: process.cwd(),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
      return Buffer.concat(chunks).toString("utf8");
    },
    ...(process.stdin.isTTY
      ? {
          confirm: async (question: string) => {
            const { createInterface } = await import("node:readline/promises");
            const rl = createInterface({ input: process.stdin, output: process.stderr });
            try {
              return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
            } finally {
              rl.close();
            }
          },
        }
      : {}),
  };
}
