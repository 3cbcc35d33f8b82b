import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gatherFacts, MachinePool } from "../../src/index.js";
import {
  canStartHostDouble,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  startNixosHostDouble,
} from "../fixtures/nixos-host-double.js";
import { announceSkip } from "../fixtures/privileges.js";

const canRun = canStartHostDouble();
if (!canRun) announceSkip("the NixOS-like host double", HOST_DOUBLE_NEEDS);

let host: NixosHostDouble;
const pool = new MachinePool();
beforeAll(async () => {
  if (canRun) host = await startNixosHostDouble({ activeUnits: ["garage.service"] });
});
afterAll(async () => {
  await pool.closeAll();
  await host?.dispose();
});

describe.runIf(canRun)("NixOS-like host double", () => {
  it("looks like NixOS with systemd and nix to a session, and keeps /var/lib/fediversity in its own folder", async () => {
    const target = host.target("box");
    const facts = await pool.withMachine(target, (conn) => gatherFacts(conn));
    expect(facts).toMatchObject({ isNixOS: true, nixVersion: "2.28.3", systemd: "running" });
    const r = await pool.exec(
      target,
      "systemctl is-active garage.service; systemctl is-active nope.service; echo x > /var/lib/fediversity/probe",
    );
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["active", "inactive"]);
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(`${host.varLib}/probe`, "utf8")).toBe("x\n");
    expect(await host.systemctlCalls()).toContain("is-active nope.service");
  });
});
