import type { Stats } from "node:fs";
import { chmod, lstat, mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { FediError, isFediError } from "../errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { assertSecretName, SECRET_NAME_PATTERN } from "./names.js";
import { assertSecretValue, type SecretStore } from "./store.js";

/** Default folder of the {@link FileSecretStore}, relative to the current directory. */
export const DEFAULT_SECRETS_DIR = ".fedi/secrets";

function secretError(message: string, cause?: unknown, hint?: string): FediError {
  return new FediError("SECRET_FAILED", message, {
    ...(cause !== undefined ? { cause } : {}),
    ...(hint !== undefined ? { hint } : {}),
  });
}

function currentUid(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

/**
 * A {@link SecretStore} keeping one file per secret in a folder (default `.fedi/secrets`): the folder has mode 0700,
 * each file mode 0600 and holds exactly the value (no trailing newline added). Writes are atomic (temporary file +
 * rename), so a crash leaves the old value or the new one.
 *
 * Permissions policy: a folder or file of ours that is readable by group or others (e.g. after a copy or a loose
 * umask) is tightened to 0700 / 0600 when it is used; a folder or file owned by another user, a symbolic link, or
 * something that is not a folder / regular file is refused with `SECRET_FAILED`.
 */
export class FileSecretStore implements SecretStore {
  /** Absolute path of the secrets folder. */
  readonly dir: string;

  /** Creates a store over `dir` (resolved against the current directory now); nothing is created until a `set`. */
  constructor(dir: string = DEFAULT_SECRETS_DIR) {
    this.dir = resolve(dir);
  }

  private checkOwner(stats: Stats, what: string): void {
    const uid = currentUid();
    if (uid !== undefined && uid !== 0 && stats.uid !== uid) {
      throw secretError(
        `The secret ${what} ${this.dir} is owned by another user (uid ${stats.uid}).`,
        undefined,
        "Secrets must belong to the user running the SDK; fix the ownership (chown) or use another folder.",
      );
    }
  }

  /** Checks (and, when `create`, creates) the folder; false when it does not exist and `create` is false. */
  private async prepareDir(create: boolean): Promise<boolean> {
    let stats = await lstat(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw secretError(`Cannot read the secret folder ${this.dir}: ${error.message}`, error);
    });
    if (stats === undefined) {
      if (!create) return false;
      try {
        await mkdir(this.dir, { recursive: true, mode: 0o700 });
        stats = await lstat(this.dir);
      } catch (error) {
        throw secretError(`Cannot create the secret folder ${this.dir}: ${(error as Error).message}`, error);
      }
    }
    if (!stats.isDirectory()) {
      throw secretError(
        `The secret folder ${this.dir} is not a folder (or is a symbolic link).`,
        undefined,
        "Point the secret store at a real folder that only you can read.",
      );
    }
    this.checkOwner(stats, "folder");
    if ((stats.mode & 0o777) !== 0o700) {
      try {
        await chmod(this.dir, 0o700);
      } catch (error) {
        throw secretError(`Cannot restrict the secret folder ${this.dir} to mode 0700.`, error);
      }
    }
    return true;
  }

  private path(name: string): string {
    assertSecretName(name);
    return join(this.dir, name);
  }

  /** Stats of a secret file (tightening its mode), or undefined when it does not exist. */
  private async fileStats(name: string, path: string): Promise<Stats | undefined> {
    const stats = await lstat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw secretError(`Cannot read secret ${JSON.stringify(name)}: ${error.message}`, error);
    });
    if (stats === undefined) return undefined;
    if (!stats.isFile()) {
      throw secretError(
        `Secret ${JSON.stringify(name)} in ${this.dir} is not a regular file (or is a symbolic link).`,
        undefined,
        "Remove it and set the secret again.",
      );
    }
    this.checkOwner(stats, "file in");
    if ((stats.mode & 0o777) !== 0o600) {
      try {
        await chmod(path, 0o600);
      } catch (error) {
        throw secretError(`Cannot restrict secret ${JSON.stringify(name)} to mode 0600.`, error);
      }
    }
    return stats;
  }

  /** The value of `name`, or undefined when it is not set. */
  async get(name: string): Promise<string | undefined> {
    const path = this.path(name);
    if (!(await this.prepareDir(false))) return undefined;
    if ((await this.fileStats(name, path)) === undefined) return undefined;
    try {
      return await readFile(path, "utf8");
    } catch (error) {
      throw secretError(`Cannot read secret ${JSON.stringify(name)}: ${(error as Error).message}`, error);
    }
  }

  /** Sets (or replaces) the value of `name`. */
  async set(name: string, value: string): Promise<void> {
    const path = this.path(name);
    assertSecretValue(name, value);
    await this.prepareDir(true);
    await this.fileStats(name, path);
    try {
      await writeFileAtomic(path, value, { mode: 0o600, mkdirs: false });
    } catch (error) {
      const detail = isFediError(error) ? error.message : String(error);
      throw secretError(
        `Cannot store secret ${JSON.stringify(name)}: ${detail}`,
        error,
        "Check that the secret folder is writable and the disk is not full.",
      );
    }
  }

  /** Whether `name` is set. */
  async has(name: string): Promise<boolean> {
    const path = this.path(name);
    if (!(await this.prepareDir(false))) return false;
    return (await this.fileStats(name, path)) !== undefined;
  }

  /** Removes `name`; no error when it is not set. */
  async delete(name: string): Promise<void> {
    const path = this.path(name);
    if (!(await this.prepareDir(false))) return;
    try {
      await rm(path, { force: true });
    } catch (error) {
      throw secretError(`Cannot delete secret ${JSON.stringify(name)}: ${(error as Error).message}`, error);
    }
  }

  /** The names of all set secrets, sorted. */
  async list(): Promise<string[]> {
    if (!(await this.prepareDir(false))) return [];
    const entries = await readdir(this.dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && SECRET_NAME_PATTERN.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  }
}
