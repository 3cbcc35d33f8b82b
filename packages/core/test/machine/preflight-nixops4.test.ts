// Preflight checks what nixops4-nixos needs: sudo and Nix trust for a non-root user, the stateVersion, and the
// local ssh/nix/flakes — on the real sshd of the NixOS-like host double, and with local programs injected.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkLocalTools,
  LOCAL_MACHINE,
  type LocalRunner,
  MachinePool,
  nixTrust,
  type PreflightMachine,
  preflight,
} from "../../src/machine/index.js";
import {
  canStartHostDouble,
  DEPLOY_USER,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  startNixosHostDouble,
} from "../fixtures/nixos-host-double.js";
import { announceSkip } from "../fixtures/privileges.js";

const canRun = canStartHostDouble();
if (!canRun) announceSkip("preflight-nixops4.test.ts", HOST_DOUBLE_NEEDS);

const BASE = { system: `${process.arch === "arm64" ? "aarch64" : "x86_64"}-linux`, memoryMiB: 1, diskGiB: 0 };
const NO_LOCAL: LocalRunner = async () => ({ code: 0, stdout: "true\n", stderr: "" });

let host: NixosHostDouble;
let noSudo: NixosHostDouble;
const pool = new MachinePool();
beforeAll(async () => {
  if (!canRun) return;
  [host, noSudo] = await Promise.all([startNixosHostDouble(), startNixosHostDouble({ sudo: false })]);
});
afterAll(async () => {
  await pool.closeAll();
  await Promise.all([host?.dispose(), noSudo?.dispose()]);
});

describe.runIf(canRun)("preflight for nixops4-nixos on the real sshd", () => {
  it("passes for root and for a deploy user with passwordless sudo who is trusted, with the right stateVersion", async () => {
    const machines: PreflightMachine[] = [
      { target: host.target("as-root"), expect: { ...BASE, user: "root", stateVersion: "23.11" } },
      { target: host.deployTarget("as-deploy"), expect: { ...BASE, user: DEPLOY_USER, stateVersion: "23.11" } },
    ];
    const report = await preflight(pool, machines, { localTools: { run: NO_LOCAL } });
    expect(report.problems).toEqual([]);
    expect(report.facts["as-root"]).toMatchObject({
      user: "root",
      sudo: "root",
      nixTrusted: true,
      stateVersion: "23.11",
    });
    expect(report.facts["as-deploy"]).toMatchObject({ user: DEPLOY_USER, sudo: "ok", nixTrusted: true });
  });

  it("reports sudo missing, sudo refused, an untrusted user and a stateVersion mismatch, all machines together", async () => {
    await host.setSudoers([]);
    await host.setTrustedUsers(["root"]);
    try {
      const report = await preflight(
        pool,
        [
          { target: noSudo.deployTarget("nosudo"), expect: { ...BASE, user: DEPLOY_USER } },
          { target: host.deployTarget("refused"), expect: { ...BASE, user: DEPLOY_USER } },
          { target: host.target("old"), expect: { ...BASE, user: "root", stateVersion: "24.05" } },
          { target: host.deployTarget("unchecked"), expect: BASE }, // no user given: not checked
        ],
        { localTools: { run: NO_LOCAL } },
      );
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => [p.machine, p.check, p.actual])).toEqual([
        ["nosudo", "sudo", "no sudo command"],
        ["refused", "sudo", "sudo refused: sudo: a password is required"],
        ["refused", "trusted", "not trusted"],
        ["old", "stateVersion", "system.stateVersion 23.11"],
      ]);
      expect(report.problems[2]!.hint).toContain("nix.settings.trusted-users");
      expect(report.problems[3]!.hint).toContain('Set machines[].stateVersion to "23.11"');
    } finally {
      await host.setSudoers([DEPLOY_USER]);
      await host.setTrustedUsers(["root", DEPLOY_USER]);
    }
  });

  it("says the stateVersion could not be read when the machine's configuration gives none", async () => {
    await host.setConfiguration(null);
    try {
      const report = await preflight(pool, [
        { target: host.target("gone"), expect: { ...BASE, stateVersion: "23.11" } },
      ]);
      expect(report.problems).toEqual([
        expect.objectContaining({ check: "stateVersion", actual: "could not be read from the machine" }),
      ]);
    } finally {
      await host.setConfiguration(
        '{ boot.loader.grub.enable = true; boot.loader.grub.device = "/dev/vda"; system.stateVersion = "23.11"; }\n',
      );
    }
  });
});

describe("checkLocalTools", () => {
  const runner =
    (answers: Record<string, Awaited<ReturnType<LocalRunner>>>): LocalRunner =>
    async (command, args) =>
      answers[`${command} ${args.join(" ")}`] ?? "missing";
  const ok = { code: 0, stdout: "", stderr: "" };

  it("is empty when ssh, nix and flakes are there", async () => {
    const run = runner({
      "ssh -V": ok,
      "nix --version": ok,
      "nix eval --expr builtins ? getFlake": { ...ok, stdout: "true\n" },
    });
    expect(await checkLocalTools({ run })).toEqual([]);
  });

  it("reports missing ssh and nix", async () => {
    const problems = await checkLocalTools({ run: runner({}) });
    expect(problems.map((p) => [p.machine, p.check, p.actual])).toEqual([
      [LOCAL_MACHINE, "local-ssh", "not found"],
      [LOCAL_MACHINE, "local-nix", "not found"],
    ]);
  });

  it("tells flakes disabled from nix-command disabled", async () => {
    const base = { "ssh -V": ok, "nix --version": ok };
    const off = await checkLocalTools({
      run: runner({ ...base, "nix eval --expr builtins ? getFlake": { ...ok, stdout: "false\n" } }),
    });
    expect(off.map((p) => [p.check, p.actual])).toEqual([["local-flakes", "flakes disabled"]]);
    const noCommand = await checkLocalTools({
      run: runner({
        ...base,
        "nix eval --expr builtins ? getFlake": {
          code: 1,
          stdout: "",
          stderr:
            "error: experimental Nix feature 'nix-command' is disabled; use '--extra-experimental-features nix-command' to override\n",
        },
      }),
    });
    expect(noCommand.map((p) => [p.check, p.actual])).toEqual([["local-flakes", "nix-command disabled"]]);
    expect(noCommand[0]!.hint).toContain("experimental-features = nix-command flakes");
  });

  it("runs the real programs by default (stub ssh and nix executables)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fedi-local-"));
    try {
      const ssh = join(dir, "ssh");
      const nix = join(dir, "nix");
      await writeFile(ssh, "#!/bin/sh\necho OpenSSH_9.2p1 >&2\n");
      await writeFile(nix, '#!/bin/sh\ncase "$1" in --version) echo "nix (Nix) 2.28.3" ;; eval) echo false ;; esac\n');
      await Promise.all([chmod(ssh, 0o755), chmod(nix, 0o755)]);
      expect((await checkLocalTools({ ssh, nix })).map((p) => p.check)).toEqual(["local-flakes"]);
      expect((await checkLocalTools({ ssh: join(dir, "none"), nix })).map((p) => p.check)).toEqual([
        "local-ssh",
        "local-flakes",
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("preflight puts local problems first", async () => {
    const report = await preflight(pool, [], { localTools: { run: runner({}) } });
    expect(report.problems.map((p) => p.check)).toEqual(["local-ssh", "local-nix"]);
  });
});

describe("nixTrust", () => {
  it("takes the daemon's answer, else trusted-users with @groups and *", () => {
    expect(nixTrust('{"trusted": false, "url": "daemon"}', "deploy", "deploy", [])).toBe(false);
    expect(nixTrust('{"url": "daemon"}', "root @wheel", "deploy", ["users", "wheel"])).toBe(true);
    expect(nixTrust("", "root @wheel", "deploy", ["users"])).toBe(false);
    expect(nixTrust("", "*", "deploy", [])).toBe(true);
    expect(nixTrust("", "", "deploy", [])).toBeNull();
  });
});
