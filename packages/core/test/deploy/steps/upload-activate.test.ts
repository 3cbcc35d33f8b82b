// The upload and activate steps against a NixOS-like host (real sshd in a mount namespace; see
// test/fixtures/nixos-host-double.ts): upload markers, what a continued run reinstalls, and which units restart
// after one secret is rotated — exactly the units that keep what the rotated files hold.
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  activateStep,
  restartCommand,
  SECRETS_CLEANUP_UNIT,
  secretInstallerUnit,
  unitsToRestart,
} from "../../../src/deploy/steps/activate.js";
import { uploadedBefore, uploadMarker, uploadStep } from "../../../src/deploy/steps/upload.js";
import {
  createPlanFromUnknown,
  createRegistry,
  defineService,
  ensureSecrets,
  hasErrorCode,
  type Plan,
  type PlannedMachine,
} from "../../../src/index.js";
import {
  canStartHostDouble,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  startNixosHostDouble,
} from "../../fixtures/nixos-host-double.js";
import { testPlugins } from "../../fixtures/plugins.js";
import { announceSkip } from "../../fixtures/privileges.js";

const canRun = canStartHostDouble();
if (!canRun) announceSkip("upload-activate.test.ts", HOST_DOUBLE_NEEDS);

import { contextFor, machineAt, type Workspace, workspace } from "./support.js";

/**
 * A service shaped like Pixelfed and Mastodon: a setup oneshot derives the app's config from `env` (rerun when it
 * changes) for a web and a worker process (restarted); the web process also reads `key` itself (restarted by
 * default, `neededBy`); a oneshot reads `admin` once (nothing restarts).
 */
const rotApp = defineService({
  kind: "rotapp",
  apiVersion: 1,
  options: z.object({}).strict(),
  requirements: () => ({
    cpus: 1,
    memoryMiB: 256,
    diskGiB: 1,
    secrets: [
      { id: "app-key", generate: { kind: "random-hex", bytes: 16 } },
      { id: "signing-key", generate: { kind: "random-hex", bytes: 16 } },
      { id: "admin-password", generate: { kind: "random-hex", bytes: 16 } },
    ],
    secretFiles: [
      {
        id: "env",
        owner: "root",
        neededBy: ["rotapp-setup.service"],
        rerunUnits: ["rotapp-setup.service"],
        restartUnits: ["rotapp-worker.service", "rotapp-web.service"],
        content: { kind: "env", entries: { APP_KEY: { secret: "app-key" } } },
      },
      {
        id: "key",
        owner: "rotapp",
        neededBy: ["rotapp-web.service"],
        content: { kind: "value", secret: "signing-key" },
      },
      {
        id: "admin",
        owner: "rotapp",
        neededBy: ["rotapp-admin.service"],
        restartUnits: [],
        content: { kind: "value", secret: "admin-password" },
      },
    ],
  }),
  nixos: () => ({ services: { rotapp: { enable: true } } }),
  checks: () => [],
});

const registry = createRegistry([...testPlugins, rotApp]);

/** One machine with the toy storage, a webapp and a rotapp. */
function rotationPlan(ssh: { port: number; hostPublicKey?: string; identityFile?: string }): Plan {
  return createPlanFromUnknown({
    spec: {
      name: "steps",
      machines: [machineAt("web1", ssh)],
      storage: { kind: "toystore", options: {} },
      acme: { email: "ops@example.org", staging: true },
      services: [
        { name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } },
        { name: "rot", kind: "rotapp", options: {} },
      ],
    },
    registry,
  });
}

/** The machine's secret file names by declaring owner and id, e.g. `rot-env`. */
const fileNamed = (m: PlannedMachine, name: string) => m.secretFiles.find((f) => f.name === name)!;

describe("upload markers", () => {
  it("name the machine; a continued run reinstalls every file of each machine uploaded to before", () => {
    expect(uploadMarker("web1")).toBe("uploaded:web1");
    const before = uploadedBefore(["upload", uploadMarker("web1"), "storage-nodes", uploadMarker("db.2")]);
    expect([...before]).toEqual([
      ["web1", "all"],
      ["db.2", "all"],
    ]);
    expect(uploadedBefore(["upload", "storage"]).size).toBe(0);
  });
});

describe("activate: which units restart", () => {
  const web1 = rotationPlan({ port: 22 }).machines[0]!;

  it("the plan resolves each file's units: restartUnits (default neededBy) and rerunUnits (default none)", () => {
    expect(fileNamed(web1, "rot-env")).toMatchObject({
      neededBy: ["rotapp-setup.service"],
      rerunUnits: ["rotapp-setup.service"],
      restartUnits: ["rotapp-web.service", "rotapp-worker.service"],
    });
    expect(fileNamed(web1, "rot-key")).toMatchObject({ restartUnits: ["rotapp-web.service"], rerunUnits: [] });
    expect(fileNamed(web1, "rot-admin")).toMatchObject({ restartUnits: [], rerunUnits: [] });
    expect(fileNamed(web1, "alpha-env")).toMatchObject({ restartUnits: ["webapp.service"], rerunUnits: [] });
  });

  it("rotating one file restarts exactly its units, each once; other files' units are untouched", () => {
    expect(unitsToRestart(web1, ["rot-env"])).toEqual({
      rerun: ["rotapp-setup.service"],
      restart: ["rotapp-web.service", "rotapp-worker.service"],
    });
    expect(unitsToRestart(web1, ["rot-key"])).toEqual({ rerun: [], restart: ["rotapp-web.service"] });
    expect(unitsToRestart(web1, ["rot-admin"])).toEqual({ rerun: [], restart: [] });
    expect(unitsToRestart(web1, ["alpha-env"])).toEqual({ rerun: [], restart: ["webapp.service"] });
    expect(unitsToRestart(web1, ["rot-env", "rot-key"])).toEqual({
      rerun: ["rotapp-setup.service"],
      restart: ["rotapp-web.service", "rotapp-worker.service"],
    });
    expect(unitsToRestart(web1, "all")).toEqual({
      rerun: ["rotapp-setup.service"],
      restart: ["rotapp-web.service", "rotapp-worker.service", "toystore.service", "webapp.service"],
    });
    expect(unitsToRestart(web1, [])).toEqual({ rerun: [], restart: [] });
  });

  it("one systemctl restart takes the rerun units and the running ones of the others; names are shell-quoted", () => {
    expect(restartCommand({ rerun: [], restart: [] })).toBeUndefined();
    expect(restartCommand({ rerun: ["a.service"], restart: [] })).toBe("systemctl restart a.service");
    expect(restartCommand({ rerun: ["a.service"], restart: ["b.service"] })).toBe(
      'set --; for u in b.service; do if systemctl is-active "$u" >/dev/null; then set -- "$@" "$u"; fi; done; systemctl restart a.service "$@"',
    );
    expect(restartCommand({ rerun: [], restart: ["x.service; touch /tmp/y"] })).toBe(
      `set --; for u in 'x.service; touch /tmp/y'; do if systemctl is-active "$u" >/dev/null; then set -- "$@" "$u"; fi; done; if [ "$#" -gt 0 ]; then systemctl restart "$@"; fi`,
    );
    expect(secretInstallerUnit("rot-env")).toBe("fediversity-secret-rot-env.service");
    expect(SECRETS_CLEANUP_UNIT).toBe("fediversity-secrets.service");
  });

  it("a plugin naming something that is not a systemd unit breaks the contract", () => {
    const bad = defineService({
      kind: "badunits",
      apiVersion: 1,
      options: z.object({}).strict(),
      requirements: () => ({
        cpus: 1,
        memoryMiB: 1,
        diskGiB: 1,
        secrets: [{ id: "k", generate: { kind: "random-hex", bytes: 4 } }],
        secretFiles: [
          {
            id: "f",
            owner: "root",
            neededBy: ["ok.service"],
            restartUnits: ["ok.service; reboot"],
            content: { kind: "value", secret: "k" },
          },
        ],
      }),
      nixos: () => ({}),
      checks: () => [],
    });
    let error: unknown;
    try {
      createPlanFromUnknown({
        spec: {
          name: "x",
          machines: [machineAt("web1", { port: 22 })],
          storage: { kind: "toystore" },
          services: [{ name: "b", kind: "badunits", options: {} }],
        },
        registry: createRegistry([...testPlugins, bad]),
      });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "PLUGIN_CONTRACT")).toBe(true);
    expect((error as Error).message).toContain("names 'ok.service; reboot' in restartUnits");
  });
});

let host: NixosHostDouble;
let ws: Workspace;
let plan: Plan;

describe.runIf(canRun)("upload and activate on a NixOS-like host", () => {
  beforeAll(async () => {
    host = await startNixosHostDouble({
      // rotapp-worker is stopped: it stays stopped; rotapp-setup is a oneshot that ran and exited
      activeUnits: ["webapp.service", "toystore.service", "rotapp-web.service"],
    });
    ws = await workspace();
    plan = rotationPlan({ port: host.port, hostPublicKey: host.hostPublicKey, identityFile: host.clientKeyPath });
    await ensureSecrets(ws.secrets, plan.secrets);
  }, 60_000);
  afterAll(async () => {
    await host?.dispose();
    await ws?.dispose();
  });

  it("uploads the changed files, records the machine at once, and a continued run knows it uploaded there", async () => {
    const { ctx, events, pool } = await contextFor(plan, ws);
    try {
      const summary = await uploadStep.run(ctx);
      const names = plan.machines[0]!.secretFiles.map((f) => f.name);
      expect(summary).toBe(`${names.length} file(s) uploaded, 0 removed`);
      expect([...ctx.uploadedOn]).toEqual([["web1", names]]);
      expect((await ws.state.read("steps")).progress?.completed).toEqual(["uploaded:web1"]);
      expect((await readdir(`${host.varLib}/secrets`)).sort()).toEqual([...names].sort());
      expect(events.filter((e) => e.code === "secret.uploaded").map((e) => e.machine)).toEqual(names.map(() => "web1"));
    } finally {
      await pool.closeAll();
    }
    // the run stops here; the next run of the same plan starts from the recorded progress
    const next = await contextFor(plan, ws);
    expect([...next.ctx.uploadedOn]).toEqual([["web1", "all"]]);
    await next.pool.closeAll();
  });

  it("has nothing to do (skipped) when every file on the machine is up to date, and records nothing", async () => {
    await ws.state.write({ ...(await ws.state.read("steps")), progress: undefined } as never);
    const { ctx, pool } = await contextFor(plan, ws);
    try {
      expect(await uploadStep.run(ctx)).toBeUndefined();
      expect(ctx.uploadedOn.size).toBe(0);
      expect((await ws.state.read("steps")).progress).toBeUndefined();
      const before = (await host.systemctlCalls()).length;
      expect(await activateStep.run(ctx)).toBeUndefined(); // nothing uploaded: nothing restarted
      expect((await host.systemctlCalls()).length).toBe(before);
    } finally {
      await pool.closeAll();
    }
  });

  it("after one secret is rotated, only its file is uploaded and exactly the units keeping it restart", async () => {
    await ws.secrets.set("rot.app-key", "rotated-app-key-value");
    const { ctx, pool } = await contextFor(plan, ws);
    try {
      expect(await uploadStep.run(ctx)).toBe("1 file(s) uploaded, 0 removed");
      expect([...ctx.uploadedOn]).toEqual([["web1", ["rot-env"]]]);
      const before = (await host.systemctlCalls()).length;
      expect(await activateStep.run(ctx)).toBe("secrets reinstalled on 1 machine(s)");
      expect((await host.systemctlCalls()).slice(before)).toEqual([
        "restart fediversity-secret-rot-env.service",
        "restart fediversity-secrets.service",
        // the long-running readers are asked whether they run; the stopped worker is not started
        "is-active rotapp-web.service",
        "is-active rotapp-worker.service",
        // the setup oneshot runs again and the running web process restarts, in one systemd transaction
        "restart rotapp-setup.service rotapp-web.service",
      ]);
    } finally {
      await pool.closeAll();
    }
  });

  it("a file whose installer fails restarts none of its units; the other files install and their units restart", async () => {
    await ws.secrets.set("rot.app-key", "rotated-again");
    await ws.secrets.set("alpha.app-key", "rotated-alpha-key");
    await host.setFailingUnits([secretInstallerUnit("rot-env")]);
    const { ctx, pool } = await contextFor(plan, ws);
    try {
      expect(await uploadStep.run(ctx)).toBe("2 file(s) uploaded, 0 removed");
      const before = (await host.systemctlCalls()).length;
      let error: unknown;
      try {
        await activateStep.run(ctx);
      } catch (e) {
        error = e;
      }
      expect((await host.systemctlCalls()).slice(before)).toEqual([
        "restart fediversity-secret-alpha-env.service",
        "restart fediversity-secret-rot-env.service",
        "restart fediversity-secrets.service",
        "is-active webapp.service",
        "restart webapp.service",
      ]);
      expect(hasErrorCode(error, "SECRET_ACTIVATION_FAILED")).toBe(true);
      const issues = (error as { issues: Array<{ path: string; message: string }> }).issues;
      expect(issues.map((i) => i.path)).toEqual(["machines.web1.secretFiles.rot-env"]);
      expect(issues[0]!.message).toBe(
        "fediversity-secret-rot-env.service failed: Job for fediversity-secret-rot-env.service failed because the control process exited with error code.; not restarted: rotapp-setup.service, rotapp-web.service, rotapp-worker.service",
      );
      expect((error as Error).message).not.toContain("rotated-again");
    } finally {
      await host.setFailingUnits([]);
      await pool.closeAll();
    }
  });
});
