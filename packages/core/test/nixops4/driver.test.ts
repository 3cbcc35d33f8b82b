import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FediError, isFediError } from "../../src/errors.js";
import { buildApplyArgs, buildMembersListArgs, NixOps4Driver, type NixOps4Line } from "../../src/nixops4/index.js";
import { type Deployment, DOUBLE, isAlive, makeDeployment, waitFor } from "./helpers.js";

const HOSTS = { web01: "192.0.2.1", web02: "192.0.2.2", mail01: "192.0.2.3" };

async function rejection(promise: Promise<unknown>): Promise<FediError> {
  try {
    await promise;
  } catch (error) {
    if (isFediError(error)) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("argument building", () => {
  it("builds `apply <members...> --no-interactive --show-trace`", () => {
    expect(buildApplyArgs({ members: ["web01", "mail01"] })).toEqual([
      "apply",
      "web01",
      "mail01",
      "--no-interactive",
      "--show-trace",
    ]);
    expect(buildApplyArgs({ members: [], showTrace: false })).toEqual(["apply", "--no-interactive"]);
    expect(buildApplyArgs({ members: ["web01", "web01"] })).toEqual([
      "apply",
      "web01",
      "--no-interactive",
      "--show-trace",
    ]);
    expect(buildMembersListArgs()).toEqual(["members", "list", "--no-interactive", "--show-trace"]);
    expect(buildMembersListArgs("production")).toEqual([
      "members",
      "list",
      "production",
      "--no-interactive",
      "--show-trace",
    ]);
  });

  it("refuses member paths that could be read as flags or are malformed", () => {
    for (const bad of ["--file", "-v", "", "web01.", ".web01", "a..b", "web 01", "a;b"]) {
      expect(() => buildApplyArgs({ members: [bad] }), bad).toThrow(expect.objectContaining({ code: "USAGE" }));
    }
  });

  it("refuses overlapping member paths, as NixOps4 does", () => {
    expect(() => buildApplyArgs({ members: ["production", "production.web01"] })).toThrow(
      expect.objectContaining({ code: "USAGE", message: expect.stringContaining("overlap") }),
    );
  });
});

describe("NixOps4Driver with the test double", () => {
  let deployment: Deployment;

  beforeEach(async () => {
    deployment = await makeDeployment(HOSTS);
  });
  afterEach(async () => {
    await deployment.cleanup();
  });

  function driver(scenario: string, extra: Partial<ConstructorParameters<typeof NixOps4Driver>[0]> = {}) {
    return new NixOps4Driver({
      binary: DOUBLE,
      cwd: deployment.dir,
      hosts: HOSTS,
      env: { FEDI_NIXOPS4_DOUBLE_SCENARIO: scenario, FEDI_NIXOPS4_DOUBLE_LOG: deployment.log },
      ...extra,
    });
  }

  it("runs apply with exactly the built arguments in the deployment directory", async () => {
    const result = await driver("success").apply({ members: ["web01", "web02"] });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    const [call] = deployment.invocations();
    expect(call).toMatchObject({
      argv: ["apply", "web01", "web02", "--no-interactive", "--show-trace"],
      cwd: deployment.dir,
    });
  });

  it("streams stderr lines while NixOps4 runs, attributed to machines", async () => {
    const lines: Array<NixOps4Line & { at: number }> = [];
    let settledAt = 0;
    const run = driver("success", {
      env: {
        FEDI_NIXOPS4_DOUBLE_SCENARIO: "success",
        FEDI_NIXOPS4_DOUBLE_LOG: deployment.log,
        FEDI_NIXOPS4_DOUBLE_DELAY_MS: "60",
      },
      onLine: (line) => lines.push({ ...line, at: Date.now() }),
    })
      .apply({ members: ["web01", "web02"] })
      .then((r) => {
        settledAt = Date.now();
        return r;
      });
    await run;
    const first = lines[0];
    expect(first).toBeDefined();
    // 22 lines 60 ms apart: the first must have arrived long before the process ended.
    expect(settledAt - (first?.at ?? settledAt)).toBeGreaterThan(600);
    expect(lines.every((l) => l.stream === "stderr")).toBe(true);
    const copyLine = lines.find((l) => l.text.startsWith("copying path") && l.text.includes("192.0.2.2"));
    expect(copyLine?.machine).toBe("web02");
    const span = lines.find((l) => l.text.includes('creating resource{name="web01.nixos"}'));
    expect(span?.machine).toBe("web01");
    expect(lines.find((l) => l.text === "activating the configuration...")?.machine).toBeUndefined();
  });

  it("lists members from stdout", async () => {
    expect(await driver("success").membersList()).toEqual(["web01", "web02", "mail01"]);
    expect(deployment.invocations()[0]).toMatchObject({
      argv: ["members", "list", "--no-interactive", "--show-trace"],
    });
  });

  it("classifies a members list failure", async () => {
    expect(await driver("success").membersList({ path: "web01" })).toEqual(["nixos"]);
    const error = await rejection(driver("success").membersList({ path: "web01.nixos" }));
    expect(error.code).toBe("NIXOPS4_FAILED");
    expect(error.details.kind).toBe("evaluation");
  });

  const scenarios: Array<[string, string[], string, string | undefined]> = [
    ["eval-error", ["web01"], "evaluation", "web01"],
    ["ssh-failure:web02", ["web01", "web02"], "ssh", "web02"],
    ["copy-failure:mail01", ["web01", "mail01"], "copy", "mail01"],
    ["build-failure", ["web02", "mail01"], "build", "web02"],
    ["activation-failure:web01", ["web01", "web02"], "activation", "web01"],
  ];
  for (const [scenario, members, kind, machine] of scenarios) {
    it(`classifies the ${scenario} scenario as ${kind} on ${machine}`, async () => {
      const error = await rejection(driver(scenario).apply({ members }));
      expect(error.code).toBe("NIXOPS4_FAILED");
      expect(error.details).toMatchObject({ kind, machine, exitCode: 1 });
      expect(error.machine).toBe(machine);
      expect(error.message).toContain(`on ${machine}`);
      expect(error.hint).toBeTruthy();
    });
  }

  it("passes lines and error text through the redactor", async () => {
    const lines: string[] = [];
    const error = await rejection(
      driver("ssh-failure:web02", {
        redact: (text) => text.replaceAll("192.0.2.2", "[redacted:host]"),
        onLine: (line) => lines.push(line.text),
      }).apply({ members: ["web02"] }),
    );
    expect(lines.some((l) => l.includes("[redacted:host]"))).toBe(true);
    expect(lines.join("\n")).not.toContain("192.0.2.2");
    expect(error.message).not.toContain("192.0.2.2");
    expect(error.details.kind).toBe("ssh");
  });

  it("reports a missing binary as NIXOPS4_NOT_FOUND with install instructions", async () => {
    const missingPath = await rejection(
      new NixOps4Driver({ binary: "/nonexistent/bin/nixops4", cwd: deployment.dir }).apply({ members: [] }),
    );
    expect(missingPath.code).toBe("NIXOPS4_NOT_FOUND");
    expect(missingPath.hint).toContain("nix profile install github:nixops4/nixops4#nixops4");
    expect(missingPath.hint).toContain("flakes");

    const notOnPath = await rejection(
      new NixOps4Driver({ cwd: deployment.dir, env: { PATH: "/nonexistent-dir" } }).apply({ members: [] }),
    );
    expect(notOnPath.code).toBe("NIXOPS4_NOT_FOUND");
    expect(notOnPath.message).toContain("PATH");

    const scratch = await mkdtemp(join(tmpdir(), "fedi-nixops4-bin-"));
    try {
      const notExecutable = join(scratch, "nixops4");
      await writeFile(notExecutable, "#!/bin/sh\n");
      await chmod(notExecutable, 0o644);
      const error = await rejection(new NixOps4Driver({ binary: notExecutable, cwd: deployment.dir }).membersList());
      expect(error.code).toBe("NIXOPS4_NOT_FOUND");
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it("rejects an already aborted signal without starting NixOps4", async () => {
    const error = await rejection(driver("success").apply({ members: ["web01"], signal: AbortSignal.abort() }));
    expect(error.code).toBe("CANCELLED");
    expect(deployment.invocations()).toEqual([]);
  });

  for (const ignoreSigterm of [false, true]) {
    it(`cancellation stops the whole process tree${ignoreSigterm ? " (SIGKILL after the grace delay)" : ""}`, async () => {
      const controller = new AbortController();
      const started = Date.now();
      const run = driver("hang", {
        killGraceMs: 400,
        env: {
          FEDI_NIXOPS4_DOUBLE_SCENARIO: "hang",
          FEDI_NIXOPS4_DOUBLE_LOG: deployment.log,
          ...(ignoreSigterm ? { FEDI_NIXOPS4_DOUBLE_IGNORE_SIGTERM: "1" } : {}),
        },
      }).apply({ members: ["web01"], signal: controller.signal });
      const childPid = await waitFor(
        () => deployment.invocations().find((r) => r.event === "child")?.pid as number | undefined,
      );
      const doublePid = deployment.invocations()[0]?.pid as number;
      expect(isAlive(childPid)).toBe(true);
      expect(isAlive(doublePid)).toBe(true);

      const abortedAt = Date.now();
      controller.abort();
      const error = await rejection(run);
      expect(error.code).toBe("CANCELLED");
      expect(isAlive(doublePid)).toBe(false);
      expect(isAlive(childPid)).toBe(false);
      if (ignoreSigterm) expect(Date.now() - abortedAt).toBeGreaterThanOrEqual(400);
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  }
});

describe("NixOps4Driver with the SDK's root layout (members default.<m>, resources default.<m>.nixos)", () => {
  let deployment: Deployment;
  beforeEach(async () => {
    deployment = await makeDeployment({ "default.web01": "192.0.2.1", "default.web02": "192.0.2.2" });
  });
  afterEach(async () => {
    await deployment.cleanup();
  });

  it("attributes every span, copy line and the failure to the machine name", async () => {
    const lines: NixOps4Line[] = [];
    const error = await rejection(
      new NixOps4Driver({
        binary: DOUBLE,
        cwd: deployment.dir,
        hosts: { web01: "192.0.2.1", web02: "192.0.2.2" },
        env: { FEDI_NIXOPS4_DOUBLE_SCENARIO: "ssh-failure:default.web02", FEDI_NIXOPS4_DOUBLE_LOG: deployment.log },
        onLine: (line) => lines.push(line),
      }).apply({ members: ["default.web01", "default.web02"] }),
    );
    expect(error.machine).toBe("web02");
    expect(error.details).toMatchObject({ kind: "ssh", machine: "web02", resource: "default.web02.nixos" });
    const spans = lines.filter((l) => l.text.includes("nixops4::work:"));
    expect(spans.length).toBeGreaterThanOrEqual(6);
    for (const span of spans) {
      const machine = span.text.includes('"web01"') ? "web01" : "web02";
      expect(span.machine, span.text).toBe(machine);
    }
    expect(spans.some((l) => l.text.includes('ComponentPath(["default", "web02", "nixos"])'))).toBe(true);
    expect(lines.find((l) => l.text.startsWith("copying path"))?.machine).toBe("web01");
    expect(lines.filter((l) => l.machine?.startsWith("default.")).map((l) => l.text)).toEqual([]);
  });

  it("lists the root's composite, then a machine's nixos resource", async () => {
    const driver = new NixOps4Driver({ binary: DOUBLE, cwd: deployment.dir });
    expect(await driver.membersList()).toEqual(["default"]);
    expect(await driver.membersList({ path: "default" })).toEqual(["web01", "web02"]);
    expect(await driver.membersList({ path: "default.web01" })).toEqual(["nixos"]);
  });
});
