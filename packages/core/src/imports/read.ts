import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { dirname, resolve, sep } from "node:path";
import { isFediError } from "../errors.js";
import { findNixInstantiate, nixParse } from "../nix/run.js";

/** Largest imported module file read, in bytes (a hardware-configuration.nix is a few KiB). */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/** Why an imported module file cannot be used; each is the `code` of its issue. */
export type NixosImportProblemCode =
  | "IMPORT_NOT_FOUND"
  | "IMPORT_UNREADABLE"
  | "IMPORT_OUTSIDE_CONFIG_DIR"
  | "IMPORT_NOT_REGULAR_FILE"
  | "IMPORT_TOO_LARGE"
  | "IMPORT_PARSE_FAILED";

/** One imported module file as read: its text and hash, or why it cannot be used. */
export type NixosImport =
  | { ok: true; text: string; sha256: string; parseChecked: boolean }
  | { ok: false; code: NixosImportProblemCode; message: string };

/** The imported module files of a spec, keyed by the path as the spec writes it (`machines[].nixosImports[]`). */
export type NixosImports = ReadonlyMap<string, NixosImport>;

/** Options of {@link readNixosImports}. */
export interface ReadNixosImportsOptions {
  /**
   * Parse-check each file with `nix-instantiate --parse`. `"if-available"` (the default) checks when Nix is
   * installed and skips the check otherwise; `false` never checks.
   */
  parse?: "if-available" | false;
  /** The `nix-instantiate` binary; default: found on PATH and in the usual Nix profiles. */
  nixInstantiate?: string;
}

/**
 * The module file paths a spec (as written, or a plan's machines) imports, each once, in order of appearance.
 * Accepts anything: what does not look like `machines[].nixosImports` is left to the schema check.
 */
export function nixosImportSources(specOrPlan: unknown): string[] {
  const machines = (specOrPlan as { machines?: unknown } | null | undefined)?.machines;
  const sources = new Set<string>();
  if (!Array.isArray(machines)) return [];
  for (const m of machines) {
    const imports = (m as { nixosImports?: unknown } | null | undefined)?.nixosImports;
    if (!Array.isArray(imports)) continue;
    for (const imp of imports) {
      const source = typeof imp === "string" ? imp : (imp as { source?: unknown } | null)?.source;
      if (typeof source === "string") sources.add(source);
    }
  }
  return [...sources];
}

/**
 * Reads the NixOS module files machines import (`machines[].nixosImports`, relative to `configDir`, the config
 * file's folder), for {@link createPlan}'s `imports` and for the copies in the deployment directory. The CLI and the
 * Deployer both read them with this function, so `fedi validate`, `fedi plan` and `fedi apply` see the same files
 * and report the same problems.
 *
 * Each file must be a regular file inside the config's folder tree once every symlink is resolved (a link to
 * `/etc/shadow`, or `../../x.nix`, is refused; a link to another file in the tree is fine), at most
 * {@link MAX_IMPORT_BYTES}, and — when Nix is installed — valid Nix syntax (`nix-instantiate --parse`; nothing is
 * evaluated). A file is opened without following links and without blocking (a FIFO is refused before it is
 * opened), and checked again once open. Problems are returned, not thrown: the planner reports them with their
 * spec paths, beside every other problem.
 * @param specOrPlan - A deployment spec as written, or a plan (its machines' `nixosImports[].source`).
 */
export async function readNixosImports(
  specOrPlan: unknown,
  configDir: string,
  options: ReadNixosImportsOptions = {},
): Promise<NixosImports> {
  const sources = nixosImportSources(specOrPlan);
  const result = new Map<string, NixosImport>();
  if (sources.length === 0) return result;
  let root: string;
  try {
    root = await realpath(configDir);
  } catch (error) {
    const why = `the config's folder ${configDir} cannot be read (${errorCode(error)})`;
    for (const s of sources) result.set(s, { ok: false, code: "IMPORT_UNREADABLE", message: why });
    return result;
  }
  const nix = options.parse === false ? null : (options.nixInstantiate ?? (await findNixInstantiate()));
  const read = await Promise.all(sources.map((source) => readOne(source, root, nix)));
  for (const [i, source] of sources.entries()) result.set(source, read[i]!);
  return result;
}

async function readOne(source: string, root: string, nix: string | null): Promise<NixosImport> {
  const given = resolve(root, source);
  let real: string;
  try {
    real = await realpath(given);
  } catch (error) {
    const code = errorCode(error);
    return code === "ENOENT" || code === "ENOTDIR"
      ? { ok: false, code: "IMPORT_NOT_FOUND", message: `${given} does not exist` }
      : { ok: false, code: "IMPORT_UNREADABLE", message: `${given} cannot be read (${code})` };
  }
  if (real !== root && !real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`)) {
    return {
      ok: false,
      code: "IMPORT_OUTSIDE_CONFIG_DIR",
      message: `${given} resolves to ${real}, outside the config's folder ${root}`,
    };
  }
  const before = await lstat(real).catch(() => undefined);
  if (before === undefined) return { ok: false, code: "IMPORT_NOT_FOUND", message: `${given} does not exist` };
  if (!before.isFile()) {
    return { ok: false, code: "IMPORT_NOT_REGULAR_FILE", message: `${given} is ${kindOf(before)}, not a regular file` };
  }
  let text: string;
  try {
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const opened = await handle.stat();
      if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
        return { ok: false, code: "IMPORT_NOT_REGULAR_FILE", message: `${given} changed while it was being read` };
      }
      if (opened.size > MAX_IMPORT_BYTES) {
        return {
          ok: false,
          code: "IMPORT_TOO_LARGE",
          message: `${given} has ${opened.size} bytes; at most ${MAX_IMPORT_BYTES} are read`,
        };
      }
      text = await handle.readFile("utf8");
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, code: "IMPORT_UNREADABLE", message: `${given} cannot be read (${errorCode(error)})` };
  }
  if (nix !== null) {
    try {
      await nixParse(text, { nixInstantiate: nix, cwd: dirname(real) });
    } catch (error) {
      if (!isFediError(error) || error.code !== "NIX_EVAL_FAILED") throw error;
      const detail = error.message
        .replace(/^Parsing Nix text failed:\n/, "")
        .split("\n")
        .slice(0, 6)
        .join("\n");
      return { ok: false, code: "IMPORT_PARSE_FAILED", message: `${given} is not valid Nix: ${detail}` };
    }
  }
  return { ok: true, text, sha256: createHash("sha256").update(text).digest("hex"), parseChecked: nix !== null };
}

function kindOf(s: Awaited<ReturnType<typeof lstat>>): string {
  if (s.isDirectory()) return "a directory";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice()) return "a character device";
  if (s.isBlockDevice()) return "a block device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? (error as Error)?.message ?? String(error);
}
