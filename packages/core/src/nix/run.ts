/**
 * Helpers that call the real `nix-instantiate` to parse or evaluate Nix text. They run offline, as root or not:
 * the store is `dummy://` (no daemon, no database; paths are hashed but never written), and HOME, the XDG folders and
 * NIX_STATE_DIR point into a fresh temporary folder that is removed afterwards.
 */
import { constants } from "node:fs";
import { access, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { execa } from "execa";
import { FediError } from "../errors.js";
import { parseJsonExact } from "./json.js";
import { isNixIdentifier } from "./syntax.js";

/** Where to look for `nix-instantiate`, for {@link findNixInstantiate}. */
export interface FindNixOptions {
  /** Environment whose PATH and HOME are searched. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Folders searched after PATH and `$HOME/.nix-profile/bin`.
   * Default: `/nix/var/nix/profiles/default/bin`, `/run/current-system/sw/bin`.
   */
  fallbackDirs?: readonly string[];
}

/** Options shared by the helpers that run Nix. */
export interface NixRunOptions {
  /** Folder relative path literals in the text resolve against (stdin input only). Default: the current folder. */
  cwd?: string;
  /** Kill Nix after this many milliseconds. Default 300000 (5 minutes). */
  timeoutMs?: number;
  /** Abort signal: kills Nix when aborted (the promise rejects with `CANCELLED`). */
  signal?: AbortSignal;
  /** The `nix-instantiate` to run. Default: {@link findNixInstantiate}. */
  nixInstantiate?: string;
}

/** Options of {@link nixParse}. */
export interface NixParseOptions extends NixRunOptions {
  /**
   * Names the text may use without defining them, e.g. `["lib", "pkgs"]` for a module body (Nix's parser rejects
   * undefined variables). The text is parsed as the body of a function of these names; line numbers are kept.
   */
  freeVariables?: readonly string[];
}

/** Options of {@link nixEvalJson} and {@link nixEvalJsonFile}. */
export interface NixEvalOptions extends NixRunOptions {
  /** Evaluate deeply (`--strict`). Default true. */
  strict?: boolean;
}

const DEFAULT_FALLBACK_DIRS = ["/nix/var/nix/profiles/default/bin", "/run/current-system/sw/bin"];
const DEFAULT_TIMEOUT_MS = 300_000;
const MAX_MESSAGE = 4000;

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds `nix-instantiate`: on PATH, then in `~/.nix-profile/bin`, then in the usual system profiles.
 * @returns its absolute path, or null when it is not installed.
 */
export async function findNixInstantiate(options: FindNixOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "");
  if (env.HOME) dirs.push(join(env.HOME, ".nix-profile", "bin"));
  dirs.push(...(options.fallbackDirs ?? DEFAULT_FALLBACK_DIRS));
  for (const dir of dirs) {
    const candidate = resolve(dir, "nix-instantiate");
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

/** The hint shown when Nix is missing. */
export const NIX_INSTALL_HINT =
  "Install Nix: on Debian/Ubuntu `apt-get install -y nix-bin`; elsewhere see https://nixos.org/download " +
  "(`sh <(curl -L https://nixos.org/nix/install) --daemon`). Then make sure nix-instantiate is on PATH.";

async function nixBinary(options: NixRunOptions): Promise<string> {
  if (options.nixInstantiate !== undefined) return options.nixInstantiate;
  const found = await findNixInstantiate();
  if (found === null) {
    throw new FediError("NIX_NOT_FOUND", "nix-instantiate was not found on PATH or in the usual Nix profiles.", {
      hint: NIX_INSTALL_HINT,
    });
  }
  return found;
}

// Matches ANSI escape sequences (colours) that Nix may print.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, "g");

function cleanMessage(stderr: string): string {
  const text = stderr.replace(ANSI, "").trim();
  return text.length > MAX_MESSAGE
    ? `${text.slice(0, MAX_MESSAGE)}\n[... ${text.length - MAX_MESSAGE} more characters]`
    : text;
}

interface RunRequest {
  readonly args: readonly string[];
  readonly input?: string;
  readonly keepStdout: boolean;
  readonly what: string;
}

async function runNix(request: RunRequest, options: NixRunOptions): Promise<string> {
  if (options.signal?.aborted) throw new FediError("CANCELLED", `${request.what} was cancelled.`);
  const binary = await nixBinary(options);
  const home = await mkdtemp(join(tmpdir(), "fedi-nix-"));
  try {
    const result = await execa(binary, ["--store", "dummy://", ...request.args], {
      input: request.input ?? "",
      stdout: request.keepStdout ? "pipe" : "ignore",
      reject: false,
      cwd: options.cwd,
      timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      // Nix does not always notice SIGTERM while evaluating; it holds no state worth a graceful stop here.
      killSignal: "SIGKILL",
      ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
      maxBuffer: 1024 * 1024 * 1024,
      stripFinalNewline: false,
      env: {
        HOME: home,
        XDG_CACHE_HOME: join(home, "cache"),
        XDG_CONFIG_HOME: join(home, "config"),
        XDG_DATA_HOME: join(home, "data"),
        XDG_STATE_HOME: join(home, "state"),
        NIX_STATE_DIR: join(home, "nix-state"),
        NIX_LOG_DIR: join(home, "nix-log"),
        NO_COLOR: "1",
      },
    });
    if (result.isCanceled) throw new FediError("CANCELLED", `${request.what} was cancelled.`);
    if (result.timedOut) {
      throw new FediError(
        "NIX_EVAL_FAILED",
        `${request.what} timed out after ${options.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms.`,
        {
          hint: "Check the expression for infinite recursion, or pass a larger timeoutMs.",
        },
      );
    }
    if (result.code === "ENOENT" || result.code === "EACCES") {
      throw new FediError("NIX_NOT_FOUND", `Could not run ${binary} (${result.code}).`, { hint: NIX_INSTALL_HINT });
    }
    if (result.failed) {
      const message = cleanMessage(String(result.stderr ?? "")) || result.shortMessage;
      throw new FediError("NIX_EVAL_FAILED", `${request.what} failed:\n${message}`, {
        hint: "Read Nix's message above: it points at the line and column of the problem.",
        details: { exitCode: result.exitCode },
      });
    }
    return typeof result.stdout === "string" ? result.stdout : "";
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * Parses `text` with `nix-instantiate --parse`: syntax and variable scoping (an undefined variable is an error),
 * nothing is evaluated.
 * @throws FediError `NIX_EVAL_FAILED` with Nix's message on a syntax error; `NIX_NOT_FOUND` when Nix is missing.
 */
export async function nixParse(text: string, options: NixParseOptions = {}): Promise<void> {
  const free = options.freeVariables ?? [];
  for (const name of free) {
    if (!isNixIdentifier(name)) {
      throw new FediError("NIX_UNREPRESENTABLE", `${JSON.stringify(name)} is not a Nix identifier.`, {
        hint: "List variable names such as lib or pkgs in freeVariables.",
      });
    }
  }
  // On the first line, so Nix's line numbers still match the text.
  const input = free.length === 0 ? text : `${free.map((name) => `${name}: `).join("")}(${text}\n)`;
  await runNix({ args: ["--parse", "-"], input, keepStdout: false, what: "Parsing Nix text" }, options);
}

/** Parses the file at `path` with `nix-instantiate --parse`; see {@link nixParse}. */
export async function nixParseFile(path: string, options: NixRunOptions = {}): Promise<void> {
  await runNix(
    { args: ["--parse", resolve(options.cwd ?? ".", path)], keepStdout: false, what: `Parsing ${path}` },
    options,
  );
}

function evalArgs(options: NixEvalOptions): string[] {
  return options.strict === false ? ["--eval", "--json"] : ["--eval", "--strict", "--json"];
}

/**
 * Evaluates `text` with `nix-instantiate --eval --strict --json` (input on stdin) and returns the parsed JSON;
 * integers beyond JavaScript's safe range come back as bigints. Note Nix 2.8 prints floats with 6 significant
 * digits in JSON, and a float with an integral value without a fraction (`1.0` prints `1`).
 * @throws FediError `NIX_EVAL_FAILED` with Nix's message; `NIX_NOT_FOUND` when Nix is missing.
 */
export async function nixEvalJson(text: string, options: NixEvalOptions = {}): Promise<unknown> {
  const out = await runNix(
    { args: [...evalArgs(options), "-"], input: text, keepStdout: true, what: "Evaluating Nix text" },
    options,
  );
  return parseJsonExact(out);
}

/** Evaluates the file at `path` like {@link nixEvalJson}; relative paths in it resolve against its folder. */
export async function nixEvalJsonFile(path: string, options: NixEvalOptions = {}): Promise<unknown> {
  const out = await runNix(
    { args: [...evalArgs(options), resolve(options.cwd ?? ".", path)], keepStdout: true, what: `Evaluating ${path}` },
    options,
  );
  return parseJsonExact(out);
}
