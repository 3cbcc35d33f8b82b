import { lstat, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { FediError } from "../errors.js";
import { DEPLOYMENT_MANIFEST_FILE, manifestHash, readDeploymentManifest } from "../render/manifest.js";

/** Options of {@link prepareDeploymentRepo}. */
export interface PrepareDeploymentRepoOptions {
  /** Commit message used when something changed. */
  message: string;
  /**
   * The files to commit (relative paths). Default: the files of the directory's manifest (as
   * `renderDeployment` wrote them, each checked against its recorded hash) and the manifest itself.
   */
  files?: readonly string[];
}

/** Result of {@link prepareDeploymentRepo}. */
export interface PrepareDeploymentRepoResult {
  /** The commit id of HEAD after the call (40 hex digits). */
  commit: string;
  /** Whether a new commit was made (false: the tree was already committed as is). */
  changed: boolean;
}

/** The fixed identity of commits made by the SDK in a deployment repository. */
export const DEPLOYMENT_COMMIT_IDENTITY = {
  /** Author and committer name. */
  name: "Fediversity SDK",
  /** Author and committer email. */
  email: "fedi-sdk@localhost",
} as const;

/**
 * Environment for git: the caller's, without variables that would point git at another repository, with a fixed
 * author and committer and without the user's global or system git configuration (no signing, no hooks path, no
 * templates from there).
 */
function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("GIT_")) env[key] = value;
  }
  return {
    ...env,
    GIT_AUTHOR_NAME: DEPLOYMENT_COMMIT_IDENTITY.name,
    GIT_AUTHOR_EMAIL: DEPLOYMENT_COMMIT_IDENTITY.email,
    GIT_COMMITTER_NAME: DEPLOYMENT_COMMIT_IDENTITY.name,
    GIT_COMMITTER_EMAIL: DEPLOYMENT_COMMIT_IDENTITY.email,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    // paths given to git are file names, never patterns
    GIT_LITERAL_PATHSPECS: "1",
  };
}

/** Settings forced on every git call, whatever the repository's own configuration says. */
const GIT_FLAGS = ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "-c", "core.autocrlf=false"];

async function git(dir: string, args: string[], input?: string): Promise<{ exitCode: number; stdout: string }> {
  try {
    const result = await execa("git", [...GIT_FLAGS, ...args], {
      cwd: dir,
      env: gitEnvironment(),
      extendEnv: false,
      ...(input !== undefined ? { input } : { stdin: "ignore" as const }),
      reject: false,
      stripFinalNewline: false,
    });
    if (result.failed && result.exitCode === undefined) throw result;
    return { exitCode: result.exitCode ?? 1, stdout: String(result.stdout ?? "") };
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new FediError(
      "IO_FAILED",
      code === "ENOENT" ? "git is not installed (or not on PATH)." : `git could not be run in ${dir}.`,
      {
        cause,
        hint: "Install git: the deployment directory must be a git repository for Nix flakes to see its files.",
      },
    );
  }
}

async function gitChecked(dir: string, args: string[], input?: string): Promise<string> {
  const result = await git(dir, args, input);
  if (result.exitCode !== 0) {
    throw new FediError("IO_FAILED", `git ${args[0]} failed in ${dir} (exit code ${result.exitCode}).`, {
      hint: "Check that the deployment directory is writable and not used by another git process (.git/index.lock).",
    });
  }
  return result.stdout.trim();
}

/**
 * The files to commit: the manifest's, each a regular file with the hash the manifest records (what the SDK wrote is
 * what gets committed), and the manifest itself.
 * @throws FediError `DEPLOY_DIR_FOREIGN_FILE` when there is no manifest, `DEPLOY_DIR_EDITED` when a file changed.
 */
async function manifestFiles(dir: string): Promise<string[]> {
  const manifest = await readDeploymentManifest(dir);
  if (manifest === undefined || manifest.pending !== undefined) {
    throw new FediError(
      "DEPLOY_DIR_FOREIGN_FILE",
      `${dir} has no complete ${DEPLOYMENT_MANIFEST_FILE}: it was not (completely) written by the SDK.`,
      { hint: "Render the deployment first (renderDeployment, `fedi plan`): only the files it writes are committed." },
    );
  }
  const files = Object.keys(manifest.files).sort();
  for (const rel of files) {
    const path = join(dir, rel);
    const st = await lstat(path).catch(() => undefined);
    const text = st?.isFile() ? await readFile(path) : undefined;
    if (text === undefined || manifestHash(text) !== manifest.files[rel]) {
      throw new FediError("DEPLOY_DIR_EDITED", `${path} changed after the SDK wrote it; nothing was committed.`, {
        hint: "Render the deployment again (`fedi plan`), then apply.",
      });
    }
  }
  return [...files, DEPLOYMENT_MANIFEST_FILE];
}

/**
 * Makes the rendered deployment directory `dir` a git repository whose HEAD holds exactly the SDK's files: flakes
 * only see tracked files. Runs `git init` when `dir` has no `.git` of its own (a parent repository is not used),
 * stages the files of the directory's manifest (or `options.files`) and nothing else — any other tracked file is
 * removed from the index (it stays on disk) — and commits when anything changed, with a fixed author and committer,
 * no signing, no hooks, and no reliance on the user's git configuration. A directory with nothing to commit yet gets
 * an empty first commit so that HEAD always exists. Other files in `dir` are never committed.
 * @throws FediError `DEPLOY_DIR_FOREIGN_FILE` (no manifest), `DEPLOY_DIR_EDITED` (a file differs from its recorded
 *   hash), `IO_FAILED` (git missing or failing).
 */
export async function prepareDeploymentRepo(
  dir: string,
  options: PrepareDeploymentRepoOptions,
): Promise<PrepareDeploymentRepoResult> {
  const dirStat = await stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) {
    throw new FediError("IO_FAILED", `The deployment directory ${dir} does not exist.`, {
      hint: "Render the deployment first.",
    });
  }
  if (options.message.trim() === "") {
    throw new FediError("USAGE", "prepareDeploymentRepo: options.message must not be empty.");
  }
  const hasOwnRepo = await stat(join(dir, ".git")).then(
    () => true,
    () => false,
  );
  const files = options.files !== undefined ? [...options.files].sort() : await manifestFiles(dir);
  if (!hasOwnRepo) await gitChecked(dir, ["init", "--quiet"]);
  const keep = new Set(files);
  const tracked = (await gitChecked(dir, ["ls-files", "-z"])).split("\0").filter((p) => p !== "");
  const untrack = tracked.filter((p) => !keep.has(p));
  const nul = (paths: string[]) => `${paths.join("\0")}\0`;
  if (untrack.length > 0) {
    await gitChecked(dir, ["rm", "--cached", "--quiet", "--pathspec-from-file=-", "--pathspec-file-nul"], nul(untrack));
  }
  if (files.length > 0) {
    await gitChecked(dir, ["add", "--force", "--pathspec-from-file=-", "--pathspec-file-nul"], nul(files));
  }

  const hasHead = (await git(dir, ["rev-parse", "--verify", "--quiet", "HEAD"])).exitCode === 0;
  const diff = await git(dir, ["diff", "--cached", "--quiet", "--exit-code"]);
  if (diff.exitCode > 1) {
    throw new FediError("IO_FAILED", `git diff failed in ${dir} (exit code ${diff.exitCode}).`);
  }
  const changed = diff.exitCode === 1 || !hasHead;
  if (changed) {
    await gitChecked(dir, [
      "commit",
      "--quiet",
      "--no-verify",
      "--no-gpg-sign",
      "--allow-empty",
      "-m",
      options.message,
    ]);
  }
  const commit = await gitChecked(dir, ["rev-parse", "HEAD"]);
  return { commit, changed };
}
