import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FediError, hasErrorCode } from "../../src/errors.js";
import {
  assertPreflight,
  DEFAULT_PROBE_CONCURRENCY,
  type MachineEvent,
  MachinePool,
  type PreflightProblem,
  preflight,
  type SshTarget,
} from "../../src/machine/index.js";
import { type SshdFleet, startSshdFleet } from "../fixtures/sshd.js";
import { processesRunning } from "./proc.js";

let fleet: SshdFleet;
let targets: SshTarget[];

beforeAll(async () => {
  fleet = await startSshdFleet(4);
  targets = fleet.targets("node");
});

afterAll(async () => {
  await fleet?.dispose();
});

describe("MachinePool", () => {
  it("never runs more operations than its limit across machines, and reuses one connection per machine", async () => {
    const events: MachineEvent[] = [];
    const pool = new MachinePool({ concurrency: 2, onEvent: (e) => events.push(e) });
    let inFlight = 0;
    let maxInFlight = 0;
    const samples: number[] = [];
    const ran: string[] = [];
    await Promise.all(
      [...targets, ...targets].map((target) =>
        pool.withMachine(target, async (conn) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          samples.push(pool.inFlight);
          try {
            const result = await conn.exec("sleep 0.15; hostname >/dev/null; echo done");
            ran.push(`${target.machine}:${result.stdout.trim()}`);
          } finally {
            inFlight--;
          }
        }),
      ),
    );
    expect(ran).toHaveLength(8);
    expect(maxInFlight).toBe(2);
    expect(Math.max(...samples)).toBeLessThanOrEqual(2);
    // One connection per machine although each machine had two operations.
    const connected = events.filter((e) => e.type === "connected").map((e) => e.machine);
    expect(connected.sort()).toEqual(["node1", "node2", "node3", "node4"]);
    expect(pool.connectionCount).toBe(4);
    await pool.closeAll();
    expect(pool.connectionCount).toBe(0);
  });

  it("runs probes under their own limit, without taking the main limit's slots", async () => {
    const pool = new MachinePool({ concurrency: 1, probeConcurrency: 3 });
    expect(pool.probeConcurrency).toBe(3);
    let inside = 0;
    let maxInside = 0;
    const mainSlotsTaken: number[] = [];
    // The first three probes wait until all three are inside: possible only if they hold slots at the same time.
    let openBarrier!: () => void;
    const barrier = new Promise<void>((resolve) => (openBarrier = resolve));
    const timeout = setTimeout(openBarrier, 10_000);
    await Promise.all(
      targets.map((target) =>
        pool.withMachine(
          target,
          async (conn) => {
            inside++;
            maxInside = Math.max(maxInside, inside);
            mainSlotsTaken.push(pool.inFlight);
            if (inside === 3) openBarrier();
            await barrier;
            await conn.exec("true");
            inside--;
          },
          { probe: true },
        ),
      ),
    );
    clearTimeout(timeout);
    expect(maxInside).toBe(3);
    expect(mainSlotsTaken).toEqual([0, 0, 0, 0]);
    expect(pool.probesInFlight).toBe(0);
    await pool.closeAll();
  });

  it("allows at least DEFAULT_PROBE_CONCURRENCY probes by default, and the main limit when it is higher", () => {
    expect(new MachinePool().probeConcurrency).toBe(DEFAULT_PROBE_CONCURRENCY);
    expect(new MachinePool({ concurrency: 1 }).probeConcurrency).toBe(DEFAULT_PROBE_CONCURRENCY);
    expect(new MachinePool({ concurrency: DEFAULT_PROBE_CONCURRENCY + 1 }).probeConcurrency).toBe(
      DEFAULT_PROBE_CONCURRENCY + 1,
    );
  });

  it("reconnects after a machine restarts (the old connection was lost)", async () => {
    const events: MachineEvent[] = [];
    const pool = new MachinePool({ onEvent: (e) => events.push(e), retry: { attempts: 5, initialDelayMs: 50 } });
    const server = fleet.servers[0]!;
    expect((await pool.execChecked(targets[0]!, "echo one")).stdout).toBe("one\n");
    await server.restart();
    expect((await pool.execChecked(targets[0]!, "echo two")).stdout).toBe("two\n");
    expect(events.filter((e) => e.type === "connected")).toHaveLength(2);
    await pool.closeAll();
  });

  it("does not retry a command that was already running when the connection dropped", async () => {
    const pool = new MachinePool({ retry: { attempts: 3, sleep: async () => {} } });
    const server = fleet.servers[1]!;
    const target = targets[1]!;
    await pool.exec(target, "true"); // warm connection
    const seconds = `5.${Date.now() % 100000}`;
    const pending = pool.exec(target, `sleep ${seconds}`).catch((e: unknown) => e);
    const deadline = Date.now() + 5000;
    while ((await processesRunning(["sleep", seconds])).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await server.kill(); // the command is running now
    const error = (await pending) as FediError;
    expect(hasErrorCode(error, "SSH_FAILED")).toBe(true);
    expect(error.message).toContain(`was lost during command "sleep ${seconds}"`);
    expect(error.message).not.toMatch(/attempts/);
    await server.restart();
    await pool.closeAll();
  });
});

describe("preflight over a fleet", () => {
  it("reports the problems of all machines together", async () => {
    const pool = new MachinePool({ concurrency: 8, retry: { attempts: 2, sleep: async () => {} } });
    const [n1, n2, n3, n4] = targets as [SshTarget, SshTarget, SshTarget, SshTarget];
    const local = await pool.withMachine(n1, async (conn) => (await conn.exec("uname -m")).stdout.trim());
    const system = local === "aarch64" ? "aarch64-linux" : "x86_64-linux";
    const seen: string[] = [];
    const report = await preflight(
      pool,
      [
        { target: n1, expect: { system, memoryMiB: 1, diskGiB: 0 } },
        { target: n2, expect: { system, memoryMiB: 100_000_000, diskGiB: 0 } },
        { target: n3, expect: { system: "riscv64-linux", memoryMiB: 1, diskGiB: 0, cpus: 100_000 } },
        // Pinned to node1's key while it is node4: a host-key mismatch, reported like any other problem.
        { target: { ...n4, hostPublicKey: n1.hostPublicKey }, expect: { system, memoryMiB: 1, diskGiB: 0 } },
      ],
      { onMachine: (machine) => seen.push(machine) },
    );
    await pool.closeAll();
    expect(seen.sort()).toEqual(["node1", "node2", "node3", "node4"]);
    expect(report.ok).toBe(false);
    expect(Object.keys(report.facts).sort()).toEqual(["node1", "node2", "node3"]);
    const by = (machine: string) => report.problems.filter((p) => p.machine === machine).map((p) => p.check);
    // This host is Debian without systemd as init: every reachable machine fails "nixos" (and "systemd").
    const base = report.facts.node1!.isNixOS ? [] : ["nixos"];
    const init = ["running", "degraded"].includes(report.facts.node1!.systemd) ? [] : ["systemd"];
    expect(by("node1")).toEqual([...base, ...init]);
    expect(by("node2")).toEqual([...base, "memory", ...init]);
    expect(by("node3")).toEqual([...base, "system", "cpus", ...init]);
    expect(by("node4")).toEqual(["ssh"]);
    const ssh = report.problems.find((p) => p.machine === "node4") as PreflightProblem;
    expect(ssh.code).toBe("SSH_HOST_KEY_MISMATCH");
    expect(ssh.actual).toContain("SHA256:");

    const error = (() => {
      try {
        assertPreflight(report);
      } catch (e) {
        return e as FediError;
      }
      return undefined;
    })();
    expect(hasErrorCode(error, "PREFLIGHT_FAILED")).toBe(true);
    expect(error!.issues).toHaveLength(report.problems.length);
    expect(new Set(error!.issues.map((i) => i.path))).toEqual(new Set(["node1", "node2", "node3", "node4"]));
    expect(error!.describe()).toContain("node2: memory: expected 100000000 MiB");
  });

  it("connects to the machines at once even when the pool's main limit is 1 (facts are probes)", async () => {
    let connecting = 0;
    let maxConnecting = 0;
    const pool = new MachinePool({
      concurrency: 1,
      onEvent: (e) => {
        if (e.type === "connecting") maxConnecting = Math.max(maxConnecting, ++connecting);
        if (e.type === "connected") connecting--;
      },
    });
    const fits = { system: "x86_64-linux", memoryMiB: 1, diskGiB: 0 };
    const report = await preflight(
      pool,
      targets.map((target) => ({ target, expect: fits })),
    );
    await pool.closeAll();
    expect(Object.keys(report.facts).sort()).toEqual(["node1", "node2", "node3", "node4"]);
    // Held to the main limit, one handshake would finish before the next began.
    expect(maxConnecting).toBeGreaterThan(1);
    expect(maxConnecting).toBeLessThanOrEqual(targets.length);
  });

  it("passes when every machine fits (assertPreflight returns the facts)", () => {
    const facts = { web1: {} } as never;
    expect(assertPreflight({ ok: true, facts, problems: [] })).toBe(facts);
  });
});
