/**
 * Latency proxies (bench/latency-proxy.ts) in a child process of their own, as a network would be: their timers
 * then fire on time while the benchmarked process is busy (a delay line in the same event loop waits for the SDK's
 * callbacks, which adds latency a real network does not), they can run on another core, and their CPU is counted
 * apart from the SDK client's.
 *
 * ```ts
 * const proxies = await startLatencyProxyProcess({ targetPorts: [sshd1.port, sshd2.port], delayMs: 25 });
 * const target = sshd1.target("web1", { port: proxies.ports[0] });
 * ...
 * await proxies.close();
 * ```
 *
 * Run as a script (the child), it reads one {@link ProxyRequest} from its parent over IPC, starts the proxies,
 * answers with their ports and exits when the parent says `close` or goes away.
 */
import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type LatencyProxy, startLatencyProxy } from "./latency-proxy.js";

/** Options of {@link startLatencyProxyProcess}. */
export interface LatencyProxyProcessOptions {
  /** One proxy per port, each in front of `127.0.0.1:<port>`. */
  targetPorts: readonly number[];
  /** Delay added to every chunk, in each direction, in ms. */
  delayMs: number;
}

/** Proxies running in a child process, started by {@link startLatencyProxyProcess}. */
export interface LatencyProxyProcess {
  /** The proxies' ports on 127.0.0.1, in the order of {@link LatencyProxyProcessOptions.targetPorts}. */
  readonly ports: readonly number[];
  /** PID of the child process. */
  readonly pid: number;
  /** CPU time (user + system) the child process has used so far, in ms. */
  cpuMs(): number;
  /** Stops the proxies (cutting open connections) and waits for the child to exit. Idempotent. */
  close(): Promise<void>;
}

/** What the parent sends first. */
interface ProxyRequest {
  type: "start";
  targetPorts: number[];
  delayMs: number;
}

/** What the child answers. */
type ProxyReply = { type: "ready"; ports: number[] } | { type: "failed"; message: string };

/** Linux USER_HZ: the unit of CPU times in /proc. */
const MS_PER_TICK = 10;

const SELF = fileURLToPath(import.meta.url);

/** Forks the child (Node loading TypeScript through tsx, whatever runs the parent) and starts the proxies. */
export async function startLatencyProxyProcess(options: LatencyProxyProcessOptions): Promise<LatencyProxyProcess> {
  const child: ChildProcess = fork(SELF, ["--child"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const reply = await new Promise<ProxyReply>((resolve, reject) => {
    child.once("message", (message) => resolve(message as ProxyReply));
    child.once("error", reject);
    child.once("exit", (code, signal) => reject(new Error(`latency proxy process exited (${code ?? signal})`)));
    const request: ProxyRequest = { type: "start", targetPorts: [...options.targetPorts], delayMs: options.delayMs };
    child.send(request);
  }).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  if (reply.type !== "ready") {
    child.kill("SIGKILL");
    throw new Error(`latency proxy process failed: ${reply.message}`);
  }
  const pid = child.pid ?? 0;
  let closing: Promise<void> | undefined;
  return {
    ports: reply.ports,
    pid,
    cpuMs() {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
    },
    close() {
      closing ??= (async () => {
        if (child.connected) child.send("close");
        const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/** The child: serves one request, then waits for `close` (or the parent's exit). */
function runChild(): void {
  let proxies: LatencyProxy[] = [];
  const stop = async () => {
    await Promise.all(proxies.map((p) => p.close()));
    process.exit(0);
  };
  process.on("disconnect", () => void stop());
  process.on("message", (message: ProxyRequest | "close") => {
    if (message === "close") {
      void stop();
      return;
    }
    void Promise.all(
      message.targetPorts.map((targetPort) => startLatencyProxy({ targetPort, delayMs: message.delayMs })),
    )
      .then((started) => {
        proxies = started;
        process.send?.({ type: "ready", ports: started.map((p) => p.port) } satisfies ProxyReply);
      })
      .catch((error: unknown) => {
        process.send?.({ type: "failed", message: String(error) } satisfies ProxyReply);
      });
  });
}

if (process.argv[1] === SELF && process.argv[2] === "--child") runChild();
