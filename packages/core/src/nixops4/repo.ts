import { stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { FediError } from "../errors.js";

/** Options of {@link prepareDeploymentRepo}. */
export interface PrepareDeploymentRepoOptions {
  /** Commit message used when something changed. */
  message: string;
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
  };
}

/** Settings forced on every git call, whatever the repository's own configuration says. */
const GIT_FLAGS = ["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null", "-c", "core.autocrlf=false"];

async function git(dir: string, args: string[]): Promise<{ exitCode: number; stdout: string }> {
  try {
    const result = await execa("git", [...GIT_FLAGS, ...args], {
      cwd: dir,
      env: gitEnvironment(),
      extendEnv: false,
      stdin: "ignore",
      reject: false,
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

async function gitChecked(dir: string, args: string[]): Promise<string> {
  const result = await git(dir, args);
  if (result.exitCode !== 0) {
    throw new FediError("IO_FAILED", `git ${args[0]} failed in ${dir} (exit code ${result.exitCode}).`, {
      hint: "Check that the deployment directory is writable and not used by another git process (.git/index.lock).",
    });
  }
  return result.stdout.trim();
}

/**
 * Makes the rendered deployment directory `dir` a git repository whose HEAD holds exactly its current files: flakes
 * only see tracked files. Runs `git init` when `dir` has no `.git` of its own (a parent repository is not used),
 * `git add -A`, and commits when anything changed — with a fixed author and committer, no signing, no hooks, and
 * no reliance on the user's git configuration. A directory with nothing to commit yet gets an empty first commit so
 * that HEAD always exists. Everything in `dir` gets committed: keep secrets and private keys out of it.
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
  if (!hasOwnRepo) await gitChecked(dir, ["init", "--quiet"]);
  await gitChecked(dir, ["add", "--all"]);

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
