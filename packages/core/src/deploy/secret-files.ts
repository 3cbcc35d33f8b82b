import { createHash } from "node:crypto";
import type { MachinePool, SshTarget } from "../machine/index.js";
import { shellQuote } from "../machine/index.js";
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
 * Brings the machine's upload folder to exactly the plan's secret files: each file whose SHA-256 differs from the
 * local rendering is uploaded atomically (root-owned, 0400); files no longer planned are removed. Values travel only
 * inside the SSH connection; hashes are compared on the machine, so nothing secret is stored locally.
 */
export async function syncSecretFiles(
  pool: MachinePool,
  target: SshTarget,
  machine: PlannedMachine,
  store: SecretStore,
  options: { signal?: AbortSignal; onUpload?: (file: string, path: string) => void } = {},
): Promise<SecretSyncResult> {
  const dir = SECRET_DIRS.upload;
  const listing = await pool.execChecked(
    target,
    `mkdir -p ${shellQuote(dir)} && chmod 0700 ${shellQuote(dir)} && cd ${shellQuote(dir)} && for f in *; do [ -f "$f" ] && sha256sum -- "$f"; done; true`,
    { idempotent: true, label: "list secret files", ...(options.signal ? { signal: options.signal } : {}) },
  );
  const remote = new Map<string, string>();
  for (const line of listing.stdout.split("\n")) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m) remote.set(m[2]!, m[1]!);
  }
  const result: SecretSyncResult = { uploaded: [], unchanged: [], removed: [] };
  const wanted = new Set(machine.secretFiles.map((f) => f.name));
  for (const file of machine.secretFiles) {
    const bytes = Buffer.from(await renderSecretFile(file, store));
    const hash = createHash("sha256").update(bytes).digest("hex");
    if (remote.get(file.name) === hash) {
      result.unchanged.push(file.name);
      continue;
    }
    const path = `${dir}/${file.name}`;
    await pool.uploadFile(target, path, bytes, {
      mode: 0o400,
      owner: "root",
      group: "root",
      mkdirMode: 0o700,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    result.uploaded.push(file.name);
    options.onUpload?.(file.name, path);
  }
  for (const name of [...remote.keys()].sort()) {
    if (wanted.has(name) || name.startsWith(".")) continue;
    await pool.removeFile(target, `${dir}/${name}`);
    result.removed.push(name);
  }
  return result;
}
