import { join, resolve } from "node:path";
import {
  createPlan,
  type DeploymentState,
  type FediEvents,
  type NixosImports,
  type Plan,
  type PluginRegistry,
  readNixosImports,
  renderDeployment,
  StateStore,
  validateSpec,
  type WriteReport,
} from "@fediversity/core";
import { findConfigFile } from "../config/find.js";
import { type LoadedConfig, loadConfig } from "../config/load.js";
import { registryFor } from "../plugins.js";
import { step } from "./step.js";

/** Default state folder, next to the config file. */
export const DEFAULT_STATE_DIR = ".fedi";
/** Default deployment directory, next to the config file. */
export const DEFAULT_OUT_DIR = "deploy";

/** A config loaded with its plugin registry. */
export interface LoadedDeployment {
  /** The config. */
  config: LoadedConfig;
  /** Default plugins plus the config's own. */
  registry: PluginRegistry;
}

/**
 * Finds and loads the config (`explicit` path or the nearest `fedi.config.*` from `cwd` upward) and builds the plugin
 * registry. Reports the step `config`. `timeoutMs` bounds loading the config (see `loadConfig`).
 */
export async function loadDeployment(
  cwd: string,
  explicit: string | undefined,
  alias: Record<string, string>,
  events?: FediEvents,
  timeoutMs?: number,
): Promise<LoadedDeployment> {
  return step(
    events,
    "config",
    "Loading the config",
    async () => {
      const path = await findConfigFile(cwd, explicit);
      const config = await loadConfig(path, { alias, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
      return { config, registry: registryFor(config.plugins) };
    },
    (r) => `Loaded ${displayPath(cwd, r.config.path)}`,
  );
}

/** Input of {@link planDeployment}. */
export interface PlanDeploymentInput extends LoadedDeployment {
  /** State folder (holding `state.json`). */
  stateDir: string;
  /** Let instances move to another machine when they cannot stay. */
  allowMoves?: boolean;
  /** Let the storage nodes change against the last apply (`PlanInput.allowStorageChanges`). */
  allowStorageChanges?: boolean;
  /** New instances that take over removed instances' leftovers (`PlanInput.adopt`). */
  adopt?: string[];
  /** Progress. */
  events?: FediEvents;
}

/** A plan with the state it was made against. */
export interface PlannedDeployment {
  /** The plan. */
  plan: Plan;
  /** The state read (empty when nothing was applied yet). */
  state: DeploymentState;
  /** Path of `state.json`. */
  stateFile: string;
  /** The machines' imported module files as read (by the spec's path). */
  imports: NixosImports;
}

/**
 * Validates the spec (every problem at once), reads the machines' imported module files (checked where they lie and
 * parsed), reads the state of the deployment and plans against it. Reports the steps `validate`, `state` and `plan`.
 */
export async function planDeployment(input: PlanDeploymentInput): Promise<PlannedDeployment> {
  const { config, registry, events } = input;
  const { validated, imports } = await step(
    events,
    "validate",
    "Checking the schema and plugin options",
    async () => ({
      validated: validateSpec(config.spec, registry),
      imports: await readNixosImports(config.spec, config.dir),
    }),
    ({ validated: v }) =>
      `Checked the schema and plugin options: ${count(v.spec.machines.length, "machine")}, ${count(v.spec.services.length, "service instance")}, ${v.spec.storage.kind} storage`,
  );
  const store = new StateStore(input.stateDir);
  const state = await step(
    events,
    "state",
    "Reading the state",
    () => store.read(validated.spec.name),
    (s) => (s.appliedAt ? `Read the state of the last apply (${s.appliedAt})` : "No apply recorded yet"),
  );
  const plan = await step(
    events,
    "plan",
    "Planning",
    () =>
      createPlan({
        spec: config.spec,
        registry,
        state,
        allowMoves: input.allowMoves ?? false,
        allowStorageChanges: input.allowStorageChanges ?? false,
        adopt: input.adopt ?? [],
        imports,
      }),
    (p) => `Planned ${count(p.instances.length, "instance")} on ${count(p.machines.length, "machine")}`,
  );
  return { plan, state, stateFile: store.path, imports };
}

/** Where {@link writeDeployment} writes and which folders it must stay out of. */
export interface WriteDeploymentTarget {
  /** The deployment directory. */
  outDir: string;
  /** The config's folder (imports are read from it when `imports` is not given). */
  configDir: string;
  /** The state folder (its `secrets/` is the secret store). */
  stateDir: string;
  /** The imported module files as read for the plan. */
  imports?: NixosImports;
  /** Replace generated files that were edited since (`--overwrite-edited`). */
  overwriteEdited?: boolean;
}

/**
 * Writes the complete deployment directory of a plan with `renderDeployment` (changed files only, only the SDK's
 * own files replaced, kept out of the config's folder, the state folder and the secret store); reports the step
 * `render` and `render.written`.
 */
export async function writeDeployment(
  plan: Plan,
  target: WriteDeploymentTarget,
  cwd: string,
  events?: FediEvents,
): Promise<WriteReport> {
  const { outDir } = target;
  const report = await step(
    events,
    "render",
    "Writing the deployment files",
    () =>
      renderDeployment(plan, {
        dir: outDir,
        configDir: target.configDir,
        stateDir: target.stateDir,
        secretsDir: join(target.stateDir, "secrets"),
        ...(target.imports !== undefined ? { imports: target.imports } : {}),
        overwriteEdited: target.overwriteEdited === true,
      }),
    (r) =>
      `Wrote ${displayPath(cwd, outDir)}: ${r.written.length} written, ${r.unchanged.length} unchanged${r.removed.length ? `, ${r.removed.length} removed` : ""}`,
  );
  events?.report("render.written", { dir: outDir, ...report });
  return report;
}

/** The state folder: `--state` against the working directory, else `.fedi/` next to the config. */
export function stateDirFor(config: LoadedConfig, cwd: string, flag: string | undefined): string {
  return flag !== undefined ? resolve(cwd, flag) : join(config.dir, DEFAULT_STATE_DIR);
}

/** The deployment directory: `--out` against the working directory, else `deploy/` next to the config. */
export function outDirFor(config: LoadedConfig, cwd: string, flag: string | undefined): string {
  return flag !== undefined ? resolve(cwd, flag) : join(config.dir, DEFAULT_OUT_DIR);
}

/** A path relative to `cwd` when it lies below it, else absolute. */
export function displayPath(cwd: string, path: string): string {
  const base = resolve(cwd);
  const full = resolve(path);
  return full === base ? "." : full.startsWith(`${base}/`) ? full.slice(base.length + 1) : full;
}

/** `1 machine`, `3 machines`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
