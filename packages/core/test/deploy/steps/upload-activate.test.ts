// The upload and activate steps against a NixOS-like host (real sshd in a mount namespace; see
// test/fixtures/nixos-host-double.ts): upload markers, what a continued run reinstalls, and which units restart.
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateStep, activationCommand, unitsToRestart } from "../../../src/deploy/steps/activate.js";
import { uploadedBefore, uploadMarker, uploadStep } from "../../../src/deploy/steps/upload.js";
import { ensureSecrets, type Plan } from "../../../src/index.js";
import {
  canStartHostDouble,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  startNixosHostDouble,
} from "../../fixtures/nixos-host-double.js";
import { announceSkip } from "../../fixtures/privileges.js";

const canRun = canStartHostDouble();
if (!canRun) announceSkip("upload-activate.test.ts", HOST_DOUBLE_NEEDS);

import { contextFor, machineAt, planFor, type Workspace, workspace } from "./support.js";

let host: NixosHostDouble;
let ws: Workspace;
let plan: Plan;
beforeAll(async () => {
  if (!canRun) return;
  host = await startNixosHostDouble({ activeUnits: ["webapp.service", "toystore.service"] });
  ws = await workspace();
  plan = planFor([
    machineAt("web1", { port: host.port, hostPublicKey: host.hostPublicKey, identityFile: host.clientKeyPath }),
  ]);
  await ensureSecrets(ws.secrets, plan.secrets);
}, 60_000);
afterAll(async () => {
  await host?.dispose();
  await ws?.dispose();
});

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
  it("exactly the units that read the uploaded files, each once, sorted; all of the machine's for 'all'", () => {
    const web1 = plan.machines[0]!;
    const byUnit = new Map(web1.secretFiles.map((f) => [f.neededBy.join(","), f.name]));
    const webappFile = byUnit.get("webapp.service")!;
    expect(webappFile).toBeDefined();
    expect(byUnit.get("toystore.service")).toBeDefined();
    expect(unitsToRestart(web1, [webappFile])).toEqual(["webapp.service"]);
    expect(unitsToRestart(web1, "all")).toEqual(["toystore.service", "webapp.service"]);
    expect(unitsToRestart(web1, [])).toEqual([]);
    expect(activationCommand(web1, [webappFile])).toBe(
      "systemctl restart fediversity-secrets.service && systemctl try-restart webapp.service",
    );
    // unit names are quoted for the remote shell
    const odd = { ...web1, secretFiles: [{ ...web1.secretFiles[0]!, neededBy: ["x.service; touch /tmp/y"] }] };
    expect(activationCommand(odd, "all")).toBe(
      "systemctl restart fediversity-secrets.service && systemctl try-restart 'x.service; touch /tmp/y'",
    );
    // no unit to restart: only the installer runs
    expect(activationCommand(web1, [])).toBe("systemctl restart fediversity-secrets.service");
  });
});

describe.runIf(canRun)("upload and activate on a NixOS-like host", () => {
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
    } finally {
      await pool.closeAll();
    }
  });

  it("activate reinstalls the secrets and restarts only the units of the uploaded files", async () => {
    const { ctx, pool } = await contextFor(plan, ws);
    const web1 = plan.machines[0]!;
    const webappFile = web1.secretFiles.find((f) => f.neededBy.includes("webapp.service"))!.name;
    try {
      const before = (await host.systemctlCalls()).length;
      expect(await activateStep.run(ctx)).toBeUndefined(); // nothing uploaded: nothing restarted
      expect((await host.systemctlCalls()).length).toBe(before);

      ctx.uploadedOn.set("web1", [webappFile]);
      expect(await activateStep.run(ctx)).toBe("secrets reinstalled on 1 machine(s)");
      expect((await host.systemctlCalls()).slice(before)).toEqual([
        "restart fediversity-secrets.service",
        "try-restart webapp.service",
      ]);
    } finally {
      await pool.closeAll();
    }
  });
});
