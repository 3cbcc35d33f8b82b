/**
 * A TCP proxy on 127.0.0.1 that delays every chunk by a fixed time in each direction: a stand-in for a network with
 * latency where the kernel has no netem (`tc qdisc ... netem delay`). Each direction is a delay line: a chunk read at
 * time t is written on at t + delay or later, in order, and a half-close (FIN) travels the same way, so latency
 * overlaps like on a real link (ten chunks sent 1 ms apart arrive ~1 ms apart, not 10 × delay later). There is no
 * bandwidth limit, and the TCP handshake itself is not delayed (the kernel completes it): one round trip less than
 * a real link, for every connection alike.
 *
 * ```ts
 * const proxy = await startLatencyProxy({ targetPort: sshd.port, delayMs: 25 });
 * const target = sshd.target("web1", { port: proxy.port }); // ~50 ms round trip
 * ...
 * await proxy.close();
 * ```
 */
import { createConnection, createServer, type Socket } from "node:net";

/** Options of {@link startLatencyProxy}. */
export interface LatencyProxyOptions {
  /** Port of the server the proxy forwards to, on {@link LatencyProxyOptions.targetHost}. */
  targetPort: number;
  /** Host of that server. Default `127.0.0.1`. */
  targetHost?: string;
  /** Delay added to every chunk, in each direction, in ms (a round trip gains twice this). */
  delayMs: number;
}

/** A running proxy started by {@link startLatencyProxy}. */
export interface LatencyProxy {
  /** Always `127.0.0.1`. */
  readonly host: "127.0.0.1";
  /** The port the proxy listens on. */
  readonly port: number;
  /** How many connections were accepted so far. */
  readonly accepted: number;
  /** Stops listening and cuts every open connection. Idempotent. */
  close(): Promise<void>;
}

/** One queued item of a delay line: data to write, or `null` for the sender's half-close. */
interface Delayed {
  due: number;
  data: Buffer | null;
}

/**
 * Copies `from` to `to`, each chunk (and the final half-close) no earlier than `delayMs` after it was read, in order.
 * Honours backpressure: reading from `from` pauses while `to` cannot take more.
 */
export function delayLine(from: Socket, to: Socket, delayMs: number): void {
  const queue: Delayed[] = [];
  let timer: NodeJS.Timeout | undefined;
  let waitingForDrain = false;
  const deliver = () => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.due <= now) {
      const { data } = queue.shift()!;
      if (to.destroyed) return;
      if (data === null) to.end();
      else if (!to.write(data) && !waitingForDrain) {
        waitingForDrain = true;
        from.pause();
        to.once("drain", () => {
          waitingForDrain = false;
          from.resume();
        });
      }
    }
    // setTimeout counts from the event loop's cached clock and may fire a little early: check and wait again.
    if (queue.length > 0) timer = setTimeout(deliver, Math.max(1, Math.ceil(queue[0]!.due - now)));
  };
  const enqueue = (data: Buffer | null) => {
    queue.push({ due: performance.now() + delayMs, data });
    timer ??= setTimeout(deliver, Math.max(1, Math.ceil(delayMs)));
  };
  from.on("data", (chunk: Buffer) => enqueue(chunk));
  from.on("end", () => enqueue(null));
  to.on("close", () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    queue.length = 0;
  });
}

/** Starts a proxy on 127.0.0.1 (a free port) in front of `targetHost:targetPort`. */
export async function startLatencyProxy(options: LatencyProxyOptions): Promise<LatencyProxy> {
  if (!(options.delayMs >= 0)) throw new Error(`delayMs must be a number ≥ 0, got ${options.delayMs}`);
  const targetHost = options.targetHost ?? "127.0.0.1";
  const open = new Set<Socket>();
  let accepted = 0;
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  };
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (client) => {
    accepted++;
    const upstream = createConnection({ host: targetHost, port: options.targetPort, allowHalfOpen: true });
    upstream.setNoDelay(true);
    track(client);
    track(upstream);
    // A reset or error on one side cuts the other at once (no delay: only data and FIN are delayed).
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once("error", cut);
    upstream.once("error", cut);
    // Both directions closed cleanly: nothing more to carry.
    client.once("close", () => {
      if (upstream.writableEnded && upstream.readableEnded) upstream.destroy();
    });
    delayLine(client, upstream, options.delayMs);
    delayLine(upstream, client, options.delayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  let closing: Promise<void> | undefined;
  return {
    host: "127.0.0.1",
    port,
    get accepted() {
      return accepted;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      });
      return closing;
    },
  };
}
