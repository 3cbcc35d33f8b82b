import { createHash, randomBytes } from "node:crypto";
import type { MachinePool, SshTarget } from "../machine/index.js";
import { shellQuote, uploadTempPrefix } from "../machine/index.js";
import type { PlannedMachine } from "../plan/types.js";
import { SECRET_DIRS } from "../plan/types.js";
import type { SecretStore } from "../secrets/index.js";
import { renderSecretFile } from "../secrets/index.js";

/** What {@link syncSecretFiles} did on one machine. */
export interface SecretSyncResult {
  /** Files uploaded because they were missing or differed. */
  uploaded: string[];
  /** Files already up to date. */
  unchanged: string[];
  /** Files removed because the machine no longer needs them. */
  removed: string[];
}

/**
 * The login user's staging folder for secret uploads on a target that becomes root through sudo:
 * `/var/lib/fediversity/upload-<user>` (created by root, owned by the user, mode 0700; removed after each sync).
 */
export function secretStagingDir(user: string): string {
  return `/var/lib/fediversity/upload-${user}`;
}

/**
 * The root command that moves a staged secret file into place on a sudo target: removes stale temporary copies of
 * earlier interrupted installs, `install -o root -g root -m 0400` copies the staged file to a temporary name beside
 * the target, `mv -f` renames it over the target (atomic), and the staged copy is removed (also when install fails).
 * Paths are shell-quoted, after `--`; the secret value itself never appears on the command line.
 */
export function installStagedCommand(staged: string, path: string, tempSuffix: string): string {
  const dir = path.slice(0, path.lastIndexOf("/"));
  const prefix = uploadTempPrefix(path);
  const tmp = `${dir}/${prefix}${tempSuffix}.tmp`;
  const q = shellQuote;
  return [
    `rm -f -- ${q(dir)}/${q(prefix)}*.tmp`,
    `if install -o root -g root -m 0400 -- ${q(staged)} ${q(tmp)} && mv -f -- ${q(tmp)} ${q(path)}; then rc=0; else rc=1; rm -f -- ${q(tmp)}; fi`,
    `rm -f -- ${q(staged)}`,
    `exit $rc`,
  ].join("\n");
}

/**
 * Brings the machine's upload folder to exactly the plan's secret files: each file whose SHA-256 differs from the
 * local rendering is uploaded atomically (root-owned, 0400); files no longer planned are removed. Values travel only
 * inside the SSH connection; hashes are compared on the machine, so nothing secret is stored locally.
 *
 * On a target with `sudo` (a non-root login user) the folder is root-only, so SFTP cannot write there: each file is
 * uploaded by SFTP into the user's `secretStagingDir` (mode 0700) and moved into place as root with
 * `installStagedCommand`; listing and removal run as root through sudo; the staging folder is removed at the end
 * (also after a failure, when the machine still answers).
 */
export async function syncSecretFiles(
  pool: MachinePool,
  target: SshTarget,
  machine: PlannedMachine,
  store: SecretStore,
  options: { signal?: AbortSignal; onUpload?: (file: string, path: string) => void } = {},
): Promise<SecretSyncResult> {
  const dir = SECRET_DIRS.upload;
  const signalOption = options.signal ? { signal: options.signal } : {};
  const stage = target.sudo ? secretStagingDir(target.user) : undefined;
  const q = shellQuote;
  // On a sudo target this runs as root: it also (re)creates the user's empty staging folder.
  const prepareStage = stage
    ? `rm -rf -- ${q(stage)} && mkdir -m 0700 -- ${q(stage)} && chown -- ${q(`${target.user}:`)} ${q(stage)} && `
    : "";
  const listing = await pool.execChecked(
    target,
    `mkdir -p ${q(dir)} && chmod 0700 ${q(dir)} && ${prepareStage}cd ${q(dir)} && for f in *; do [ -f "$f" ] && sha256sum -- "$f"; done; true`,
    { idempotent: true, label: "list secret files", ...signalOption },
  );
  const remote = new Map<string, string>();
  for (const line of listing.stdout.split("\n")) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m) remote.set(m[2]!, m[1]!);
  }
  const result: SecretSyncResult = { uploaded: [], unchanged: [], removed: [] };
  try {
    const wanted = new Set(machine.secretFiles.map((f) => f.name));
    for (const file of machine.secretFiles) {
      const bytes = Buffer.from(await renderSecretFile(file, store));
      const hash = createHash("sha256").update(bytes).digest("hex");
      if (remote.get(file.name) === hash) {
        result.unchanged.push(file.name);
        continue;
      }
      const path = `${dir}/${file.name}`;
      if (stage) {
        const staged = `${stage}/${file.name}`;
        await pool.uploadFile(target, staged, bytes, { mode: 0o600, ...signalOption });
        await pool.execChecked(target, installStagedCommand(staged, path, randomBytes(6).toString("hex")), {
          idempotent: true,
          label: `install ${path}`,
          ...signalOption,
        });
      } else {
        await pool.uploadFile(target, path, bytes, {
          mode: 0o400,
          owner: "root",
          group: "root",
          mkdirMode: 0o700,
          ...signalOption,
        });
      }
      result.uploaded.push(file.name);
      options.onUpload?.(file.name, path);
    }
    for (const name of [...remote.keys()].sort()) {
      if (wanted.has(name) || name.startsWith(".")) continue;
      const path = `${dir}/${name}`;
      if (stage) {
        await pool.execChecked(target, `rm -f -- ${q(path)}`, {
          idempotent: true,
          label: `remove ${path}`,
          ...signalOption,
        });
      } else await pool.removeFile(target, path);
      result.removed.push(name);
    }
    return result;
  } finally {
    // Best effort: the next sync recreates the folder empty anyway.
    if (stage)
      await pool.exec(target, `rm -rf -- ${q(stage)}`, { label: "remove the secret staging folder" }).catch(() => {});
  }
}
