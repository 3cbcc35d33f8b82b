/**
 * Benchmark: preflight of 32 machines vs 1 machine, against real local sshd processes (8 servers, 4 machine names
 * each, so 32 separate SSH connections). Each run uses a fresh pool: connect + handshake + one facts command per
 * machine, as a real preflight does. Prints the median of a few runs and the ratio (goal: under 2).
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { MachinePool, type PreflightMachine, preflight } from "../packages/core/src/machine/index.js";
import { startSshdFleet } from "../packages/core/test/fixtures/sshd.js";

const SERVERS = 8;
const PER_SERVER = 4;
const RUNS = 3;

interface Timing {
  /** Wall-clock time. */
  wallMs: number;
  /** CPU time this (client) process spent. */
  cpuMs: number;
  /** CPU time all processes of the machine spent (client + every sshd session), from /proc/stat. */
  machineCpuMs: number;
}

/** Busy CPU time of the whole machine so far, in ms (Linux /proc/stat, USER_HZ = 100). */
function machineBusyMs(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * 10;
}

async function timePreflight(machines: PreflightMachine[], concurrency: number): Promise<Timing> {
  const pool = new MachinePool({ concurrency });
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const busy = machineBusyMs();
  try {
    const report = await preflight(pool, machines);
    const unreachable = report.problems.filter((p) => p.check === "ssh");
    if (unreachable.length > 0)
      throw new Error(`preflight could not reach: ${unreachable.map((p) => p.actual).join("; ")}`);
    if (Object.keys(report.facts).length !== machines.length) throw new Error("preflight missed machines");
  } finally {
    await pool.closeAll();
  }
  const used = process.cpuUsage(cpu);
  return {
    wallMs: Number(process.hrtime.bigint() - started) / 1e6,
    cpuMs: (used.user + used.system) / 1000,
    machineCpuMs: machineBusyMs() - busy,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs the benchmark and prints its results. */
export default async function preflightBench(): Promise<void> {
  const fleet = await startSshdFleet(SERVERS);
  try {
    const expect = { system: "x86_64-linux", memoryMiB: 1, diskGiB: 0 };
    const machines: PreflightMachine[] = fleet.servers.flatMap((server, s) =>
      Array.from({ length: PER_SERVER }, (_, i) => ({
        target: server.target(`bench-${s * PER_SERVER + i + 1}`),
        expect,
      })),
    );
    // Warm-up: the first SSH connection of a process pays for loading crypto code.
    await timePreflight(machines.slice(0, 1), 1);
    const one: Timing[] = [];
    const all: Timing[] = [];
    const concurrency = machines.length;
    for (let run = 0; run < RUNS; run++) {
      one.push(await timePreflight(machines.slice(0, 1), concurrency));
      all.push(await timePreflight(machines, concurrency));
    }
    const t1 = median(one.map((t) => t.wallMs));
    const t32 = median(all.map((t) => t.wallMs));
    const cpu32 = median(all.map((t) => t.cpuMs));
    const machineCpu32 = median(all.map((t) => t.machineCpuMs));
    const ratio = t32 / t1;
    console.log(`preflight: 1 machine ${t1.toFixed(0)} ms, ${machines.length} machines ${t32.toFixed(0)} ms`);
    console.log(
      `preflight: ratio ${ratio.toFixed(2)} (goal < 2; ${SERVERS} local sshd, pool concurrency ${concurrency}, median of ${RUNS})`,
    );
    const cores = availableParallelism();
    console.log(
      `preflight: ${machines.length} machines used ${machineCpu32.toFixed(0)} ms CPU on this ${cores}-core machine (${((100 * machineCpu32) / (cores * t32)).toFixed(0)}% busy), of which the SDK client ${cpu32.toFixed(0)} ms (${(cpu32 / machines.length).toFixed(1)} ms per machine); the rest is the local sshd sessions, which real machines run on their own CPUs`,
    );
  } finally {
    await fleet.dispose();
  }
}
