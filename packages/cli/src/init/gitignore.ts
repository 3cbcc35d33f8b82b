import { lstat, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@fediversity/core";

/**
 * The lines `fedi init` puts into the deployment folder's `.gitignore`: the secret store, the state lock (and the
 * claim files of a lock being broken), the SDK's temporary files, and the generated deployment directory (its own git
 * repository, rebuilt by `fedi plan`). `.fedi/state.json` is not among them: it holds no secret, and placement is
 * sticky to it, so it belongs in version control.
 */
export const GITIGNORE_LINES = [
  "# Fediversity SDK (fedi init): secret values never go into version control.",
  "/.fedi/secrets/",
  "/.fedi/state.lock*",
  ".*.fedi-*.tmp",
  "# the generated deployment directory (its own git repository; fedi plan writes it again)",
  "/deploy/",
] as const;

/** What {@link ensureGitignore} did. */
export type GitignoreResult =
  | { action: "written" | "appended" | "unchanged"; lines: string[] }
  | { action: "not-a-file"; lines: string[] };

/**
 * Makes `<dir>/.gitignore` hold {@link GITIGNORE_LINES}: writes it when missing, appends the missing lines to an
 * existing file (its own lines stay as they are), and leaves anything that is not a regular file alone (the caller
 * prints the lines instead). Writes atomically, keeping an existing file's mode.
 */
export async function ensureGitignore(dir: string): Promise<GitignoreResult> {
  const path = join(dir, ".gitignore");
  const st = await lstat(path).catch(() => undefined);
  if (st === undefined) {
    await writeFileAtomic(path, `${GITIGNORE_LINES.join("\n")}\n`);
    return { action: "written", lines: [...GITIGNORE_LINES] };
  }
  if (!st.isFile()) return { action: "not-a-file", lines: [...GITIGNORE_LINES] };
  const text = await readFile(path, "utf8");
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim()));
  const missing = GITIGNORE_LINES.filter((line) => !line.startsWith("#") && !present.has(line));
  if (missing.length === 0) return { action: "unchanged", lines: [] };
  const add = [GITIGNORE_LINES[0], ...missing];
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  await writeFileAtomic(path, `${text}${separator}${add.join("\n")}\n`, { mode: st.mode & 0o777 });
  return { action: "appended", lines: add };
}
