import { realpath } from "node:fs/promises";
import { basename, dirname, join, resolve, sep } from "node:path";
import { FediError } from "../errors.js";

/** Folders the deployment directory must stay out of (see {@link checkDeploymentDirLocation}). */
export interface GuardedFolders {
  /** The config file's folder: the deployment directory may lie inside it, but must not be it or contain it. */
  configDir?: string | undefined;
  /** The state folder (`.fedi/`): the deployment directory must not be it, contain it or lie inside it. */
  stateDir?: string | undefined;
  /** The secret store's folder: the deployment directory must not be it, contain it or lie inside it. */
  secretsDir?: string | undefined;
}

/** `path` with every symlink of its existing part resolved (the missing rest appended as it is). */
async function realPathOf(path: string): Promise<string> {
  const full = resolve(path);
  try {
    return await realpath(full);
  } catch {
    const parent = dirname(full);
    return parent === full ? full : join(await realPathOf(parent), basename(full));
  }
}

const within = (inner: string, outer: string) =>
  inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : `${outer}${sep}`);

/**
 * Refuses a deployment directory that would take in the user's files: one that is the config's folder or contains it
 * (`--out .` would commit the config, `.fedi/secrets/*` and everything else into the deployment's git repository,
 * which Nix copies into the world-readable store), or that is, contains or lies inside the state folder or the secret
 * store. Symlinks are resolved first.
 * @throws FediError `DEPLOY_DIR_OVERLAP` naming both folders.
 */
export async function checkDeploymentDirLocation(dir: string, guarded: GuardedFolders): Promise<void> {
  const out = await realPathOf(dir);
  const refuse = (what: string, folder: string, how: string) =>
    new FediError("DEPLOY_DIR_OVERLAP", `The deployment directory ${dir} ${how} ${what} ${folder}.`, {
      details: { dir, [what.replace(/^the /, "").replace(/ /g, "-")]: folder },
      hint:
        "The deployment directory is committed to git and copied into the world-readable Nix store: give it a folder " +
        "of its own, e.g. deploy/ next to the config (the default), with --out.",
    });
  if (guarded.configDir !== undefined) {
    const config = await realPathOf(guarded.configDir);
    if (within(config, out)) {
      throw refuse("the config's folder", guarded.configDir, out === config ? "is" : "contains");
    }
  }
  for (const [what, folder] of [
    ["the state folder", guarded.stateDir],
    ["the secret store", guarded.secretsDir],
  ] as const) {
    if (folder === undefined) continue;
    const real = await realPathOf(folder);
    if (within(real, out)) throw refuse(what, folder, out === real ? "is" : "contains");
    if (within(out, real)) throw refuse(what, folder, "lies inside");
  }
}
