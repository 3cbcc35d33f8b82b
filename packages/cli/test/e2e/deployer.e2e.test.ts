import { execFile } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { type AnyFediEvent, Deployer, hasErrorCode, type Plan } from "@fediversity/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { announceSkip, isRoot } from "../../../core/test/fixtures/privileges.js";
import { FLAKES_ENV, type Fleet, NIXOPS4_DOUBLE, startFleet } from "./fleet.js";

// The fleet's machines are logged into as root and get root-owned secret files: a normal user cannot play that part.
const canRun = isRoot();
if (!canRun)
  announceSkip("the deployer end-to-end tests", "the loopback fleet needs root (root logins, root-owned uploads)");
const fleetSuite = canRun ? describe : describe.skip;

let fleet: Fleet;
let events: AnyFediEvent[];
let errors: string[];

function deployer(scenario = "success"): Deployer {
  const d = new Deployer({
    registry: fleet.registry,
    deployDir: join(fleet.dir, "deploy"),
    state: fleet.state,
    secrets: fleet.secrets,
    nixops4: {
      binary: NIXOPS4_DOUBLE,
      env: {
        ...FLAKES_ENV,
        FEDI_NIXOPS4_DOUBLE_LOG: fleet.nixops4Log,
        FEDI_NIXOPS4_DOUBLE_MEMBERS: "default.store1=127.0.0.1,default.web1=127.0.0.1,default.web2=127.0.0.1",
        FEDI_NIXOPS4_DOUBLE_SCENARIO: scenario,
      },
    },
    ssh: { retry: { attempts: 2, initialDelayMs: 50, maxDelayMs: 100 } },
    verify: { timeoutMs: 2_000, intervalMs: 200 },
  });
  d.events.on("event", (e) => events.push(e));
  return d;
}

async function nixops4Calls(): Promise<string[][]> {
  const text = await readFile(fleet.nixops4Log, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l).argv as string[]);
}

/** The commit the deployment directory's HEAD points at. */
async function gitHead(dir: string): Promise<string> {
  const { stdout } = await promisify(execFile)("git", ["-C", dir, "rev-parse", "HEAD"]);
  return stdout.trim();
}

async function apply(plan: Plan, scenario?: string) {
  try {
    return await deployer(scenario).apply(plan);
  } catch (error) {
    errors.push(String((error as Error).message), JSON.stringify(error));
    throw error;
  }
}

beforeAll(async () => {
  if (!canRun) return;
  fleet = await startFleet();
  events = [];
  errors = [];
}, 120_000);
afterAll(async () => {
  await fleet?.dispose();
});

fleetSuite("fedi apply on a loopback fleet (real sshd, NixOps4 double, Garage admin double, real S3)", () => {
  it("applies everything the first time and verifies it", async () => {
    const report = await apply(fleet.plan());
    expect(report.upToDate).toBe(false);
    expect(report.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      "preflight:done",
      "render:done",
      "secrets:done",
      "upload:done",
      "storage-nodes:done",
      "storage:done",
      "nixops4:done",
      "activate:done",
      "verify:done",
    ]);
    expect(report.applied).toEqual(["default.store1", "default.web1", "default.web2"]);
    // storage nodes first (the storage runtime needs Garage running), then the service machines
    expect(await nixops4Calls()).toEqual([
      ["apply", "default.store1", "--no-interactive", "--show-trace"],
      ["apply", "default.web1", "default.web2", "--no-interactive", "--show-trace"],
    ]);

    // storage: layout applied, buckets and keys exist, with the SDK's credentials
    expect(fleet.admin.layout().version).toBe(1);
    expect(fleet.admin.bucket("e2e-alpha-media")?.website).toEqual({
      indexDocument: "index.html",
      errorDocument: null,
    }); // website access on
    expect(fleet.admin.violations).toEqual([]);

    // secret files: uploaded root-only, exactly where the generated Nix expects them
    const uploaded = join(fleet.hosts.web1.varLib, "secrets", "alpha-env");
    expect((await stat(uploaded)).mode & 0o777).toBe(0o400);
    const env = await readFile(uploaded, "utf8");
    expect(env).toContain(`AWS_ACCESS_KEY_ID=${await fleet.secrets.get("alpha.s3-access-key-id")}`);
    expect(await readdir(join(fleet.hosts.store1.varLib, "secrets"))).toEqual(["storage-env"]);
    const machineNix = await readFile(join(fleet.dir, "deploy", "machines", "web1.nix"), "utf8");
    expect(machineNix).toContain('environmentFile = "/run/fediversity/secrets/alpha-env"');

    // changed secret files are reinstalled (each by its own unit) and the running unit that reads them restarted
    expect(await fleet.hosts.web1.systemctlCalls()).toEqual(
      expect.arrayContaining([
        "restart fediversity-secret-alpha-env.service",
        "restart fediversity-secrets.service",
        "restart probeapp.service",
      ]),
    );
    // long steps report progress per machine
    const uploads = events.flatMap((e) =>
      e.code === "step.progress" && e.data.step === "upload" ? [e.data.done] : [],
    );
    expect(uploads.sort()).toEqual([1, 2, 3]);

    // verification: units, HTTP through the machine, S3 round trip with each key
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(report.checks.map((c) => c.check)).toEqual(
      expect.arrayContaining([
        "unit probeapp.service",
        `GET http://alpha.example.org:${fleet.healthPort}/health`,
        "S3 round trip e2e-alpha-media",
      ]),
    );
    const state = await fleet.state.read("e2e");
    expect(state.appliedAt).toBeDefined();
    expect(state.progress).toBeUndefined();
    expect(Object.keys(state.instances)).toEqual(["alpha", "beta"]);
  });

  it("does nothing the second time", async () => {
    const state = await fleet.state.read("e2e");
    const before = {
      calls: (await nixops4Calls()).length,
      systemctl: (await fleet.hosts.web1.systemctlCalls()).length,
      writes: fleet.admin.writeCalls().length,
    };
    const report = await apply(fleet.plan(state));
    expect(report.upToDate).toBe(true);
    expect(report.steps).toEqual([]);
    expect((await nixops4Calls()).length).toBe(before.calls);
    expect((await fleet.hosts.web1.systemctlCalls()).length).toBe(before.systemctl);
    expect(fleet.admin.writeCalls().length).toBe(before.writes);
  });

  it("re-applies only the machine of a changed service", async () => {
    const state = await fleet.state.read("e2e");
    const plan = fleet.plan(state, { motto: "changed" });
    expect(plan.diff.changed).toEqual(["alpha"]);
    const writes = fleet.admin.writeCalls().length;
    const report = await apply(plan);
    expect(report.applied).toEqual(["default.web1"]);
    expect((await nixops4Calls()).at(-1)).toEqual(["apply", "default.web1", "--no-interactive", "--show-trace"]);
    expect(report.steps.find((s) => s.step === "upload")!.status).toBe("skipped"); // no secret changed
    expect(report.steps.find((s) => s.step === "storage")!.summary).toMatch(
      /layout up to date.*bucket\(s\) up to date/,
    );
    expect(fleet.admin.writeCalls().length).toBe(writes); // storage provisioning is idempotent
  });

  it("stops on a NixOps4 failure with a classified error, records progress, and the next run continues", async () => {
    const state = await fleet.state.read("e2e");
    const plan = fleet.plan(state, { motto: "third" });
    await fleet.secrets.set("alpha.app-key", "f".repeat(64)); // a rotated secret: its file changes on web1
    let error: unknown;
    try {
      await apply(plan, "ssh-failure:default.web1");
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "NIXOPS4_FAILED")).toBe(true);
    const failed = await fleet.state.read("e2e");
    expect(failed.progress?.completed).toEqual(["uploaded:web1", "upload", "storage-nodes", "storage"]);
    expect(failed.instances.alpha!.fingerprint).toBe(state.instances.alpha!.fingerprint); // not applied yet

    const restarts = (await fleet.hosts.web1.systemctlCalls()).length;
    const again = await apply(fleet.plan(failed, { motto: "third" }));
    expect(again.steps.find((s) => s.step === "storage")!.status).toBe("skipped");
    expect(again.steps.find((s) => s.step === "upload")!.status).toBe("skipped");
    // the upload happened in the failed run: this run still reinstalls it and restarts the unit that reads it
    expect((await fleet.hosts.web1.systemctlCalls()).slice(restarts)).toEqual(
      expect.arrayContaining([
        "restart fediversity-secret-alpha-env.service",
        "restart fediversity-secrets.service",
        "restart probeapp.service",
      ]),
    );
    expect(again.steps.find((s) => s.step === "nixops4")!.status).toBe("done");
    const done = await fleet.state.read("e2e");
    expect(done.progress).toBeUndefined();
  });

  it("Ctrl-C (an aborted signal) during NixOps4 ends the process tree, leaves finished steps recorded, and a re-run continues", async () => {
    const state = await fleet.state.read("e2e");
    const plan = fleet.plan(state, { motto: "interrupted" });
    const d = deployer("hang");
    const abort = new AbortController();
    d.events.on("event", (e) => {
      if (e.code !== "step.start" || e.data.step !== "nixops4") return;
      // abort once the double has started its child process (it logs it), as a user pressing Ctrl-C would
      const poll = setInterval(async () => {
        if ((await readFile(fleet.nixops4Log, "utf8").catch(() => "")).includes('"event":"child"')) {
          clearInterval(poll);
          abort.abort();
        }
      }, 50);
    });
    let error: unknown;
    try {
      await d.apply(plan, { signal: abort.signal });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "CANCELLED")).toBe(true);
    // the double and the child it spawned are gone (or zombies: PID 1 here reaps no orphans)
    const log = (await readFile(fleet.nixops4Log, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    const pids = [log.at(-2)?.pid, log.at(-1)?.pid].filter((p): p is number => typeof p === "number");
    expect(log.at(-1)?.event).toBe("child");
    for (const pid of pids) {
      const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "State:\tgone");
      expect(status).toMatch(/State:\s+(Z|gone)/);
    }
    const after = await fleet.state.read("e2e");
    expect(after.progress?.completed).toEqual(["upload", "storage-nodes", "storage"]);
    expect(after.instances.alpha!.fingerprint).toBe(state.instances.alpha!.fingerprint);
    // the deployment directory is whole: every file parses as before (written atomically, committed)
    expect(await readFile(join(fleet.dir, "deploy", "machines", "web1.nix"), "utf8")).toContain(
      'motto = "interrupted"',
    );
    const again = await apply(fleet.plan(after, { motto: "interrupted" }));
    expect(again.steps.find((s) => s.step === "nixops4")!.status).toBe("done");
    expect((await fleet.state.read("e2e")).progress).toBeUndefined();
  });

  it("verification waits for a unit that starts late, and fails naming a unit that never starts", async () => {
    const units = ["garage.service", "probeapp.service", "fediversity-secrets.service"];
    await fleet.hosts.web1.setActiveUnits(["fediversity-secrets.service"]);
    const late = setTimeout(() => void fleet.hosts.web1.setActiveUnits(units), 700);
    const state = await fleet.state.read("e2e");
    const report = await apply(fleet.plan(state, { motto: "late start" }));
    clearTimeout(late);
    expect(report.checks.every((c) => c.ok)).toBe(true);

    await fleet.hosts.web1.setActiveUnits(["fediversity-secrets.service"]);
    let error: unknown;
    try {
      await apply(fleet.plan(await fleet.state.read("e2e"), { motto: "never starts" }));
    } catch (e) {
      error = e;
    }
    await fleet.hosts.web1.setActiveUnits(units);
    expect(hasErrorCode(error, "VERIFY_FAILED")).toBe(true);
    expect((error as { issues: Array<{ path: string; message: string }> }).issues).toContainEqual({
      path: "web1/alpha",
      message: "unit probeapp.service: inactive",
    });
    // the configuration was applied, only verification is pending: a re-run verifies again without NixOps4
    const calls = (await nixops4Calls()).length;
    const again = await apply(fleet.plan(await fleet.state.read("e2e"), { motto: "never starts" }));
    expect(again.steps.find((s) => s.step === "nixops4")!.status).toBe("skipped");
    expect(again.steps.find((s) => s.step === "verify")!.status).toBe("done");
    expect((await nixops4Calls()).length).toBe(calls);
  });

  it("stops before generating, writing or committing anything, or changing any machine, when NixOps4 is missing", async () => {
    const state = await fleet.state.read("e2e");
    await fleet.secrets.set("alpha.app-key", "e".repeat(64)); // would be uploaded to web1
    await fleet.secrets.delete("beta.app-key"); // would be generated
    const before = await readFile(join(fleet.hosts.web1.varLib, "secrets", "alpha-env"), "utf8");
    const writes = fleet.admin.writeCalls().length;
    const head = await gitHead(join(fleet.dir, "deploy"));
    const machineFile = await readFile(join(fleet.dir, "deploy", "machines", "web1.nix"), "utf8");
    const d = new Deployer({
      registry: fleet.registry,
      deployDir: join(fleet.dir, "deploy"),
      state: fleet.state,
      secrets: fleet.secrets,
      nixops4: { binary: join(fleet.dir, "no-such-nixops4") },
    });
    let error: unknown;
    try {
      await d.apply(fleet.plan(state, { motto: "no nixops4" }));
    } catch (e) {
      error = e;
      errors.push(String((e as Error).message), JSON.stringify(e));
    }
    expect(hasErrorCode(error, "NIXOPS4_NOT_FOUND")).toBe(true);
    expect((error as { hint?: string }).hint).toMatch(/nix profile install|flake/);
    expect(await readFile(join(fleet.hosts.web1.varLib, "secrets", "alpha-env"), "utf8")).toBe(before);
    expect(fleet.admin.writeCalls().length).toBe(writes);
    expect((await fleet.state.read("e2e")).progress?.completed ?? []).toEqual([]);
    expect(await fleet.secrets.has("beta.app-key")).toBe(false); // nothing generated
    expect(await gitHead(join(fleet.dir, "deploy"))).toBe(head); // nothing committed
    expect(await readFile(join(fleet.dir, "deploy", "machines", "web1.nix"), "utf8")).toBe(machineFile); // nor written
    // with NixOps4 back, the same plan goes through
    const report = await apply(fleet.plan(await fleet.state.read("e2e"), { motto: "no nixops4" }));
    expect(report.steps.find((s) => s.step === "upload")!.status).toBe("done");
    expect(await fleet.secrets.has("beta.app-key")).toBe(true);
    expect(await gitHead(join(fleet.dir, "deploy"))).not.toBe(head);
  });

  it("never lets a secret value into an event, error, plan, state or generated file", async () => {
    const values: string[] = [];
    for (const name of await fleet.secrets.list()) values.push((await fleet.secrets.get(name))!);
    expect(values.length).toBeGreaterThanOrEqual(7);
    const deployDir = join(fleet.dir, "deploy");
    const texts = [
      JSON.stringify(events),
      errors.join("\n"),
      await readFile(join(fleet.dir, ".fedi", "state.json"), "utf8"),
      ...(await Promise.all(
        [
          "flake.nix",
          "deployment.nix",
          "plan.json",
          "machines/store1.nix",
          "machines/web1.nix",
          "machines/web2.nix",
          "nix/fediversity-secrets.nix",
        ].map((f) => readFile(join(deployDir, f), "utf8")),
      )),
    ];
    for (const value of values) for (const text of texts) expect(text.includes(value)).toBe(false);
    expect(events.length).toBeGreaterThan(20);
  });
});
