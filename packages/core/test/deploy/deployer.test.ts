// Deployer.apply runs the cheap checks first: with NixOps4 missing or a machine unreachable, nothing is generated
// (no secret), written or committed (no deployment directory), and no progress is recorded. Real parts: a real TCP
// port nobody listens on (connection refused), a real file secret store and state store, the NixOps4 double.
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AnyFediEvent, Deployer, hasErrorCode } from "../../src/index.js";
import { deployerOptions, machineAt, planFor, type Workspace, workspace } from "./steps/support.js";

/** A loopback port with nothing listening on it (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(async () => {
  await ws.dispose();
});

async function applyFailing(deployer: Deployer, plan: ReturnType<typeof planFor>) {
  const events: AnyFediEvent[] = [];
  deployer.events.on("event", (e) => events.push(e));
  let error: unknown;
  try {
    await deployer.apply(plan);
  } catch (e) {
    error = e;
  }
  return { error, events };
}

/** Nothing was generated, written or committed, and no progress was recorded. */
async function expectNothingChanged(events: AnyFediEvent[]) {
  expect(await ws.secrets.list()).toEqual([]);
  expect(existsSync(ws.deployDir)).toBe(false);
  expect(existsSync(join(ws.deployDir, ".git"))).toBe(false);
  expect((await ws.state.read("steps")).progress).toBeUndefined();
  expect(events.filter((e) => e.code === "step.start").map((e) => e.data.step)).toEqual(["preflight"]);
  expect(events.some((e) => e.code === "secret.generated" || e.code === "render.written")).toBe(false);
}

describe("Deployer.apply: cheap checks before anything is generated or committed", () => {
  it("stops at preflight when NixOps4 is missing: no secret generated, nothing written or committed", async () => {
    const plan = planFor([machineAt("web1", { port: await closedPort() })]);
    expect(plan.secrets.length).toBeGreaterThan(0); // the plan does need secrets
    const deployer = new Deployer(deployerOptions(ws, { nixops4: { binary: join(ws.dir, "no-such-nixops4") } }));
    const { error, events } = await applyFailing(deployer, plan);
    expect(hasErrorCode(error, "NIXOPS4_NOT_FOUND")).toBe(true);
    expect((error as { hint?: string }).hint).toContain("nix profile install github:nixops4/nixops4#nixops4");
    expect((error as { hint?: string }).hint).toContain("$FEDI_NIXOPS4");
    expect((error as { hint?: string }).hint).not.toContain("devShell"); // the generated flake has none
    await expectNothingChanged(events);
    const end = events.find((e) => e.code === "step.end");
    expect(end).toMatchObject({ data: { step: "preflight", ok: false } });
  });

  it("stops at preflight when a machine is unreachable: every machine checked, nothing generated or committed", async () => {
    const plan = planFor([
      machineAt("web1", { port: await closedPort() }),
      machineAt("web2", { port: await closedPort() }),
    ]);
    const { error, events } = await applyFailing(new Deployer(deployerOptions(ws)), plan);
    expect(hasErrorCode(error, "PREFLIGHT_FAILED")).toBe(true);
    const issues = (error as { issues: Array<{ path: string; message: string; code?: string }> }).issues;
    expect(issues.map((i) => i.path)).toEqual(["machines.web1", "machines.web2"]);
    for (const issue of issues) {
      expect(issue.message).toMatch(/^ssh: expected reachable over SSH with the pinned host key, found /);
      expect(issue.message).not.toMatch(/\.\./); // parts are joined as sentences, no doubled periods
    }
    expect((error as { hint?: string }).hint).toBe("Fix every problem listed, then run `fedi apply` again.");
    expect(events.filter((e) => e.code === "preflight.problem").map((e) => e.machine)).toEqual(["web1", "web2"]);
    await expectNothingChanged(events);
  });

  it("reports the deployer's own Nix without flakes together with the machines' problems, as NixOps4 would see it", async () => {
    const plan = planFor([machineAt("web1", { port: await closedPort() })]);
    // The environment NixOps4 gets decides: here Debian's Nix defaults (nix-command and flakes off)
    const options = deployerOptions(ws, { nixops4: { binary: deployerOptions(ws).nixops4!.binary!, env: {} } });
    const { error, events } = await applyFailing(new Deployer({ ...options }), plan);
    expect(hasErrorCode(error, "PREFLIGHT_FAILED")).toBe(true);
    const issues = (error as { issues: Array<{ path: string; message: string; code?: string }> }).issues;
    expect(issues.map((i) => i.path)).toEqual(["(this computer)", "machines.web1"]);
    expect(issues[0]!.code).toBe("local-flakes");
    expect(issues[0]!.message).toMatch(/nix-command disabled.*experimental-features = nix-command flakes/);
    await expectNothingChanged(events);
  });

  it("skips the local check when told to (an embedding program that checked itself)", async () => {
    const plan = planFor([machineAt("web1", { port: await closedPort() })]);
    const options = deployerOptions(ws, { nixops4: { binary: deployerOptions(ws).nixops4!.binary!, env: {} } });
    const { error } = await applyFailing(new Deployer({ ...options, localTools: false }), plan);
    const issues = (error as { issues: Array<{ path: string }> }).issues;
    expect(issues.map((i) => i.path)).toEqual(["machines.web1"]);
  });
});

describe("Deployer.apply: the deployment directory stays out of the state folder and the secret store", () => {
  it("refuses a deployment directory inside the state folder before anything runs", async () => {
    const plan = planFor([machineAt("web1", { port: await closedPort() })]);
    const deployDir = join(ws.state.dir, "deploy");
    const deployer = new Deployer({ ...deployerOptions(ws), deployDir });
    const { error, events } = await applyFailing(deployer, plan);
    expect(hasErrorCode(error, "DEPLOY_DIR_OVERLAP")).toBe(true);
    expect((error as Error).message).toContain("lies inside the state folder");
    expect(existsSync(deployDir)).toBe(false);
    expect(await ws.secrets.list()).toEqual([]);
    expect(events.some((e) => e.code === "step.start")).toBe(false);
  });
});
