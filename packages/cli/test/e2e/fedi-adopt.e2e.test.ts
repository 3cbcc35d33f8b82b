// `fedi adopt` as a subprocess (built binary) against the loopback fleet of NixOS-like hosts (real sshd).
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HARDWARE_CONFIG_HEADER } from "../../../core/src/machine/index.js";
import { QEMU_HARDWARE_CONFIG } from "../../../core/test/fixtures/nixos-host-double.js";
import { fedi } from "../support/fedi.js";
import { type Fleet, type FleetConfig, startFleet, writeFleetConfig } from "./fleet.js";

let fleet: Fleet;
let fleetConfig: FleetConfig | undefined;
let work: string;
let config: string;
const hwFile = (machine: string, dir = work) => join(dir, "machines", machine, "hardware-configuration.nix");

beforeAll(async () => {
  fleet = await startFleet();
  fleetConfig = await writeFleetConfig(fleet);
  work = fleetConfig.dir;
  config = fleetConfig.config;
}, 120_000);
afterAll(async () => {
  await fleet?.dispose();
  await fleetConfig?.dispose();
});

describe("fedi adopt (built binary, loopback fleet)", () => {
  it("reads two machines, writes their hardware files and prints the config lines; a second run changes nothing", async () => {
    const clientKey = (await readFile(`${fleet.hosts.web1.clientKeyPath}.pub`, "utf8")).trim();
    const run = await fedi(["adopt", "web1", "store1", "--config", config]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain("web1  root · BIOS · stateVersion 23.11 (from the channel) · boot grub");
    expect(run.stdout).toContain("machines/web1/hardware-configuration.nix: written");
    expect(run.stdout).toContain('      stateVersion: "23.11",');
    expect(run.stdout).toContain('      boot: { loader: "grub", devices: ["/dev/vda"] },');
    expect(run.stdout).toContain(`        ${JSON.stringify(clientKey)},`);
    expect(run.stdout).toContain('      nixosImports: ["machines/store1/hardware-configuration.nix"],');
    for (const m of ["web1", "store1"]) {
      expect(await readFile(hwFile(m), "utf8")).toBe(`${HARDWARE_CONFIG_HEADER}\n${QEMU_HARDWARE_CONFIG}`);
    }

    const again = await fedi(["adopt", "web1", "store1", "--config", config, "--json"]);
    expect(again.exitCode).toBe(0);
    const out = JSON.parse(again.stdout);
    expect(out.ok).toBe(true);
    expect(out.machines.map((m: { file: { action: string } }) => m.file.action)).toEqual(["unchanged", "unchanged"]);
    expect(out.machines[0].config).toEqual({
      stateVersion: "23.11",
      boot: { loader: "grub", devices: ["/dev/vda"] },
      ssh: { authorizedKeys: [clientKey] },
      nixosImports: ["machines/web1/hardware-configuration.nix"],
    });
    expect(out.machines[0].report.hardwareConfig).toBeUndefined();
  });

  it("leaves a hardware file it did not write (exit 1) unless --force", async () => {
    const mine = '# my hardware\n{ fileSystems."/".device = "/dev/sda1"; }\n';
    await writeFile(hwFile("web1"), mine);
    const refused = await fedi(["adopt", "web1", "--config", config]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain("refused (not written by fedi; run again with --force to replace it)");
    expect(await readFile(hwFile("web1"), "utf8")).toBe(mine);
    const forced = await fedi(["adopt", "web1", "--config", config, "--force"]);
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toContain("hardware-configuration.nix: overwritten");
    expect(await readFile(hwFile("web1"), "utf8")).toBe(`${HARDWARE_CONFIG_HEADER}\n${QEMU_HARDWARE_CONFIG}`);
  });

  it("writes below --dir with the import relative to the config's folder", async () => {
    const run = await fedi(["adopt", "web2", "--config", config, "--dir", join(work, "hw"), "--json"]);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).machines[0].config.nixosImports).toEqual([
      "hw/machines/web2/hardware-configuration.nix",
    ]);
    expect(await readFile(hwFile("web2", join(work, "hw")), "utf8")).toContain('fileSystems."/" =');
  });

  it("refuses a machine the config does not have, as a usage error", async () => {
    const run = await fedi(["adopt", "nope", "--config", config]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/No machine named 'nope' in the config/);
    expect(run.stderr).toMatch(/store1, web1, web2/);
  });
});
