import { join } from "node:path";
import { Deployer, FediError, FileSecretStore, StateStore } from "@fediversity/core";
import {
  type LoadedDeployment,
  loadDeployment,
  outDirFor,
  type PlannedDeployment,
  planDeployment,
  stateDirFor,
} from "../workflow/plan-deployment.js";
import type { CommandContext, OptionSpec } from "./types.js";

/** `--config`, shared by the commands that read a config. */
export const CONFIG_OPTION = {
  type: "string",
  short: "c",
  valueName: "FILE",
  description: "config file or directory (default: the nearest fedi.config.* from the current directory upward)",
} as const satisfies OptionSpec;

/** `--state`, shared by the commands that plan. */
export const STATE_OPTION = {
  type: "string",
  valueName: "DIR",
  description: "state folder holding state.json (default: .fedi/ next to the config)",
} as const satisfies OptionSpec;

/** `--allow-moves`, shared by the commands that plan. */
export const ALLOW_MOVES_OPTION = {
  type: "boolean",
  description: "let instances move to another machine when they no longer fit where they are (moves their data)",
} as const satisfies OptionSpec;

/** `--overwrite-edited`, shared by the commands that write the deployment directory. */
export const OVERWRITE_EDITED_OPTION = {
  type: "boolean",
  description: "replace generated files in the deployment directory that were edited since the SDK wrote them",
} as const satisfies OptionSpec;

/** `--allow-storage-changes`, shared by the commands that plan. */
export const ALLOW_STORAGE_CHANGES_OPTION = {
  type: "boolean",
  description:
    "let the storage nodes change against the last apply (objects stay on nodes that are dropped; apply asks first)",
} as const satisfies OptionSpec;

/** `--adopt`, shared by the commands that plan. */
export const ADOPT_OPTION = {
  type: "string",
  valueName: "NAMES",
  description:
    "comma-separated new instances that take over what removed instances left behind (buckets, key, secrets, database)",
} as const satisfies OptionSpec;

/** The instance names of `--adopt` (comma-separated), empty when not given. */
export function adoptFlag(flags: Readonly<Record<string, string | boolean | undefined>>): string[] {
  return listFlag(flags, "adopt");
}

/** The names of a comma-separated string flag, empty when not given. */
export function listFlag(flags: Readonly<Record<string, string | boolean | undefined>>, name: string): string[] {
  return (stringFlag(flags, name) ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
}

/** A string flag's value, if given. */
export function stringFlag(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  name: string,
): string | undefined {
  const value = flags[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * The config time limit from `FEDI_CONFIG_TIMEOUT_MS` (a positive number of milliseconds), if set.
 * @throws FediError `USAGE` when it is set to anything else.
 */
export function configTimeoutMs(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env.FEDI_CONFIG_TIMEOUT_MS;
  if (text === undefined || text === "") return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new FediError("USAGE", `FEDI_CONFIG_TIMEOUT_MS is '${text}', not a number of milliseconds.`, {
      hint: "Set it to a positive whole number, e.g. FEDI_CONFIG_TIMEOUT_MS=60000, or unset it (default 30000).",
    });
  }
  return ms;
}

/** A loaded config with its registry and the state folder (`--state`, else `.fedi/` next to the config). */
export type LoadedWithState = LoadedDeployment & { stateDir: string };

/** Loads the config named by `--config` (or the nearest one) and resolves the state folder from `--state`. */
export async function loadFromFlags(ctx: CommandContext): Promise<LoadedWithState> {
  const loaded = await loadDeployment(
    ctx.io.cwd,
    stringFlag(ctx.flags, "config"),
    ctx.configAlias,
    ctx.events,
    configTimeoutMs(ctx.io.env),
  );
  return { ...loaded, stateDir: stateDirFor(loaded.config, ctx.io.cwd, stringFlag(ctx.flags, "state")) };
}

/** Loads as {@link loadFromFlags} and plans against the state, honouring `--allow-moves` and `--allow-storage-changes`. */
export async function planFromFlags(ctx: CommandContext): Promise<LoadedWithState & PlannedDeployment> {
  return planLoaded(ctx, await loadFromFlags(ctx));
}

/** Plans a loaded config against its state, honouring `--allow-moves` and `--allow-storage-changes`. */
export async function planLoaded(
  ctx: CommandContext,
  loaded: LoadedWithState,
): Promise<LoadedWithState & PlannedDeployment> {
  const planned = await planDeployment({
    ...loaded,
    allowMoves: ctx.flags["allow-moves"] === true,
    allowStorageChanges: ctx.flags["allow-storage-changes"] === true,
    adopt: adoptFlag(ctx.flags),
    events: ctx.events,
  });
  return { ...loaded, ...planned };
}

/**
 * Runs `fn` holding the lock of the state folder, as every command that writes the deployment folder or the state
 * does (`apply` takes it inside the Deployer). `command` names the holder to a run that finds the lock taken.
 * @throws FediError `STATE_LOCKED` when another run holds it.
 */
export function withStateLock<T>(stateDir: string, command: string, fn: () => Promise<T>): Promise<T> {
  return new StateStore(stateDir).withLock(fn, { command });
}

/** The secret store of a state folder (`<state>/secrets`, one 0600 file per secret). */
export function secretStoreFor(stateDir: string): FileSecretStore {
  return new FileSecretStore(join(stateDir, "secrets"));
}

/**
 * A Deployer for the loaded deployment: deployment directory from `--out` (else `deploy/` next to the config),
 * state and secrets in the state folder, events to the CLI, NixOps4 from `$FEDI_NIXOPS4` (else `nixops4` on PATH).
 */
export function deployerFor(ctx: CommandContext, loaded: LoadedWithState): Deployer {
  const nixops4 = ctx.io.env.FEDI_NIXOPS4;
  return new Deployer({
    registry: loaded.registry,
    configDir: loaded.config.dir,
    deployDir: outDirFor(loaded.config, ctx.io.cwd, stringFlag(ctx.flags, "out")),
    state: new StateStore(loaded.stateDir),
    secrets: secretStoreFor(loaded.stateDir),
    events: ctx.events,
    overwriteEdited: ctx.flags["overwrite-edited"] === true,
    ...(nixops4 ? { nixops4: { binary: nixops4 } } : {}),
  });
}
