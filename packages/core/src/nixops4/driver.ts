import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { FediError } from "../errors.js";
import { attributeLine, type NixOps4Context } from "./attribute.js";
import { classifyNixOps4Failure } from "./classify.js";
import { NIXOPS4_FAILURE_DESCRIPTIONS, NIXOPS4_FAILURE_HINTS } from "./hints.js";
import { LineBuffer } from "./line-buffer.js";
import { runProcessTree } from "./process-tree.js";
import { stripAnsi } from "./text.js";

/** One line of NixOps4 output, as passed to {@link NixOps4DriverOptions.onLine}. */
export interface NixOps4Line {
  /** The stream the line came from; NixOps4 logs on stderr. */
  stream: "stderr" | "stdout";
  /** The line without its newline and without ANSI escapes (passed through `redact` when one is given). */
  text: string;
  /** The machine the line is about, when it can be recognised (see {@link attributeLine}). */
  machine?: string;
}

/** Options of {@link NixOps4Driver}. */
export interface NixOps4DriverOptions {
  /** The `nixops4` executable: a path, or a name looked up on PATH. Default `"nixops4"`. */
  binary?: string;
  /** The deployment directory (a git repository holding the flake; see {@link prepareDeploymentRepo}). */
  cwd: string;
  /**
   * Extra environment variables for NixOps4, over the current process environment. Never put secrets here:
   * NixOps4 and everything it starts inherit them.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called with each output line as it arrives. Exceptions it throws are re-thrown once the run has ended. */
  onLine?: (line: NixOps4Line) => void;
  /** SSH host of each machine, by machine name: lets SSH and copy messages be attributed to a machine. */
  hosts?: Readonly<Record<string, string>>;
  /** Applied to every line passed to `onLine` and to text put into errors (e.g. a secret redactor). */
  redact?: (text: string) => string;
  /** How long the process tree may take to exit after SIGTERM on cancellation, in ms. Default 5000. */
  killGraceMs?: number;
}

/** Options of {@link NixOps4Driver.apply}. */
export interface NixOps4ApplyOptions {
  /** Member paths to apply (dot-separated, e.g. `web01`); empty applies the whole deployment. */
  members: readonly string[];
  /** Aborting it stops NixOps4 and every process it started; `apply` then rejects with `CANCELLED`. */
  signal?: AbortSignal;
  /** Pass `--show-trace` (Nix evaluation traces in errors). Default true. */
  showTrace?: boolean;
}

/** Result of a successful {@link NixOps4Driver.apply}. */
export interface NixOps4ApplyResult {
  /** Wall-clock duration of the run, in milliseconds. */
  durationMs: number;
}

/** Options of {@link NixOps4Driver.membersList}. */
export interface NixOps4MembersListOptions {
  /** Component path whose members to list; default the root. */
  path?: string;
  /** Aborting it stops NixOps4; the call then rejects with `CANCELLED`. */
  signal?: AbortSignal;
}

/** Install instructions shown when NixOps4 cannot be found. */
export const NIXOPS4_INSTALL_HINT =
  "NixOps4 has no releases: install it with `nix profile install github:nixops4/nixops4#nixops4` (or run in " +
  "`nix shell github:nixops4/nixops4#nixops4`), or give the path of a nixops4 binary ($FEDI_NIXOPS4 for `fedi`, " +
  "`nixops4.binary` of the Deployer's options). NixOps4 also needs `nix` on PATH with flakes enabled " +
  "(experimental-features = nix-command flakes).";

/** A member path segment: what NixOps4 accepts on its command line and cannot be mistaken for a flag. */
const MEMBER_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_'-]*$/;

function validateMemberPath(path: string, field: string): void {
  const segments = path.split(".");
  if (path === "" || !segments.every((s) => MEMBER_SEGMENT.test(s))) {
    throw new FediError("USAGE", `${field} ${JSON.stringify(path)} is not a valid NixOps4 member path.`, {
      hint: "Member paths are dot-separated names of letters, digits, '_', '-' and \"'\" that do not start with '-', e.g. web01 or production.web01.",
    });
  }
}

/**
 * The arguments of `nixops4 apply`: `apply <members...> --no-interactive [--show-trace]`. Duplicate members are
 * dropped; a member that is an ancestor of another is refused (NixOps4 refuses overlapping paths too).
 */
export function buildApplyArgs(options: Pick<NixOps4ApplyOptions, "members" | "showTrace">): string[] {
  const members = [...new Set(options.members)];
  members.forEach((member, index) => {
    validateMemberPath(member, `members[${index}]`);
  });
  for (const a of members) {
    for (const b of members) {
      if (b.startsWith(`${a}.`)) {
        throw new FediError("USAGE", `Member paths overlap: ${JSON.stringify(a)} contains ${JSON.stringify(b)}.`, {
          hint: "Apply either the parent path or the paths below it, not both.",
        });
      }
    }
  }
  return ["apply", ...members, "--no-interactive", ...(options.showTrace === false ? [] : ["--show-trace"])];
}

/** The arguments of `nixops4 members list`: `members list [path] --no-interactive --show-trace`. */
export function buildMembersListArgs(path?: string): string[] {
  if (path !== undefined && path !== "") validateMemberPath(path, "path");
  return ["members", "list", ...(path ? [path] : []), "--no-interactive", "--show-trace"];
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function notFound(binary: string, detail: string): FediError {
  return new FediError("NIXOPS4_NOT_FOUND", `NixOps4 (${JSON.stringify(binary)}) ${detail}.`, {
    hint: NIXOPS4_INSTALL_HINT,
  });
}

/**
 * Runs the `nixops4` command-line tool for one deployment directory: `apply` with streamed, machine-attributed
 * output lines; `membersList`; failures classified into {@link FediError}s with code `NIXOPS4_FAILED` and
 * `details.kind` (see {@link classifyNixOps4Failure}); cancellation that stops the whole process tree.
 * Nothing secret is ever passed to NixOps4 through arguments or the environment.
 */
export class NixOps4Driver {
  private readonly options: NixOps4DriverOptions;

  /** Creates a driver; nothing runs until {@link NixOps4Driver.apply} or {@link NixOps4Driver.membersList}. */
  constructor(options: NixOps4DriverOptions) {
    this.options = options;
  }

  /** Runs `nixops4 apply <members...> --no-interactive --show-trace` and resolves when it succeeded. */
  async apply(options: NixOps4ApplyOptions): Promise<NixOps4ApplyResult> {
    const args = buildApplyArgs(options);
    const run = await this.run("apply", args, { members: options.members, signal: options.signal });
    return { durationMs: run.durationMs };
  }

  /**
   * Finds the `nixops4` executable (the configured path, else on PATH) without running it, so a caller can stop
   * before changing anything when NixOps4 is missing.
   * @throws FediError `NIXOPS4_NOT_FOUND` with install instructions.
   */
  async locate(): Promise<string> {
    return this.resolveBinary(this.environment());
  }

  /** Runs `nixops4 members list` and returns the member names it prints, one per line. */
  async membersList(options: NixOps4MembersListOptions = {}): Promise<string[]> {
    const args = buildMembersListArgs(options.path);
    const run = await this.run("members list", args, { members: [], signal: options.signal });
    return run.stdout.map((line) => line.trim()).filter((line) => line !== "");
  }

  private environment(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const [key, value] of Object.entries(this.options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    return env;
  }

  private async resolveBinary(env: NodeJS.ProcessEnv): Promise<string> {
    const binary = this.options.binary ?? "nixops4";
    if (binary.includes("/")) {
      const path = isAbsolute(binary) ? binary : resolve(binary);
      if (await isExecutableFile(path)) return path;
      throw notFound(binary, "does not exist or is not an executable file");
    }
    for (const dir of (env.PATH ?? "").split(delimiter)) {
      if (dir === "") continue;
      const candidate = join(dir, binary);
      if (await isExecutableFile(candidate)) return candidate;
    }
    throw notFound(binary, "was not found on PATH");
  }

  private async run(
    command: string,
    args: string[],
    target: { members: readonly string[]; signal: AbortSignal | undefined },
  ): Promise<{ durationMs: number; stdout: string[] }> {
    const cancelled = (): FediError =>
      new FediError(
        "CANCELLED",
        `nixops4 ${command} was cancelled; NixOps4 and the processes it started were stopped.`,
        {
          hint: "Machines may have been part-way through copying or switching; run the deployment again to converge.",
        },
      );
    if (target.signal?.aborted) throw cancelled();

    const env = this.environment();
    const binary = await this.resolveBinary(env);
    const cwdStat = await stat(this.options.cwd).catch(() => undefined);
    if (!cwdStat?.isDirectory()) {
      throw new FediError("IO_FAILED", `The deployment directory ${this.options.cwd} does not exist.`, {
        hint: "Render the deployment before running NixOps4.",
      });
    }

    const redact = this.options.redact ?? ((text: string) => text);
    const context: NixOps4Context = {
      members: target.members,
      ...(this.options.hosts ? { hosts: this.options.hosts } : {}),
    };
    const stderr = new LineBuffer();
    const stdout: string[] = [];
    let listenerError: unknown;

    const result = await runProcessTree(binary, args, {
      cwd: this.options.cwd,
      env,
      killGraceMs: this.options.killGraceMs ?? 5000,
      ...(target.signal ? { signal: target.signal } : {}),
      onLine: (stream, raw) => {
        const text = stripAnsi(raw);
        if (stream === "stderr") stderr.push(text);
        else stdout.push(text);
        if (!this.options.onLine || listenerError !== undefined) return;
        const machine = attributeLine(text, context);
        try {
          this.options.onLine({ stream, text: redact(text), ...(machine !== undefined ? { machine } : {}) });
        } catch (error) {
          listenerError = error;
        }
      },
    });

    if (result.spawnErrorCode === "ENOENT" || result.spawnErrorCode === "EACCES") {
      throw notFound(this.options.binary ?? "nixops4", `could not be started (${result.spawnErrorCode})`);
    }
    if (result.cancelled) throw cancelled();
    if (listenerError !== undefined) throw listenerError;
    if (result.spawnErrorCode !== undefined) {
      throw new FediError("NIXOPS4_FAILED", `nixops4 ${command} could not be started (${result.spawnErrorCode}).`, {
        hint: NIXOPS4_INSTALL_HINT,
        details: { kind: "unknown" },
      });
    }
    if (result.exitCode === 0) return { durationMs: result.durationMs, stdout };

    const failure = classifyNixOps4Failure(stderr.text(), context);
    const where = failure.machine !== undefined ? ` on ${failure.machine}` : "";
    const how = result.exitCode !== undefined ? `exit code ${result.exitCode}` : `signal ${result.signal}`;
    const summary = failure.summary === "" ? "" : `: ${redact(failure.summary)}`;
    throw new FediError(
      "NIXOPS4_FAILED",
      failure.usage
        ? `nixops4 ${command} rejected its command line (${how})${summary}`
        : `nixops4 ${command} failed${where} (${how}): ${NIXOPS4_FAILURE_DESCRIPTIONS[failure.kind]}${summary}`,
      {
        hint: failure.usage
          ? "This is a bug in the SDK or a NixOps4 version it does not support: report it with the output above."
          : NIXOPS4_FAILURE_HINTS[failure.kind],
        ...(failure.machine !== undefined ? { machine: failure.machine } : {}),
        details: {
          kind: failure.kind,
          ...(failure.machine !== undefined ? { machine: failure.machine } : {}),
          ...(failure.host !== undefined ? { host: failure.host } : {}),
          ...(failure.resource !== undefined ? { resource: failure.resource } : {}),
          ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : { signal: result.signal }),
          ...(failure.usage ? { usage: true } : {}),
        },
      },
    );
  }
}
