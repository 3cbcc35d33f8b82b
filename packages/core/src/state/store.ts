import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { FediError } from "../errors.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import { acquireLock, type LockOptions } from "./lock.js";
import { type DeploymentState, emptyState, STATE_SCHEMA_VERSION } from "./types.js";

const DurableItemSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("database"), engine: z.enum(["postgresql", "mysql", "redis"]), name: z.string() }),
  z.object({ kind: z.literal("directory"), path: z.string() }),
]);

const LeftoverSchema = z.object({
  kind: z.enum(["bucket", "key", "secret", "data"]),
  name: z.string(),
  machine: z.string().optional(),
  instance: z.string().optional(),
  storage: z.string().optional(),
  note: z.string(),
  durable: DurableItemSchema.optional(),
});

/** The state schema versions this SDK reads: 1 (before `storage` was recorded) and {@link STATE_SCHEMA_VERSION}. */
const READABLE_VERSIONS: readonly unknown[] = [1, STATE_SCHEMA_VERSION];

const StateSchema = z.object({
  schemaVersion: z.union([z.literal(1), z.literal(STATE_SCHEMA_VERSION)]),
  deployment: z.string(),
  appliedAt: z.string().optional(),
  instances: z.record(
    z.string(),
    z.object({
      kind: z.string(),
      machine: z.string(),
      fingerprint: z.string(),
      buckets: z.array(z.string()),
      key: z.string().optional(),
      secrets: z.array(z.string()),
      keeps: z.array(DurableItemSchema).optional(),
    }),
  ),
  machines: z.record(z.string(), z.object({ configHash: z.string() })),
  leftovers: z.array(LeftoverSchema),
  storage: z
    .object({
      kind: z.string(),
      nodes: z.array(z.string()),
      replicationFactor: z.number().int().positive().optional(),
      keeps: z.array(DurableItemSchema).optional(),
    })
    .optional(),
  progress: z.object({ planHash: z.string(), completed: z.array(z.string()), startedAt: z.string() }).optional(),
});

/** Name of the state file inside the state folder. */
export const STATE_FILE = "state.json";
/** Name of the lock file inside the state folder. */
export const LOCK_FILE = "state.lock";

/**
 * The state folder of a deployment (default `.fedi/`): `state.json` (schema-versioned, written atomically) and a lock
 * so that two runs cannot change it (or the deployment folder) at once.
 */
export class StateStore {
  /** @param dir the state folder, e.g. `.fedi`. */
  constructor(readonly dir: string) {}

  /** Path of `state.json`. */
  get path(): string {
    return join(this.dir, STATE_FILE);
  }

  /**
   * Reads the state; an empty state for `deployment` when there is no file yet.
   * @throws FediError `STATE_INVALID` when the file is unreadable, of another schema version or another deployment.
   */
  async read(deployment: string): Promise<DeploymentState> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return emptyState(deployment);
      throw new FediError("STATE_INVALID", `Cannot read ${this.path}: ${(error as Error).message}`, { cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new FediError("STATE_INVALID", `${this.path} is not valid JSON.`, {
        cause: error,
        hint: "Restore it from a backup or version control; do not edit it by hand.",
      });
    }
    const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (!READABLE_VERSIONS.includes(version)) {
      throw new FediError(
        "STATE_INVALID",
        `${this.path} has schema version ${String(version)}; this SDK reads versions ${READABLE_VERSIONS.join(" and ")}.`,
        {
          hint: "Use the SDK version that wrote it, or upgrade the SDK.",
        },
      );
    }
    const parsed = StateSchema.safeParse(json);
    if (!parsed.success) {
      throw new FediError("STATE_INVALID", `${this.path} does not match the state schema.`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
        hint: "Restore it from a backup or version control; do not edit it by hand.",
      });
    }
    if (parsed.data.deployment !== deployment) {
      throw new FediError(
        "STATE_INVALID",
        `${this.path} belongs to deployment '${parsed.data.deployment}', not '${deployment}'.`,
        {
          hint: "Use a separate state folder per deployment (--state).",
        },
      );
    }
    // Version 1 had no storage record: it reads as a version 2 state without one (the next apply records it).
    const { storage, ...rest } = parsed.data;
    return (
      parsed.data.schemaVersion === 1
        ? { ...rest, schemaVersion: STATE_SCHEMA_VERSION }
        : { ...rest, ...(storage ? { storage } : {}) }
    ) as DeploymentState;
  }

  /** Writes the state atomically. */
  async write(state: DeploymentState): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  }

  /** Path of the lock file. */
  get lockPath(): string {
    return join(this.dir, LOCK_FILE);
  }

  /**
   * Takes the lock, runs `fn`, releases the lock. The lock is exclusive and atomic (see {@link acquireLock}): it names
   * its holder (pid, host, time, `options.command`), and a lock left by a process of this host that no longer runs is
   * taken over. Temporary files left in the state folder by killed runs are removed first.
   * @throws FediError `STATE_LOCKED` when another live run holds it (after `options.waitMs`, default 0).
   */
  async withLock<T>(fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const held = await acquireLock(this.lockPath, options);
    try {
      return await fn();
    } finally {
      await held.release();
    }
  }
}
