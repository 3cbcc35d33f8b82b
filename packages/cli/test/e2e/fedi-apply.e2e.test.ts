import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceSkip, isRoot } from "../../../core/test/fixtures/privileges.js";
import { fedi } from "../support/fedi.js";
import { FLAKES_ENV, type Fleet, type FleetConfig, NIXOPS4_DOUBLE, startFleet, writeFleetConfig } from "./fleet.js";

// The fleet's machines are logged into as root and get root-owned secret files: a normal user cannot play that part.
const canRun = isRoot();
if (!canRun)
  announceSkip("the fedi apply end-to-end tests", "the loopback fleet needs root (root logins, root-owned uploads)");

let fleet: Fleet;
let fleetConfig: FleetConfig | undefined;
let config: string;

function env(): Record<string, string> {
  return {
    ...FLAKES_ENV,
    FEDI_NIXOPS4: NIXOPS4_DOUBLE,
    FEDI_NIXOPS4_DOUBLE_LOG: fleet.nixops4Log,
    FEDI_NIXOPS4_DOUBLE_MEMBERS: "default.store1=127.0.0.1,default.web1=127.0.0.1,default.web2=127.0.0.1",
  };
}
const common = () => ["--config", config, "--state", join(fleet.dir, ".fedi"), "--out", join(fleet.dir, "deploy")];

beforeAll(async () => {
  if (!canRun) return;
  fleet = await startFleet();
  fleetConfig = await writeFleetConfig(fleet);
  config = fleetConfig.config;
}, 120_000);
afterAll(async () => {
  await fleet?.dispose();
  await fleetConfig?.dispose();
});

describe.runIf(canRun)("fedi apply, status, secret and keyscan (built binary, loopback fleet)", () => {
  it("applies, then reports up to date, and status shows every machine healthy", async () => {
    const first = await fedi(["apply", ...common(), "--yes", "--json"], { env: env() });
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.exitCode).toBe(0);
    // progress lines name their step; the cheap checks come first
    expect(first.stderr).toMatch(/^✓ preflight: 3 machine\(s\) ready/m);
    expect(first.stderr.indexOf("✓ preflight:")).toBeLessThan(first.stderr.indexOf("✓ render:"));
    const report = JSON.parse(first.stdout).report;
    expect(report.applied).toEqual(["default.store1", "default.web1", "default.web2"]);
    expect(report.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);

    const second = await fedi(["apply", ...common()], { env: env() });
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain("Up to date");

    const status = await fedi(["status", ...common().slice(0, 4), "--json"], { env: env() });
    expect(status.exitCode).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.ok).toBe(true);
    expect(s.machines.map((m: { machine: string; reachable: boolean }) => [m.machine, m.reachable])).toEqual([
      ["store1", true],
      ["web1", true],
      ["web2", true],
    ]);
  });

  it("status exits 1 and names the unit when a service is down", async () => {
    await fleet.hosts.web2.setActiveUnits(["fediversity-secrets.service"]);
    const status = await fedi(["status", ...common().slice(0, 4)], { env: { ...env(), NO_COLOR: "1" } });
    expect(status.exitCode).toBe(1);
    expect(status.stdout).toMatch(/✗ beta: unit probeapp\.service — inactive/);
    await fleet.hosts.web2.setActiveUnits(["garage.service", "probeapp.service", "fediversity-secrets.service"]);
  });

  it("asks before removing an instance, and refuses without a terminal unless --yes", async () => {
    const spec = fleet.spec() as { services: unknown[] };
    spec.services = spec.services.slice(0, 1); // beta goes away
    await fleetConfig!.write(spec);
    const refused = await fedi(["apply", ...common()], { env: env() });
    expect(refused.exitCode).toBe(2); // a usage error: confirmation needs a terminal or --yes
    expect(refused.stderr).toContain("remove beta from web2");
    expect(refused.stderr).toContain("--yes");
    const applied = await fedi(["apply", ...common(), "--yes"], { env: env() });
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain("default.web2"); // the machine stays a member and gets its config without beta
  });

  it("lists secrets by name without values, and keyscan prints the pinned host key", async () => {
    const list = await fedi(["secret", "list", ...common().slice(0, 4)], { env: { NO_COLOR: "1" } });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^set\s+alpha\.app-key/m);
    const value = (await fleet.secrets.get("alpha.app-key"))!;
    expect(list.stdout).not.toContain(value);

    const scan = await fedi(["keyscan", "127.0.0.1", "--port", String(fleet.hosts.web1.port)]);
    expect(scan.exitCode).toBe(0);
    expect(scan.stdout.trim().split(" ").slice(0, 2)).toEqual(fleet.hosts.web1.hostPublicKey.split(" ").slice(0, 2));
    expect(scan.stderr).toMatch(/^SHA256:/);
  });
});
