/**
 * Benchmark: preflight of 32 machines vs 1 machine over a network with latency. Real local sshd processes (8 fake
 * NixOS machines, bench/fake-machine.ts, with 4 machine names each, so 32 separate SSH connections), each behind a TCP
 * proxy that delays every chunk by 25 ms in each direction (bench/latency-proxy.ts; this kernel has no netem). The
 * proxies run in a child process of their own (bench/latency-proxy-process.ts), as a network would: in the SDK's
 * process their timers would wait for its busy event loop, adding latency that grows with the number of machines.
 * Each run uses a fresh pool built as the Deployer builds it: connect + handshake + one facts command per machine, as
 * a real preflight does, which must find no problem. With latency dominating, the ratio (32-machine time / 1-machine
 * time) shows how well the machines overlap; the goal is ≤ 1.5.
 *
 * The 32 "machines" are sshd sessions on this machine's few cores, so their CPU competes with the SDK client's (and
 * with anything else running). The fake machines keep that cost low (sshd without re-exec, ECDH P-256, no `nix` started
 * by the facts script: the benchmark warns loudly when the facts script did start it); the benchmark first prints the
 * sshd CPU of one machine's preflight on the plain sshd fixture and on a fake machine. What is left is what a real
 * machine spends too: the SSH connection and the facts script (13 ms of the ~28 ms per machine before the script
 * started 5 programs instead of 10, about 7 ms after; ~18 ms of sshd CPU per machine in all, from ~27; ~14 ms since
 * the script starts 4 and the client no longer has sshd prove its host keys after login). Each run also
 * prints the CPU the client, the proxies, the sshd sessions and other processes used, and how many machines the pool
 * had in flight at once, so a ratio above the goal can be told apart from a lack of overlap; the load average at the
 * start and end tells how busy the machine was, and the summary says what share of the cores other processes took
 * during the 32-machine runs and how much wall time the benchmark's own CPU needs on these cores at the least (a floor
 * for the 32-machine time that no overlap can beat). It does not "correct" the ratio for contention: how CPU and
 * latency overlap is not linear, so no honest correction exists. More rows for comparison: preflight held to 8 machines
 * at once (the pool's main limit, which preflight used before it had a probe limit of its own), and 1 and 32 machines
 * without the proxy (what this machine's CPU alone costs; the difference to the proxied rows is what latency adds).
 */
import { readdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import {
  MachinePool,
  type MachinePoolOptions,
  type PreflightMachine,
  preflight,
} from "../packages/core/src/machine/index.js";
import { type SshdFixture, startSshd } from "../packages/core/test/fixtures/sshd.js";
import { type FakeMachineFleet, startFakeMachineFleet } from "./fake-machine.js";
import { type LatencyProxyProcess, startLatencyProxyProcess } from "./latency-proxy-process.js";

const SERVERS = 8;
const PER_SERVER = 4;
const DELAY_MS = 25;
const RUNS = 5;
/** Preflights of one machine per kind (plain fixture, fake machine) whose mean sshd CPU is compared first. */
const COST_RUNS = 7;
const GOAL = 1.5;
/** Linux USER_HZ: the unit of CPU times in /proc (always 100 on Linux's user-space ABI). */
const MS_PER_TICK = 10;

interface Timing {
  /** Wall-clock time. */
  wallMs: number;
  /** CPU time this (client) process spent. */
  clientCpuMs: number;
  /** CPU time the latency proxies' process spent (0 without proxy). */
  proxyCpuMs: number;
  /** CPU time the sshd servers and all their (finished) session processes spent. */
  sshdCpuMs: number;
  /** CPU time the whole machine spent (every process, also those not of this benchmark), from /proc/stat. */
  machineCpuMs: number;
  /** Most machines the pool had in flight at once. */
  maxInFlight: number;
}

/** The 1-minute load average (/proc/loadavg). */
function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ")[0] ?? "?";
}

/** Busy CPU time of the whole machine so far, in ms (/proc/stat). */
function machineBusyMs(): number {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * MS_PER_TICK;
}

/** The fields of /proc/PID/stat after the command name (field 3 onwards). */
function procStat(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** PID of the sshd listener of `server`: our child process whose command line names its sshd_config. */
function sshdPid(server: SshdFixture): number {
  const config = join(server.rootDir, "sshd_config");
  const pid = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .find((pid) => {
      try {
        // sshd rewrites its command line ("sshd: /usr/sbin/sshd -D -e -f CONFIG [listener] ..."): match a substring.
        return (
          Number(procStat(pid)[1]) === process.pid && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(config)
        );
      } catch {
        return false;
      }
    });
  if (pid === undefined) throw new Error(`no sshd process found for ${config}`);
  return pid;
}

/**
 * CPU time of the sshd listeners and every session they reaped (utime + stime + cutime + cstime), in ms. Waits until
 * the listeners have no session left, so the sessions of the run just closed are counted.
 */
async function sshdCpuMs(pids: readonly number[]): Promise<number> {
  const hasChildren = () =>
    readdirSync("/proc").some((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        return pids.includes(Number(procStat(Number(entry))[1]));
      } catch {
        return false;
      }
    });
  for (let waited = 0; hasChildren() && waited < 2000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  let ticks = 0;
  for (const pid of pids) {
    const fields = procStat(pid);
    ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  }
  return ticks * MS_PER_TICK;
}

/** Where {@link timePreflight} reads the CPU time of the processes besides the client. */
interface Meters {
  /** The sshd listeners (their sessions are counted when reaped). */
  sshdPids: readonly number[];
  /** The latency proxies' process. */
  proxy?: LatencyProxyProcess;
}

/**
 * Times one preflight of `machines` with a fresh pool. Every machine must be reached; with `clean`, preflight must
 * find no problem at all (the fake machines look like NixOS and meet the expectations).
 */
async function timePreflight(
  machines: PreflightMachine[],
  options: MachinePoolOptions,
  meters: Meters,
  clean = true,
): Promise<Timing> {
  let maxInFlight = 0;
  const pool: MachinePool = new MachinePool({
    ...options,
    onEvent: (event) => {
      if (event.type === "connecting") maxInFlight = Math.max(maxInFlight, pool.probesInFlight);
    },
  });
  const sshdBefore = await sshdCpuMs(meters.sshdPids);
  // Collect the previous run's garbage now rather than during this run (`npm run bench` passes --expose-gc).
  globalThis.gc?.();
  const proxyBefore = meters.proxy?.cpuMs() ?? 0;
  const busy = machineBusyMs();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let wallMs: number;
  try {
    const report = await preflight(pool, machines);
    wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const unreachable = report.problems.filter((p) => p.check === "ssh");
    if (unreachable.length > 0)
      throw new Error(`preflight could not reach: ${unreachable.map((p) => p.actual).join("; ")}`);
    if (Object.keys(report.facts).length !== machines.length) throw new Error("preflight missed machines");
    if (clean && report.problems.length > 0)
      throw new Error(
        `preflight found problems: ${report.problems.map((p) => `${p.machine}: ${p.actual}`).join("; ")}`,
      );
  } finally {
    await pool.closeAll();
  }
  const used = process.cpuUsage(cpu);
  return {
    wallMs,
    clientCpuMs: (used.user + used.system) / 1000,
    proxyCpuMs: (meters.proxy?.cpuMs() ?? 0) - proxyBefore,
    sshdCpuMs: (await sshdCpuMs(meters.sshdPids)) - sshdBefore,
    machineCpuMs: machineBusyMs() - busy,
    maxInFlight,
  };
}

/** The mean: CPU times come in 10 ms ticks, so a median of single preflights would show only the ticks. */
function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const ms = (value: number, width = 5) => `${value.toFixed(0).padStart(width)} ms`;

function describeRun(t: Timing): string {
  const others = Math.max(0, t.machineCpuMs - t.clientCpuMs - t.proxyCpuMs - t.sshdCpuMs);
  return `${ms(t.wallMs)}   CPU: client ${ms(t.clientCpuMs, 4)}, proxy ${ms(t.proxyCpuMs, 4)}, sshd ${ms(t.sshdCpuMs)}, other processes ${ms(others)};  ${String(t.maxInFlight).padStart(2)} at once`;
}

/** One kind of run: how many machines, reached how, with which pool options. */
interface Row {
  label: string;
  machines: PreflightMachine[];
  options: MachinePoolOptions;
  runs: Timing[];
}

const EXPECT = { system: "x86_64-linux", memoryMiB: 1, diskGiB: 0 };

/**
 * Mean sshd CPU of one machine's preflight (no proxy, one at a time) on the plain sshd fixture and on `fake`, the
 * first fake machine: what each fake machine saves this machine's cores.
 */
async function sshdCostPerMachine(fake: PreflightMachine, fakePid: number): Promise<{ plain: number; fake: number }> {
  const plain = await startSshd();
  try {
    const plainMachine = { target: plain.target("bench-plain"), expect: EXPECT };
    const plainPid = sshdPid(plain);
    const plainRuns: number[] = [];
    const fakeRuns: number[] = [];
    for (let run = 0; run < COST_RUNS; run++) {
      // The plain fixture is a Debian host without systemd: preflight reports that, which is fine here.
      plainRuns.push((await timePreflight([plainMachine], {}, { sshdPids: [plainPid] }, false)).sshdCpuMs);
      fakeRuns.push((await timePreflight([fake], {}, { sshdPids: [fakePid] })).sshdCpuMs);
    }
    return { plain: mean(plainRuns), fake: mean(fakeRuns) };
  } finally {
    await plain.dispose();
  }
}

/** How many times the facts script started `nix` on the fleet's machines so far. */
async function nixStarts(fleet: FakeMachineFleet): Promise<number> {
  return (await Promise.all(fleet.machines.map((m) => m.nixCalls()))).reduce((a, b) => a + b, 0);
}

/** Prints a warning that cannot be missed (stderr and stdout) when the facts script started `nix` (`starts` > 0). */
function warnNixStarted(starts: number, when: string): void {
  if (starts === 0) return;
  const text = [
    `!!! WARNING: the facts script started nix ${starts} times on the fake machines ${when}.`,
    "!!! The fake machines' nix is not a /nix/store path (no /nix/store folder to mount their store on?), so each",
    "!!! preflight ran the nix script double: the sshd CPU and wall times below are higher than a NixOS machine's.",
  ].join("\n");
  console.error(text);
  console.log(text);
}

/** Runs the benchmark and prints its results. */
export default async function preflightBench(): Promise<void> {
  const fleet = await startFakeMachineFleet(SERVERS);
  const servers = fleet.machines.map((m) => m.sshd);
  let proxies: LatencyProxyProcess | undefined;
  try {
    const loadAtStart = loadAverage();
    proxies = await startLatencyProxyProcess({ targetPorts: servers.map((s) => s.port), delayMs: DELAY_MS });
    const pids = servers.map(sshdPid);
    const meters: Meters = { sshdPids: pids, proxy: proxies };
    const machinesVia = (port: (server: number) => number): PreflightMachine[] =>
      fleet.machines.flatMap((machine, s) =>
        Array.from({ length: PER_SERVER }, (_, i) => ({
          target: machine.target(`bench-${s * PER_SERVER + i + 1}`, { port: port(s) }),
          expect: EXPECT,
        })),
      );
    const proxyPorts = proxies.ports;
    const delayed = machinesVia((s) => proxyPorts[s]!);
    const direct = machinesVia((s) => servers[s]!.port);
    const n = delayed.length;
    const defaults = new MachinePool();
    const limited = { probeConcurrency: defaults.concurrency };
    const rows: Row[] = [
      { label: "1 machine", machines: delayed.slice(0, 1), options: {}, runs: [] },
      { label: `${n} machines`, machines: delayed, options: {}, runs: [] },
      {
        label: `${n} machines, probe limit ${limited.probeConcurrency}`,
        machines: delayed,
        options: limited,
        runs: [],
      },
      { label: "1 machine, no proxy", machines: direct.slice(0, 1), options: {}, runs: [] },
      { label: `${n} machines, no proxy`, machines: direct, options: {}, runs: [] },
    ];
    const [one, all, allLimited, oneDirect, allDirect] = rows as [Row, Row, Row, Row, Row];
    // Warm-up: the first SSH connection of a process pays for loading crypto code.
    await timePreflight(direct.slice(0, 1), {}, meters);
    warnNixStarted(await nixStarts(fleet), "in the warm-up run");
    const cores = availableParallelism();
    const cost = await sshdCostPerMachine(direct[0]!, pids[0]!);
    console.log(
      `sshd CPU per machine (mean of ${COST_RUNS} one-machine preflights, no proxy): plain sshd fixture ${cost.plain.toFixed(1)} ms, bench fake machine ${cost.fake.toFixed(1)} ms`,
    );
    console.log(
      `preflight of ${n} vs 1 machine: ${SERVERS} local sshd × ${PER_SERVER} machine names, each connection through a proxy adding ${DELAY_MS} ms each way (${2 * DELAY_MS} ms round trip); fresh pool per run; pool limit ${defaults.concurrency}, probe limit ${defaults.probeConcurrency} (SDK defaults) unless said; ${cores} CPU cores`,
    );
    const width = Math.max(...rows.map((r) => r.label.length));
    for (let run = 0; run < RUNS; run++) {
      for (const [r, row] of rows.entries()) {
        row.runs.push(await timePreflight(row.machines, row.options, meters));
        const head = r === 0 ? `run ${run + 1}` : "";
        console.log(`  ${head.padEnd(6)} ${row.label.padEnd(width)}  ${describeRun(row.runs.at(-1)!)}`);
      }
    }
    const wall = (row: Row) => median(row.runs.map((t) => t.wallMs));
    const best = (row: Row) => Math.min(...row.runs.map((t) => t.wallMs));
    console.log(
      `  medians (best): ${rows.map((row) => `${row.label} ${ms(wall(row), 0)} (${ms(best(row), 0)})`).join(", ")}`,
    );
    const ratio = wall(all) / wall(one);
    console.log(
      `  preflight ratio ${n}/1 machines: ${ratio.toFixed(2)} (best runs ${(best(all) / best(one)).toFixed(2)}; goal ≤ ${GOAL})${ratio <= GOAL ? "" : " ABOVE GOAL"}; with probe limit ${limited.probeConcurrency}: ${(wall(allLimited) / wall(one)).toFixed(2)}`,
    );
    const perMachine = (cpu: (t: Timing) => number) => (median(all.runs.map(cpu)) / n).toFixed(1);
    console.log(
      `  per machine: SDK client CPU ${perMachine((t) => t.clientCpuMs)} ms, proxy CPU ${perMachine((t) => t.proxyCpuMs)} ms, sshd session CPU ${perMachine((t) => t.sshdCpuMs)} ms (a real machine spends this on its own CPU; here ${n} sessions share ${cores} cores)`,
    );
    console.log(
      `  without latency ${n} machines take ${ms(wall(allDirect), 0)} here (CPU-bound: ${(wall(allDirect) / wall(one)).toFixed(2)} × the 1-machine time with latency); latency adds ${ms(wall(all) - wall(allDirect), 0)} to ${n} machines and ${ms(wall(one) - wall(oneDirect), 0)} to 1`,
    );
    const others = (t: Timing) => Math.max(0, t.machineCpuMs - t.clientCpuMs - t.proxyCpuMs - t.sshdCpuMs);
    const ownCpu = (t: Timing) => t.clientCpuMs + t.proxyCpuMs + t.sshdCpuMs;
    const share = median(all.runs.map((t) => others(t) / (t.wallMs * cores)));
    const floor = median(all.runs.map(ownCpu)) / cores;
    console.log(
      `  contention: other processes took ${(share * 100).toFixed(0)}% of the ${cores} cores during the ${n}-machine runs (median); the benchmark's own CPU in a ${n}-machine run (client + proxy + sshd, ${ms(median(all.runs.map(ownCpu)), 0)}) needs at least ${ms(floor, 0)} of wall time on ${cores} cores = ${(floor / wall(one)).toFixed(2)} × the 1-machine time (a floor for the ratio on this machine, however well latency overlaps)`,
    );
    warnNixStarted(await nixStarts(fleet), "during the benchmark");
    console.log(
      `  load average (1 min) ${loadAtStart} at the start, ${loadAverage()} at the end: other processes share the ${cores} cores`,
    );
  } finally {
    await proxies?.close();
    await fleet.dispose();
  }
}
