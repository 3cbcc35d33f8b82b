// Commands that write the deployment folder or the state take the state lock: while another run holds it, `fedi plan`,
// `fedi secret set` and `fedi prune` stop with STATE_LOCKED naming that run, and write nothing. Temporary files a killed run left in
// the deployment folder are gone after the next plan.
import { spawn } from "node:child_process";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, fedi, tempDir } from "./support/fedi.js";

let dir: string;
let removeDir: () => Promise<void>;
beforeAll(async () => ({ dir, remove: removeDir } = await tempDir("fedi-lock-cli-")));
afterAll(() => removeDir());

const config = join(EXAMPLES, "all-in-one", "fedi.config.ts");

describe("the state lock in the CLI", () => {
  it("fedi plan, fedi secret set and fedi prune refuse while another run holds the lock, and write nothing", async () => {
    const state = join(dir, "held", "state");
    const out = join(dir, "held", "deploy");
    await mkdir(state, { recursive: true });
    const holder = {
      pid: process.pid,
      host: hostname(),
      startedAt: "2026-04-01T12:00:00.000Z",
      command: "apply demo",
      token: "x",
    };
    await writeFile(join(state, "state.lock"), JSON.stringify(holder));

    const plan = await fedi(["plan", "--config", config, "--out", out, "--state", state]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stderr).toContain(
      `error STATE_LOCKED: Another run (process ${process.pid} running 'apply demo' since 2026-04-01T12:00:00.000Z) is changing this deployment.`,
    );
    await expect(readdir(out)).rejects.toMatchObject({ code: "ENOENT" });

    const secret = await fedi(["secret", "set", "social.smtp-password", "--config", config, "--state", state], {
      input: "a-password-value",
    });
    expect(secret.exitCode).toBe(1);
    expect(secret.stderr).toMatch(/^error STATE_LOCKED: /m);
    expect(await readdir(state)).toEqual(["state.lock"]);

    const prune = await fedi(["prune", "--yes", "--config", config, "--state", state]);
    expect(prune.exitCode).toBe(1);
    expect(prune.stderr).toMatch(/^error STATE_LOCKED: /m);
    expect(await readdir(state)).toEqual(["state.lock"]);
  });

  it("fedi plan removes the temporary files a killed run left in the deployment folder", async () => {
    const out = join(dir, "killed", "deploy");
    const state = join(dir, "killed", "state");
    const first = await fedi(["plan", "--config", config, "--out", out, "--state", state, "--quiet"]);
    expect(first.exitCode).toBe(0);
    const child = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => child.on("exit", r));
    const { createHash } = await import("node:crypto");
    const tag = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
    const leftovers = [
      join(out, `.plan.json.fedi-${tag}-${child.pid}-0123456789ab.tmp`),
      join(out, "machines", `.fedi01.nix.fedi-${tag}-${child.pid}-0123456789ab.tmp`),
    ];
    for (const path of leftovers) await writeFile(path, "half-written");
    const again = await fedi(["plan", "--config", config, "--out", out, "--state", state, "--quiet"]);
    expect(again.exitCode).toBe(0);
    const names = [...(await readdir(out)), ...(await readdir(join(out, "machines")))];
    expect(names.filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
