import { StringDecoder } from "node:string_decoder";
import { FediError } from "../errors.js";
import { emitMachineEvent, type MachineEventListener } from "./events.js";
import { cancelledError } from "./retry.js";
import { shellQuote } from "./shell.js";
import { connectionLostError } from "./ssh-errors.js";
import type { SshChannel } from "./ssh-types.js";
import { describeTarget, type SshTarget } from "./target.js";

/** Options of a remote command run by {@link SshConnection.exec}. */
export interface ExecOptions {
  /** Kill the command and fail with `SSH_TIMEOUT` after this long. Default: no limit. */
  timeoutMs?: number;
  /** Cancels the command: the channel is closed, the remote process group killed, and `CANCELLED` thrown. */
  signal?: AbortSignal;
  /** Receives standard output as it arrives (UTF-8 decoded). */
  onStdout?: (chunk: string) => void;
  /** Receives standard error as it arrives (UTF-8 decoded). */
  onStderr?: (chunk: string) => void;
  /** Written to the command's standard input, which is then closed. Never appears in messages or events. */
  stdin?: string | Uint8Array;
  /** Never show the command text in messages or events; show {@link ExecOptions.label} instead. */
  sensitive?: boolean;
  /** How messages and events name the command (default: the command itself, unless sensitive). */
  label?: string;
  /** Strings replaced by `[REDACTED]` in error messages (e.g. a token the command may echo on stderr). */
  redact?: readonly string[];
  /** Keep at most this many characters of each output stream in the result (the tail). Default 16 MiB. */
  maxBufferChars?: number;
  /**
   * Track the remote process group so timeout and cancellation can kill it (default true). The command then runs
   * after a tiny shell prologue that reports the shell's PID on stderr (removed from the output). Turn off for
   * sshd forced commands that reject anything but the exact command.
   */
  killProcessGroup?: boolean;
  /**
   * Run as the SSH login user even on a target with `sudo` set (for commands that inspect the user itself, such as
   * whether `sudo -n` works or the Nix daemon trusts the user). Default false.
   */
  asLoginUser?: boolean;
}

/** Options of {@link SshConnection.execChecked}. */
export interface ExecCheckedOptions extends ExecOptions {
  /** Exit codes that count as success. Default `[0]`. */
  okCodes?: readonly number[];
  /** The hint of the `SSH_COMMAND_FAILED` error. */
  hint?: string;
}

/** The outcome of a remote command. */
export interface ExecResult {
  /** Exit code, or `null` when the command was killed by a signal. */
  code: number | null;
  /** The signal that killed the command (e.g. `KILL`), or `null`. */
  signal: string | null;
  /** Standard output (the tail when longer than `maxBufferChars`). */
  stdout: string;
  /** Standard error (the tail when longer than `maxBufferChars`). */
  stderr: string;
  /** Wall-clock time of the command. */
  durationMs: number;
}

/** What the command runner needs from a connection (implemented by {@link SshConnection}). */
export interface ExecChannelHost {
  /** The machine. */
  readonly target: SshTarget;
  /** True once the connection is closed. */
  readonly closed: boolean;
  /** Opens an exec channel running `command` verbatim. */
  openExecChannel(command: string): Promise<SshChannel>;
  /** Progress listener. */
  readonly onEvent: MachineEventListener | undefined;
}

const PID_MARKER = "__FEDI_PID__=";
/** First stderr line of {@link sudoCommand} when `sudo -n` refuses; the next line is what sudo said. */
const SUDO_REFUSED_MARKER = "__FEDI_SUDO_REFUSED__";
const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;
/** How long a cancelled command may take to report its PID before it is given up as unkillable. */
const PID_WAIT_MS = 3000;

/** The text messages use for a command: its label, or the command unless sensitive. */
export function commandLabel(command: string, options: Pick<ExecOptions, "sensitive" | "label">): string {
  if (options.label) return options.label;
  if (options.sensitive) return "(sensitive command)";
  return command.length > 200 ? `${command.slice(0, 197)}...` : command;
}

/**
 * The shell command that runs `command` as root through `sudo -n` (never prompts): `sudo -n -- sh -c '<command>'`,
 * with `command` shell-quoted as one argument (so nothing in it becomes an option of sudo or sh) and standard input
 * passed through. `sudo -n true` runs first (stdin closed): when sudo refuses, the wrapper prints a marker and sudo's
 * message on stderr and exits 1, which `runCommand` turns into `SSH_SUDO_REFUSED`.
 */
export function sudoCommand(command: string): string {
  return [
    `if __fedi_sudo=$(sudo -n true 2>&1 </dev/null); then`,
    `  sudo -n -- sh -c ${shellQuote(command)}`,
    `else`,
    `  printf '%s\\n' '${SUDO_REFUSED_MARKER}' "$__fedi_sudo" >&2`,
    `  exit 1`,
    `fi`,
  ].join("\n");
}

/** Whether a command on `target` runs through {@link sudoCommand}. */
function runsAsRoot(target: SshTarget, options: Pick<ExecOptions, "asLoginUser">): boolean {
  return target.sudo === true && options.asLoginUser !== true;
}

function sudoRefusedError(target: SshTarget, label: string, stderr: string): FediError {
  const said = stderr
    .slice(SUDO_REFUSED_MARKER.length + 1)
    .trim()
    .split("\n")[0]
    ?.trim();
  return new FediError(
    "SSH_SUDO_REFUSED",
    `"sudo -n" refused to run command "${label}" as root for user "${target.user}" on ${describeTarget(target)}${said ? `: ${said}` : " (sudo printed nothing)"}.`,
    {
      machine: target.machine,
      hint: `Give "${target.user}" passwordless sudo on the machine (the base system does this for a non-root ssh.user once applied; until then add a NOPASSWD sudo rule by hand), or deploy as root.`,
      details: { user: target.user },
    },
  );
}

/** Replaces every occurrence of each string in `redact` by `[REDACTED]`. */
export function redactText(text: string, redact: readonly string[] | undefined): string {
  let out = text;
  for (const secret of redact ?? []) if (secret) out = out.split(secret).join("[REDACTED]");
  return out;
}

/** The last lines of `text` (at most `maxLines` lines and `maxChars` characters). */
export function tail(text: string, maxLines = 20, maxChars = 2000): string {
  const lines = text.trimEnd().split("\n");
  let out = lines.slice(-maxLines).join("\n");
  if (out.length > maxChars) out = `...${out.slice(-maxChars)}`;
  return out;
}

/** Collects a stream's decoded text, keeping the tail only when it grows past `max` characters. */
class OutputBuffer {
  private text = "";
  constructor(private readonly max: number) {}
  append(chunk: string): void {
    this.text += chunk;
    if (this.text.length > this.max * 2) this.text = this.text.slice(-this.max);
  }
  value(): string {
    return this.text.length > this.max ? this.text.slice(-this.max) : this.text;
  }
}

/**
 * Runs `command` on the machine and resolves with its exit code and output, whatever the exit code.
 * Rejects with `SSH_TIMEOUT` on timeout, `CANCELLED` on abort, `SSH_FAILED` when the connection is lost.
 */
export async function runCommand(
  host: ExecChannelHost,
  command: string,
  options: ExecOptions = {},
): Promise<ExecResult> {
  const label = commandLabel(command, options);
  const { target } = host;
  if (options.signal?.aborted) throw cancelledError(`Command "${label}" on ${describeTarget(target)}`);
  const track = options.killProcessGroup !== false;
  const asRoot = runsAsRoot(target, options);
  const effective = asRoot ? sudoCommand(command) : command;
  const wire = track ? `printf '${PID_MARKER}%s\\n' "$$" >&2\n${effective}` : effective;
  const started = Date.now();
  emitMachineEvent(host.onEvent, { type: "command-started", machine: target.machine, command: label });
  const channel = await host.openExecChannel(wire);
  const max = options.maxBufferChars ?? DEFAULT_MAX_BUFFER;
  const stdout = new OutputBuffer(max);
  const stderr = new OutputBuffer(max);
  const outDecoder = new StringDecoder("utf8");
  const errDecoder = new StringDecoder("utf8");
  let pid: number | undefined;
  let pending: string | undefined = track ? "" : undefined; // stderr held back until the PID line is seen
  let pidSettled: (() => void) | undefined; // wakes a stop() waiting for the PID line

  const pushStderr = (text: string) => {
    if (text === "") return;
    stderr.append(text);
    options.onStderr?.(text);
  };
  const onStderrText = (text: string) => {
    if (pending === undefined) {
      pushStderr(text);
      return;
    }
    pending += text;
    const newline = pending.indexOf("\n");
    if (newline < 0 && pending.length < 64 && PID_MARKER.startsWith(pending.slice(0, PID_MARKER.length))) return;
    const first = newline < 0 ? pending : pending.slice(0, newline);
    let rest = pending;
    if (first.startsWith(PID_MARKER)) {
      const parsed = Number.parseInt(first.slice(PID_MARKER.length), 10);
      if (Number.isInteger(parsed) && parsed > 1) pid = parsed;
      rest = newline < 0 ? "" : pending.slice(newline + 1);
    }
    pending = undefined;
    pidSettled?.();
    pushStderr(rest);
  };

  return await new Promise<ExecResult>((resolve, reject) => {
    let settled = false;
    let exitCode: number | null | undefined;
    let exitSignal: string | null = null;
    let timer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };
    const finish = (error: unknown, result?: ExecResult) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (error) reject(error);
      else resolve(result!);
    };
    let channelClosed = false;
    const stop = (error: FediError) => {
      if (settled) return;
      settled = true;
      cleanup();
      void (async () => {
        // A command cancelled right after it started may not have reported its PID yet: wait for it (bounded)
        // so the process group can still be killed, instead of leaving it running on the machine.
        if (pending !== undefined && !channelClosed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, PID_WAIT_MS);
            pidSettled = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        await killGroup(host, pid, asRoot);
        channel.close();
        reject(error);
      })();
    };
    function onAbort() {
      stop(cancelledError(`Command "${label}" on ${describeTarget(target)}`));
    }

    if (options.timeoutMs !== undefined && options.timeoutMs > 0) {
      timer = setTimeout(() => {
        stop(
          new FediError(
            "SSH_TIMEOUT",
            `Command "${label}" on ${describeTarget(target)} did not finish within ${options.timeoutMs} ms and was killed.`,
            {
              machine: target.machine,
              hint: "The machine may be overloaded or the command stuck; check it, or raise the timeout.",
              details: { timeoutMs: options.timeoutMs },
            },
          ),
        );
      }, options.timeoutMs);
    }
    options.signal?.addEventListener("abort", onAbort, { once: true });

    channel.on("data", (data: Buffer) => {
      const text = outDecoder.write(data);
      if (text === "") return;
      stdout.append(text);
      options.onStdout?.(text);
    });
    channel.stderr.on("data", (data: Buffer) => onStderrText(errDecoder.write(data)));
    channel.on("exit", (code: number | null, signal?: string) => {
      exitCode = code;
      exitSignal = code === null ? (signal ?? null) : null;
    });
    channel.on("error", (cause: Error) => {
      finish(connectionLostOrFailed(host, label, cause));
    });
    // ssh2 passes the exit status to "close" too; rely on it, because when the whole exchange arrives in one read
    // (a fast command on a busy machine) the "exit" event fires before these listeners exist.
    channel.on("close", (code?: number | null, signal?: string) => {
      if (exitCode === undefined && code !== undefined) {
        exitCode = code;
        exitSignal = code === null ? (signal ?? null) : null;
      }
      channelClosed = true;
      pidSettled?.();
      // The client marks the connection closed before it tears channels down; wait a tick to see it.
      setImmediate(() => {
        onStderrText(errDecoder.end());
        if (pending !== undefined) {
          const held = pending;
          pending = undefined;
          pushStderr(held);
        }
        const outRest = outDecoder.end();
        if (outRest) {
          stdout.append(outRest);
          options.onStdout?.(outRest);
        }
        if (exitCode === undefined) {
          finish(connectionLostOrFailed(host, label));
          return;
        }
        const durationMs = Date.now() - started;
        const errText = stderr.value();
        if (asRoot && exitCode === 1 && errText.startsWith(`${SUDO_REFUSED_MARKER}\n`)) {
          finish(sudoRefusedError(target, label, redactText(errText, options.redact)));
          return;
        }
        emitMachineEvent(host.onEvent, {
          type: "command-finished",
          machine: target.machine,
          command: label,
          code: exitCode,
          durationMs,
        });
        finish(undefined, {
          code: exitCode,
          signal: exitSignal,
          stdout: stdout.value(),
          stderr: errText,
          durationMs,
        });
      });
    });

    if (options.stdin !== undefined) channel.end(options.stdin);
    else channel.end();
  });
}

function connectionLostOrFailed(host: ExecChannelHost, label: string, cause?: unknown): FediError {
  if (host.closed || cause === undefined) return connectionLostError(host.target, `command "${label}"`, cause);
  return new FediError(
    "SSH_FAILED",
    `Command "${label}" on ${describeTarget(host.target)} failed: ${(cause as Error).message}`,
    {
      machine: host.target.machine,
      cause,
    },
  );
}

/**
 * Kills the remote process group led by `pid` (best effort, bounded to a few seconds). A group that runs commands as
 * root (`asRoot`) is signalled through `sudo -n`: first TERM (sudo relays it to its command), then KILL.
 */
async function killGroup(host: ExecChannelHost, pid: number | undefined, asRoot: boolean): Promise<void> {
  if (pid === undefined || host.closed) return;
  const attempt = (async () => {
    const channel = await host.openExecChannel(
      // `kill -KILL -PGID`, not `kill -KILL -- -PGID`: dash's kill (a login shell of /bin/sh) refuses `--`.
      asRoot
        ? // sudo runs the kill binary (procps, util-linux), which needs `--` before a negative PGID.
          `sudo -n kill -TERM -- -${pid} 2>/dev/null; sleep 1; sudo -n kill -KILL -- -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null; true`
        : `kill -KILL -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null; true`,
    );
    await new Promise<void>((resolve) => {
      channel.on("close", () => resolve());
      channel.resume();
      channel.stderr.resume();
      channel.end();
    });
  })();
  const limit = new Promise<void>((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([attempt.catch(() => {}), limit]);
}

/**
 * Runs a command and throws `SSH_COMMAND_FAILED` unless it exits with an accepted code. The error names the
 * machine, the command (or its label when sensitive), the exit code and the tail of stderr (with `redact` applied).
 */
export async function runCommandChecked(
  host: ExecChannelHost,
  command: string,
  options: ExecCheckedOptions = {},
): Promise<ExecResult> {
  const result = await runCommand(host, command, options);
  const ok = options.okCodes ?? [0];
  if (result.code !== null && ok.includes(result.code)) return result;
  const label = commandLabel(command, options);
  const status =
    result.code === null ? `was killed by signal ${result.signal ?? "?"}` : `exited with code ${result.code}`;
  const stderrTail = redactText(tail(result.stderr), options.redact);
  throw new FediError(
    "SSH_COMMAND_FAILED",
    `Command "${label}" on ${describeTarget(host.target)} ${status}${stderrTail ? `; stderr:\n${stderrTail}` : " (no stderr output)."}`,
    {
      machine: host.target.machine,
      hint:
        options.hint ??
        "Read the command's error output above; fix the cause on the machine or in the spec, then run again.",
      details: { exitCode: result.code, signal: result.signal, command: label },
    },
  );
}
