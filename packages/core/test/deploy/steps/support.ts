// Builds the run context of apply steps the way the Deployer does (createApplyContext), over real parts: a state
// store and a file secret store in a temporary folder, an SSH pool, and the NixOps4 double as the binary.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApplyContext, ApplyProgressRecorder, createApplyContext } from "../../../src/deploy/steps/index.js";
import type { DeployerOptions } from "../../../src/deploy/types.js";
import {
  type AnyFediEvent,
  type ApplyReport,
  createPlanFromUnknown,
  createRegistry,
  FediEvents,
  FileSecretStore,
  MachinePool,
  type Plan,
  StateStore,
} from "../../../src/index.js";
import { hashOf } from "../../../src/plan/allocate.js";
import { HOST_KEY, machine, testPlugins } from "../../fixtures/plugins.js";
import { DOUBLE } from "../../nixops4/helpers.js";

/** The test plugins' registry (webapp, worker, toystore). */
export const registry = createRegistry(testPlugins);

/** A machine entry of a spec, reached at 127.0.0.1:`port` (a real sshd, or a closed port). */
export function machineAt(
  name: string,
  ssh: { port: number; hostPublicKey?: string; identityFile?: string },
  extra: Record<string, unknown> = {},
) {
  // deployable as `fedi adopt` would leave it (stateVersion, boot loader, root file system, authorized key)
  return machine(name, "127.0.0.1", { ...extra, ssh: { hostPublicKey: HOST_KEY, ...ssh } });
}

/** A plan of one webapp on the first machine, toystore storage, no state. */
export function planFor(
  machines: unknown[],
  services: unknown[] = [{ name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } }],
): Plan {
  return createPlanFromUnknown({
    spec: {
      name: "steps",
      machines,
      storage: { kind: "toystore", options: {} },
      acme: { email: "ops@example.org", staging: true },
      services,
    },
    registry,
  });
}

/** A temporary folder with a state store, a secret store and a deployment directory path. */
export interface Workspace {
  dir: string;
  state: StateStore;
  secrets: FileSecretStore;
  deployDir: string;
  dispose(): Promise<void>;
}

/** Creates a {@link Workspace}. */
export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), "fedi-steps-"));
  return {
    dir,
    state: new StateStore(join(dir, ".fedi")),
    secrets: new FileSecretStore(join(dir, ".fedi", "secrets")),
    deployDir: join(dir, "deploy"),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The Deployer options of a workspace (NixOps4 double unless `nixops4` says otherwise). */
export function deployerOptions(ws: Workspace, extra: Partial<DeployerOptions> = {}): DeployerOptions {
  return {
    registry,
    deployDir: ws.deployDir,
    state: ws.state,
    secrets: ws.secrets,
    // preflight checks the local Nix with the environment NixOps4 gets: flakes on, as NixOps4 needs
    nixops4: { binary: DOUBLE, env: { NIX_CONFIG: "experimental-features = nix-command flakes" } },
    ssh: { retry: { attempts: 1, initialDelayMs: 10, maxDelayMs: 10 }, connectTimeoutMs: 2_000 },
    ...extra,
  };
}

/** A run context as the Deployer builds it, with the events it reported. */
export interface TestContext {
  ctx: ApplyContext;
  events: AnyFediEvent[];
  pool: MachinePool;
}

/** Builds the context of a run of `plan` (progress read from the workspace's state). */
export async function contextFor(
  plan: Plan,
  ws: Workspace,
  options: { deployer?: Partial<DeployerOptions>; all?: boolean; signal?: AbortSignal } = {},
): Promise<TestContext> {
  const events: AnyFediEvent[] = [];
  const bus = new FediEvents();
  bus.on("event", (e) => events.push(e));
  const pool = new MachinePool({ retry: { attempts: 1, initialDelayMs: 10, maxDelayMs: 10 } });
  const prev = await ws.state.read(plan.deployment.name);
  const report: ApplyReport = { upToDate: false, steps: [], applied: [], checks: [], durationMs: 0 };
  const ctx = createApplyContext({
    plan,
    options: deployerOptions(ws, options.deployer),
    apply: { ...(options.all ? { all: true } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    pool,
    progress: new ApplyProgressRecorder(ws.state, prev, hashOf({ ...plan, diff: null })),
    report,
    events: bus,
    redact: (t) => t,
    setRedact: () => {},
  });
  return { ctx, events, pool };
}
