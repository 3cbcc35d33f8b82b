// The NixOS-like host double's users, keys, sudo, Nix and boot facts, seen through real SSH sessions.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachinePool } from "../../src/index.js";
import {
  canStartHostDouble,
  DEPLOY_USER,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  startNixosHostDouble,
  sudoCanBecomeRoot,
} from "../fixtures/nixos-host-double.js";
import { announceSkip } from "../fixtures/privileges.js";

const canRun = canStartHostDouble();
if (!canRun) announceSkip("nixos-host-double-users.test.ts", HOST_DOUBLE_NEEDS);

let host: NixosHostDouble;
let efi: NixosHostDouble;
const pool = new MachinePool();
beforeAll(async () => {
  if (!canRun) return;
  [host, efi] = await Promise.all([startNixosHostDouble(), startNixosHostDouble({ firmware: "efi" })]);
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all([host?.dispose(), efi?.dispose()]);
});

describe.runIf(canRun)("NixOS-like host double: users and boot facts", () => {
  it("lets root and the deploy user log in with keys from /etc/ssh/authorized_keys.d, homes as in /etc/passwd", async () => {
    const root = await pool.exec(
      host.target("h"),
      "id -un; getent passwd root | cut -d: -f6; ls /etc/ssh/authorized_keys.d",
    );
    expect(root.stdout.split("\n").slice(0, 3)).toEqual(["root", "/run/fake-home", `${DEPLOY_USER}`]);
    const deploy = await pool.exec(host.deployTarget("hd"), "id -un; getent passwd $(id -un) | cut -d: -f6");
    expect(deploy.stdout.split("\n").slice(0, 2)).toEqual([DEPLOY_USER, "/run/fake-home-deploy"]);
    await writeFile(join(host.home(DEPLOY_USER), ".ssh", "authorized_keys"), "ssh-ed25519 AAAA x\n");
    const home = await pool.exec(host.deployTarget("hd"), "cat /run/fake-home-deploy/.ssh/authorized_keys");
    expect(home.stdout).toBe("ssh-ed25519 AAAA x\n");
  });

  it("answers sudo -n for sudoers only, nix store info with the trusted flag, and nixos-generate-config as root", async () => {
    const r = await pool.exec(
      host.deployTarget("hd"),
      "sudo -n true && echo sudo-ok; nix --extra-experimental-features nix-command store info --json; nixos-generate-config --show-hardware-config; echo rc=$?",
    );
    expect(r.stdout).toContain("sudo-ok");
    expect(JSON.parse(r.stdout.slice(r.stdout.indexOf("{"), r.stdout.indexOf("}") + 1))).toEqual({
      trusted: true,
      url: "daemon",
      version: "2.28.3",
    });
    expect(r.stdout).toContain("rc=1");
    await host.setSudoers([]);
    const denied = await pool.exec(host.deployTarget("hd"), "sudo -n true");
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("sudo: a password is required");
    await host.setSudoers([DEPLOY_USER]);
    const hw = await pool.exec(host.deployTarget("hd"), "sudo -n nixos-generate-config --show-hardware-config");
    expect(hw.stdout).toContain('fileSystems."/" =');
    expect(await host.generateConfigCalls()).toEqual([
      "uid=64123 sudo=0 --show-hardware-config",
      // the sudo double really becomes root where it can (setcap + setpriv)
      `uid=${sudoCanBecomeRoot() ? 0 : 64123} sudo=1 --show-hardware-config`,
    ]);
  });

  it("evaluates /etc/nixos/configuration.nix with the real nix-instantiate, and shows EFI only on an EFI host", async () => {
    const r = await pool.exec(
      host.target("h"),
      "nix-instantiate --eval --strict --json -E '(import <nixpkgs/nixos> {}).config.boot.loader.grub.devices' 2>/dev/null; echo; test -d /sys/firmware/efi && echo efi || echo bios",
    );
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(['["/dev/vda"]', "bios"]);
    const e = await pool.exec(efi.target("e"), "test -d /sys/firmware/efi && echo efi || echo bios");
    expect(e.stdout.trim()).toBe("efi");
    expect(await readFile(join(host.etcNixos, "configuration.nix"), "utf8")).toContain("23.11");
  });
});
