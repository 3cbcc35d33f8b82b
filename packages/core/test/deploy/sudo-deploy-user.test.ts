// A non-root deploy user end to end on the NixOS-like host (real sshd in a mount namespace, see
// test/fixtures/nixos-host-double.ts): the SDK's own remote commands run as root through `sudo -n` (the sudo double
// really becomes root there), secrets are staged by SFTP as the user and installed root-owned 0400 by root, and the
// activate step restarts units through sudo. With sudo refused, the error says so.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runHealthCheck } from "../../src/deploy/health-checks.js";
import { secretStagingDir } from "../../src/deploy/secret-files.js";
import { activateStep } from "../../src/deploy/steps/activate.js";
import { uploadStep } from "../../src/deploy/steps/upload.js";
import { sshTarget } from "../../src/deploy/targets.js";
import { ensureSecrets, isFediError, MachinePool, type Plan, sudoCommand } from "../../src/index.js";
import {
  canStartHostDouble,
  DEPLOY_USER,
  HOST_DOUBLE_NEEDS,
  type NixosHostDouble,
  startNixosHostDouble,
  sudoCanBecomeRoot,
} from "../fixtures/nixos-host-double.js";
import { announceSkip } from "../fixtures/privileges.js";
import { contextFor, machineAt, planFor, type Workspace, workspace } from "./steps/support.js";

const canRun = canStartHostDouble() && sudoCanBecomeRoot();
if (!canRun) announceSkip("sudo-deploy-user.test.ts", `${HOST_DOUBLE_NEEDS}, and setcap + setpriv for the sudo double`);

describe("sudoCommand", () => {
  it("quotes the command as one argument of sh -c after `sudo -n --`", () => {
    const wrapped = sudoCommand(`echo 'a'; $(id)`);
    expect(wrapped).toContain(`sudo -n -- sh -c 'echo '\\''a'\\''; $(id)'`);
    expect(wrapped.startsWith("if __fedi_sudo=$(sudo -n true 2>&1 </dev/null); then")).toBe(true);
  });
});

let host: NixosHostDouble;
let ws: Workspace;
let plan: Plan;
const pool = new MachinePool({ retry: { attempts: 1, initialDelayMs: 10, maxDelayMs: 10 } });
beforeAll(async () => {
  if (!canRun) return;
  host = await startNixosHostDouble({ activeUnits: ["webapp.service", "toystore.service"] });
  ws = await workspace();
  plan = planFor([
    machineAt("web1", {
      port: host.port,
      hostPublicKey: host.hostPublicKey,
      identityFile: host.clientKeyPath,
      user: DEPLOY_USER,
    } as never),
  ]);
  await ensureSecrets(ws.secrets, plan.secrets);
}, 60_000);
afterAll(async () => {
  await pool.closeAll();
  await host?.dispose();
  await ws?.dispose();
});

const sudoLog = async () =>
  (await readFile(join(host.rootDir, "host", "sudo.log"), "utf8").catch(() => "")).split("\n");

describe.runIf(canRun)("a non-root deploy user with passwordless sudo", () => {
  it("gets a sudo target from the plan, and its commands run as root; asLoginUser runs as the user", async () => {
    const target = sshTarget(plan.machines[0]!);
    expect(target).toMatchObject({ user: DEPLOY_USER, sudo: true });
    expect(sshTarget({ ...plan.machines[0]!, ssh: { ...plan.machines[0]!.ssh, user: "root" } }).sudo).toBeUndefined();
    expect((await pool.execChecked(target, "id -u")).stdout.trim()).toBe("0");
    expect((await pool.execChecked(target, "id -u", { asLoginUser: true })).stdout.trim()).toBe("64123");
    // standard input passes through sudo to the command
    expect((await pool.execChecked(target, "cat; id -un", { stdin: "from stdin\n" })).stdout).toBe(
      "from stdin\nroot\n",
    );
  });

  it("runs a command with quotes, $(..) and ; as one argument of sh -c, nothing of it evaluated before sudo", async () => {
    const target = sshTarget(plan.machines[0]!);
    const marker = join("/var/lib/fediversity", "hostile-ran");
    const hostile = `printf '%s|' "it's" '$(touch ${marker})' ';' "-n" && id -u`;
    const result = await pool.execChecked(target, hostile);
    expect(result.stdout).toBe("it's|$(touch /var/lib/fediversity/hostile-ran)|;|-n|0\n");
    expect(existsSync(join(host.varLib, "hostile-ran"))).toBe(false);
    // the login shell handed sudo exactly `-n -- sh -c <the command>`
    expect(await sudoLog()).toContain(`${DEPLOY_USER} -n -- sh -c ${hostile}`);
  });

  it("uploads secrets as root-owned 0400 files in the upload folder, leaving no staged copy", async () => {
    // a stale file (no longer planned) is removed through sudo
    await mkdir(join(host.varLib, "secrets"), { recursive: true, mode: 0o700 });
    await writeFile(join(host.varLib, "secrets", "stale-secret"), "old", { mode: 0o400 });
    const { ctx, pool: stepPool } = await contextFor(plan, ws);
    try {
      const names = plan.machines[0]!.secretFiles.map((f) => f.name);
      expect(names.length).toBeGreaterThan(0);
      expect(await uploadStep.run(ctx)).toBe(`${names.length} file(s) uploaded, 1 removed`);
      const dir = join(host.varLib, "secrets");
      expect((await readdir(dir)).sort()).toEqual([...names].sort());
      for (const name of names) {
        const s = await stat(join(dir, name));
        expect({ name, uid: s.uid, gid: s.gid, mode: s.mode & 0o7777 }).toEqual({ name, uid: 0, gid: 0, mode: 0o400 });
        expect((await readFile(join(dir, name))).length).toBeGreaterThan(0);
      }
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      // the staging folder (/var/lib/fediversity/upload-fedi-deploy) is gone, with every staged copy
      expect(secretStagingDir(DEPLOY_USER)).toBe("/var/lib/fediversity/upload-fedi-deploy");
      expect(await readdir(host.varLib)).not.toContain(`upload-${DEPLOY_USER}`);
      // no secret value reached a command line: sudo saw only paths
      const log = (await sudoLog()).join("\n");
      for (const name of names) {
        const value = await readFile(join(dir, name), "utf8");
        expect(log.includes(value.trim())).toBe(false);
      }
      expect(log).toContain("install -o root -g root -m 0400 --");

      // health checks: a command check reads root-only state through sudo; the HTTP probe runs as the user
      const target = sshTarget(plan.machines[0]!);
      const readable = await runHealthCheck(pool, target, "test", {
        kind: "command",
        command: `test -r /var/lib/fediversity/secrets/${names[0]}`,
        description: "secret readable",
      });
      expect(readable).toMatchObject({ ok: true, outcome: "ok" });
      const asUser = await pool.exec(target, `test -r /var/lib/fediversity/secrets/${names[0]}`, { asLoginUser: true });
      expect(asUser.code).toBe(1); // the same test fails for the login user: the check really ran as root
      const sudoCalls = (await sudoLog()).length;
      const http = await runHealthCheck(pool, target, "test", { kind: "http", url: "http://127.0.0.1:1/" });
      expect(http.outcome).toBe("down");
      expect((await sudoLog()).length).toBe(sudoCalls);

      // a second run: everything up to date, nothing uploaded
      const again = await contextFor(plan, ws, { all: true });
      try {
        expect(await uploadStep.run(again.ctx)).toBeUndefined();
      } finally {
        await again.pool.closeAll();
      }

      // activate restarts through sudo
      const before = (await host.systemctlCalls()).length;
      const sudoBefore = (await sudoLog()).length;
      expect(await activateStep.run(ctx)).toBe("secrets reinstalled on 1 machine(s)");
      expect((await host.systemctlCalls()).slice(before)).toEqual([
        // each changed file's installer, the cleanup, then exactly the running readers (secret rotation)
        "restart fediversity-secret-alpha-env.service",
        "restart fediversity-secret-storage-env.service",
        "restart fediversity-secrets.service",
        "is-active toystore.service",
        "is-active webapp.service",
        "restart toystore.service webapp.service",
      ]);
      expect((await sudoLog()).slice(sudoBefore - 1).join("\n")).toContain(
        `${DEPLOY_USER} -n -- sh -c systemctl restart fediversity-secrets.service\n${DEPLOY_USER} -n true\n${DEPLOY_USER} -n -- sh -c set --; for u in toystore.service webapp.service;`,
      );
    } finally {
      await stepPool.closeAll();
    }
  });

  it("a timed-out command that runs as root is killed through sudo", async () => {
    const target = sshTarget(plan.machines[0]!);
    const error = await pool.exec(target, "sleep 313", { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(isFediError(error) && error.code).toBe("SSH_TIMEOUT");
    // the root-owned sleep is gone (the login user alone could not have signalled it)
    const ps = await pool.execChecked(target, "ps -eo user=,args= | grep '[s]leep 313' || true", { asLoginUser: true });
    expect(ps.stdout).toBe("");
    expect((await sudoLog()).some((line) => /^fedi-deploy -n kill -TERM -- -[0-9]+$/.test(line))).toBe(true);
  });

  it("with sudo refused, fails with SSH_SUDO_REFUSED naming the user and what sudo said", async () => {
    await host.setSudoers([]);
    try {
      const target = sshTarget(plan.machines[0]!);
      const error = await pool.execChecked(target, "id -u", { label: "probe" }).catch((e: unknown) => e);
      expect(isFediError(error) && error.code).toBe("SSH_SUDO_REFUSED");
      const message = (error as Error).message;
      expect(message).toContain(`"sudo -n" refused to run command "probe" as root for user "${DEPLOY_USER}"`);
      expect(message).toContain("a password is required");
      expect((error as { hint?: string }).hint).toContain("passwordless sudo");
      // the login user itself still runs commands
      expect((await pool.execChecked(target, "id -un", { asLoginUser: true })).stdout.trim()).toBe(DEPLOY_USER);
    } finally {
      await host.setSudoers([DEPLOY_USER]);
    }
  });
});
