import { execFile } from "node:child_process";
import type { PreflightProblem } from "./facts.js";

/** The `machine` of problems about the computer that runs the SDK (not a valid machine name, so it cannot clash). */
export const LOCAL_MACHINE = "(local)";

/** What running a local program gave: its exit code and output, or `missing` when it is not on the PATH. */
export type LocalRunResult = { code: number | null; stdout: string; stderr: string } | "missing";

/** Runs a local program without a shell (injectable for tests). */
export type LocalRunner = (command: string, args: readonly string[]) => Promise<LocalRunResult>;

/** Options of {@link checkLocalTools}. */
export interface LocalToolsOptions {
  /** How programs are run. Default: `execFile` with the process's environment and a 30 s limit. */
  run?: LocalRunner;
  /** The ssh program. Default `ssh`. */
  ssh?: string;
  /** The nix program. Default `nix`. */
  nix?: string;
  /**
   * Environment the programs run with when `run` is not given (default: the process's). Give the environment NixOps4
   * gets, so that `NIX_CONFIG`, `PATH` and `SSH_AUTH_SOCK` are those NixOps4's own `nix` and `ssh` will see.
   */
  env?: NodeJS.ProcessEnv;
}

/** The default {@link LocalRunner}: `execFile`, no shell, 30 s limit, the process's environment. */
export const runLocal: LocalRunner = (command, args) => localRunner()(command, args);

/** A {@link LocalRunner} like {@link runLocal} with the given environment (default: the process's). */
export const localRunner =
  (env?: NodeJS.ProcessEnv): LocalRunner =>
  (command, args) =>
    new Promise((resolve) => {
      execFile(
        command,
        [...args],
        { timeout: 30_000, maxBuffer: 1024 * 1024, ...(env ? { env } : {}) },
        (error, stdout, stderr) => {
          const code = (error as NodeJS.ErrnoException | null)?.code;
          if (code === "ENOENT") resolve("missing");
          else {
            const exit = error ? (typeof code === "number" ? code : ((error as { code?: number }).code ?? 1)) : 0;
            resolve({ code: error && (error as { killed?: boolean }).killed ? null : exit, stdout, stderr });
          }
        },
      );
    });

/**
 * Checks what nixops4-nixos needs on the computer that runs the deployment (its `nix copy --to ssh-ng://…` and
 * `ssh … switch`): an `ssh` client (`ssh -V`), `nix` (`nix --version`), and Nix with flakes enabled — asked
 * functionally with `nix eval --expr 'builtins ? getFlake'`, which fails while `nix-command` is disabled and is
 * false while `flakes` is (the builtin exists only with the feature; also true where flakes are stable).
 * Returns every problem in the shape of preflight's, with `machine` {@link LOCAL_MACHINE}; empty when all is there.
 */
export async function checkLocalTools(options: LocalToolsOptions = {}): Promise<PreflightProblem[]> {
  const run = options.run ?? localRunner(options.env);
  const ssh = options.ssh ?? "ssh";
  const nix = options.nix ?? "nix";
  const problems: PreflightProblem[] = [];
  const problem = (check: PreflightProblem["check"], expected: string, actual: string, hint: string) =>
    problems.push({ machine: LOCAL_MACHINE, check, expected, actual, hint });
  const [sshRun, nixRun] = await Promise.all([run(ssh, ["-V"]), run(nix, ["--version"])]);
  if (sshRun === "missing" || sshRun.code !== 0) {
    problem(
      "local-ssh",
      "an ssh client on the PATH",
      sshRun === "missing" ? "not found" : `ssh -V exited ${sshRun.code}`,
      "NixOps4 connects with OpenSSH's ssh: install it (Debian/Ubuntu: apt-get install -y openssh-client).",
    );
  }
  if (nixRun === "missing" || nixRun.code !== 0) {
    problem(
      "local-nix",
      "nix on the PATH",
      nixRun === "missing" ? "not found" : `nix --version exited ${nixRun.code}`,
      "NixOps4 builds and copies with Nix: install it (https://nixos.org/download).",
    );
    return problems;
  }
  const flakes = await run(nix, ["eval", "--expr", "builtins ? getFlake"]);
  const out = flakes === "missing" ? "" : flakes.stdout.trim();
  if (out !== "true") {
    const err = flakes === "missing" ? "" : flakes.stderr;
    const noCommand = /experimental Nix feature 'nix-command' is disabled/.test(err);
    problem(
      "local-flakes",
      "Nix with the nix-command and flakes features",
      out === "false" ? "flakes disabled" : noCommand ? "nix-command disabled" : `nix eval failed: ${lastLine(err)}`,
      "Add `experimental-features = nix-command flakes` to ~/.config/nix/nix.conf (or /etc/nix/nix.conf).",
    );
  }
  return problems;
}

function lastLine(text: string): string {
  return (
    text
      .trim()
      .split("\n")
      .filter((l) => !/^warning:/.test(l))
      .pop() ?? ""
  );
}
