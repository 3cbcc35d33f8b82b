// Adopting a machine on the real sshd of the NixOS-like host double: the facts read, the files written.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrorCode } from "../../src/errors.js";
import { bootFromEvaluation, pickStateVersion, readAuthorizedKeys } from "../../src/machine/adopt/report.js";
import {
  ADOPT_NIX_FUNCTION,
  adoptedMachineFacts,
  adoptMachine,
  HARDWARE_CONFIG_HEADER,
  hardwareConfigImport,
  MachinePool,
  writeHardwareConfig,
} from "../../src/machine/index.js";
import { nixEvalJson, nixParseFile } from "../../src/nix/run.js";
import {
  canStartHostDouble,
  DEPLOY_USER,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  QEMU_HARDWARE_CONFIG,
  startNixosHostDouble,
  sudoCanBecomeRoot,
} from "../fixtures/nixos-host-double.js";
import { announceSkip } from "../fixtures/privileges.js";

const canRun = canStartHostDouble();
if (!canRun) announceSkip("adopt.test.ts", HOST_DOUBLE_NEEDS);

const SYSTEMD_BOOT_CONFIGURATION = `{
  boot.loader.systemd-boot.enable = true;
  boot.loader.efi.canTouchEfiVariables = true;
  system.stateVersion = "24.05";
}
`;
// Real ed25519 and RSA-shaped key lines (valid base64 blobs with the embedded type).
const ED = (n: number) =>
  `ssh-ed25519 ${Buffer.concat([sshString("ssh-ed25519"), sshString(Buffer.alloc(32, n))]).toString("base64")}`;
function sshString(value: string | Buffer): Buffer {
  const data = typeof value === "string" ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

let bios: NixosHostDouble;
let efi: NixosHostDouble;
let dir: string;
const pool = new MachinePool();
beforeAll(async () => {
  if (!canRun) return;
  [bios, efi] = await Promise.all([
    startNixosHostDouble(),
    startNixosHostDouble({ firmware: "efi", configuration: SYSTEMD_BOOT_CONFIGURATION }),
  ]);
  dir = await mkdtemp(join(tmpdir(), "fedi-adopt-"));
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all([bios?.dispose(), efi?.dispose()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.runIf(canRun)("adoptMachine on the real sshd", () => {
  it("reads a root machine's hardware configuration, stateVersion, GRUB device and authorized keys", async () => {
    const clientKey = (await readFile(`${bios.clientKeyPath}.pub`, "utf8")).trim();
    await mkdir(join(bios.home("root"), ".ssh"), { recursive: true });
    await writeFile(
      join(bios.home("root"), ".ssh", "authorized_keys"),
      [
        "# my laptop",
        `${ED(1)}   alice@laptop`,
        `command="/bin/backup",no-pty ${ED(2)} backup`,
        "ssh-ed25519 AAAAnot-base64!",
        clientKey, // also in authorized_keys.d/root: listed once
        "",
      ].join("\n"),
    );
    const report = await adoptMachine(pool, bios.target("web1"));
    expect(report).toMatchObject({
      machine: "web1",
      user: "root",
      firmware: "bios",
      hardwareConfig: QEMU_HARDWARE_CONFIG,
      stateVersion: "23.11",
      stateVersionSource: "channel",
      boot: { loader: "grub", devices: ["/dev/vda"] },
      bootSource: "evaluation",
      notes: [],
    });
    expect(report.authorizedKeys).toEqual([`${ED(1)} alice@laptop`, clientKey]);
    expect(report.keyFiles).toEqual([
      { path: "/run/fake-home/.ssh/authorized_keys", keys: 2 },
      { path: "/etc/ssh/authorized_keys.d/root", keys: 1 },
    ]);
    expect(report.skippedKeys.map((s) => [s.line, s.reason.slice(0, 20)])).toEqual([
      [3, "the key has options "],
      [4, "the line has key dat"],
    ]);
    expect(await bios.generateConfigCalls()).toEqual(["uid=0 sudo=0 --show-hardware-config"]);
    const facts = adoptedMachineFacts(report, "machines/web1/hardware-configuration.nix");
    expect(facts).toEqual({
      stateVersion: "23.11",
      boot: { loader: "grub", devices: ["/dev/vda"] },
      ssh: { authorizedKeys: report.authorizedKeys },
      nixosImports: ["machines/web1/hardware-configuration.nix"],
    });
  });

  it("reads as a non-root deploy user through sudo -n: systemd-boot on EFI with the ESP settings", async () => {
    const report = await adoptMachine(pool, efi.deployTarget("web2"));
    expect(report).toMatchObject({
      user: DEPLOY_USER,
      firmware: "efi",
      stateVersion: "24.05",
      boot: { loader: "systemd-boot", efiSysMountPoint: "/boot", canTouchEfiVariables: true },
      keyFiles: [{ path: `/etc/ssh/authorized_keys.d/${DEPLOY_USER}`, keys: 1 }],
    });
    expect(await efi.generateConfigCalls()).toEqual([
      `uid=${sudoCanBecomeRoot() ? 0 : 64123} sudo=1 --show-hardware-config`,
    ]);
  });

  it("fails with ADOPT_FAILED naming sudo when the deploy user has no passwordless sudo", async () => {
    await efi.setSudoers([]);
    try {
      const error = await adoptMachine(pool, efi.deployTarget("web2")).catch((e: unknown) => e);
      expect(hasErrorCode(error, "ADOPT_FAILED")).toBe(true);
      expect((error as Error).message).toMatch(/"sudo -n" refused .*fedi-deploy.*a password is required/);
      expect((error as { hint: string }).hint).toContain("passwordless sudo");
    } finally {
      await efi.setSudoers([DEPLOY_USER]);
    }
  });

  it("falls back to the literal stateVersion line when the configuration cannot be evaluated, and says so", async () => {
    await bios.setConfiguration(`{ config, pkgs, ... }:
{
  imports = [ ./hardware-configuration.nix ];
  system.stateVersion = "22.05"; # Did you read the comment?
}
`);
    try {
      const report = await adoptMachine(pool, bios.target("web1"));
      expect(report.stateVersion).toBe("22.05");
      expect(report.stateVersionSource).toBe("configuration-text");
      expect(report.boot).toBeNull();
      expect(report.notes.join("\n")).toMatch(/Evaluating the configuration \(<nixpkgs\/nixos>\) failed/);
      expect(report.notes.join("\n")).toMatch(/boot: .*Set machines\[\]\.boot/);
    } finally {
      await bios.setConfiguration(`{
  boot.loader.grub.enable = true;
  boot.loader.grub.device = "/dev/vda";
  system.stateVersion = "23.11";
}
`);
    }
  });

  it("reports a configuration that leaves stateVersion to its default instead of taking the release", async () => {
    await bios.setConfiguration('{ boot.loader.grub.enable = true; boot.loader.grub.devices = [ "/dev/sda" ]; }\n');
    try {
      const report = await adoptMachine(pool, bios.target("web1"));
      expect(report.stateVersion).toBeNull();
      expect(report.boot).toEqual({ loader: "grub", devices: ["/dev/sda"] });
      expect(report.notes.join("\n")).toMatch(/does not set system\.stateVersion/);
    } finally {
      await bios.setConfiguration(
        '{ boot.loader.grub.enable = true; boot.loader.grub.device = "/dev/vda"; system.stateVersion = "23.11"; }\n',
      );
    }
  });
});

describe("writeHardwareConfig", () => {
  it("writes the file once, changes nothing on a second run, and refuses a file it did not write unless forced", async () => {
    const report = await adoptMachine(pool, bios.target("web1"));
    const first = await writeHardwareConfig(dir, "web1", report.hardwareConfig);
    expect(first.action).toBe("written");
    expect(first.path).toBe(join(dir, "machines", "web1", "hardware-configuration.nix"));
    const text = await readFile(first.path, "utf8");
    expect(text).toBe(`${HARDWARE_CONFIG_HEADER}\n${QEMU_HARDWARE_CONFIG}`);
    await nixParseFile(first.path); // the real Nix parser accepts the file
    expect(hardwareConfigImport(dir, first.path)).toBe("machines/web1/hardware-configuration.nix");

    const again = await adoptMachine(pool, bios.target("web1"));
    expect((await writeHardwareConfig(dir, "web1", again.hardwareConfig)).action).toBe("unchanged");

    const changed = report.hardwareConfig.replace("ens3", "ens4");
    expect((await writeHardwareConfig(dir, "web1", changed)).action).toBe("updated");

    const mine = "# my own hardware configuration\n{ }\n";
    await writeFile(first.path, mine);
    expect((await writeHardwareConfig(dir, "web1", report.hardwareConfig)).action).toBe("refused");
    expect(await readFile(first.path, "utf8")).toBe(mine);
    expect((await writeHardwareConfig(dir, "web1", report.hardwareConfig, { force: true })).action).toBe("overwritten");
    expect(await readFile(first.path, "utf8")).toBe(`${HARDWARE_CONFIG_HEADER}\n${QEMU_HARDWARE_CONFIG}`);
  });

  it("refuses a machine name that is not a DNS label", async () => {
    const error = await writeHardwareConfig(dir, "../etc", "{ }\n").catch((e: unknown) => e);
    expect(hasErrorCode(error, "SPEC_INVALID")).toBe(true);
  });
});

describe("the pieces", () => {
  it("ADOPT_NIX_FUNCTION evaluates with the real Nix over a system whose options throw", async () => {
    const value = await nixEvalJson(`(${ADOPT_NIX_FUNCTION}) {
      config = { system.stateVersion = "25.05"; system.boot.loader.id = "grub"; boot.loader.grub.devices = [ "/dev/vda" (throw "no") ]; };
      options.system.stateVersion.highestPrio = 100;
    }`);
    expect(value).toEqual({
      stateVersion: "25.05",
      stateVersionDefined: true,
      loader: "grub",
      grubDevices: null,
      grubEfiSupport: null,
      efiSysMountPoint: null,
      canTouchEfiVariables: null,
    });
  });

  it("maps the evaluated boot loader to the spec's shape", () => {
    const base = {
      stateVersion: null,
      stateVersionDefined: null,
      grubDevices: null,
      grubEfiSupport: null,
      efiSysMountPoint: "/boot/efi",
      canTouchEfiVariables: false,
    };
    expect(
      bootFromEvaluation({ ...base, loader: "grub", grubEfiSupport: true, grubDevices: ["nodev"] }, "efi"),
    ).toEqual({
      loader: "grub-efi",
      efiSysMountPoint: "/boot/efi",
      canTouchEfiVariables: false,
    });
    expect(bootFromEvaluation({ ...base, loader: "grub", grubDevices: ["nodev"] }, "bios")).toMatch(/devices is empty/);
    expect(bootFromEvaluation({ ...base, loader: "generic-extlinux-compatible" }, "bios")).toEqual({
      loader: "custom",
    });
    expect(bootFromEvaluation({ ...base, loader: "" }, "bios")).toMatch(/no boot loader/);
  });

  it("picks one stateVersion and refuses ambiguous or malformed ones", () => {
    expect(pickStateVersion(undefined, ["23.05", "23.05"])).toEqual({ value: "23.05", source: "configuration-text" });
    expect(pickStateVersion(undefined, ["23.05", "24.11"]).note).toMatch(/several stateVersions \(23\.05, 24\.11\)/);
    const facts = {
      stateVersion: "unstable",
      stateVersionDefined: true,
      loader: null,
      grubDevices: null,
      grubEfiSupport: null,
      efiSysMountPoint: null,
      canTouchEfiVariables: null,
    };
    expect(pickStateVersion({ source: "flake", facts }, ["23.05"]).note).toMatch(/not YY\.MM/);
  });

  it("reads key lines: comments and blanks ignored, whitespace normalised, unsupported types skipped", () => {
    const { keys, skipped } = readAuthorizedKeys("/f", `\n# c\n${ED(3)}\tme@x\nsk-ssh-ed25519@openssh.com AAAA y\n`);
    expect(keys.map((k) => k.line)).toEqual([`${ED(3)} me@x`]);
    expect(skipped).toEqual([{ file: "/f", line: 4, reason: expect.stringMatching(/unsupported key type/) }]);
  });
});
