import { once } from "node:events";
import { createConnection, createServer, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type LatencyProxyProcess, startLatencyProxyProcess } from "./latency-proxy-process.js";

const DELAY_MS = 25;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** An echo server on 127.0.0.1 that answers each chunk with `<name>:<chunk>`. */
async function echoServer(name: string): Promise<number> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("data", (chunk: Buffer) => socket.write(`${name}:${chunk.toString()}`));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  );
  return (server.address() as { port: number }).port;
}

/** Sends `text` through `port` and resolves with the answer and the round-trip time. */
async function roundTrip(port: number, text: string): Promise<{ reply: string; ms: number }> {
  const client = createConnection({ host: "127.0.0.1", port });
  cleanups.push(() => void client.destroy());
  await once(client, "connect");
  const sent = performance.now();
  client.write(text);
  const [reply] = (await once(client, "data")) as [Buffer];
  return { reply: reply.toString(), ms: performance.now() - sent };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("latency proxies in a child process", () => {
  it("starts one proxy per target port, each delaying both directions, and counts the child's CPU", async () => {
    const targetPorts = [await echoServer("a"), await echoServer("b")];
    const proxies: LatencyProxyProcess = await startLatencyProxyProcess({ targetPorts, delayMs: DELAY_MS });
    cleanups.push(() => proxies.close());
    expect(proxies.ports).toHaveLength(2);
    expect(proxies.pid).not.toBe(process.pid);
    const viaA = await roundTrip(proxies.ports[0]!, "ping");
    const viaB = await roundTrip(proxies.ports[1]!, "ping");
    expect(viaA.reply).toBe("a:ping");
    expect(viaB.reply).toBe("b:ping");
    expect(viaA.ms).toBeGreaterThanOrEqual(2 * DELAY_MS);
    expect(viaB.ms).toBeGreaterThanOrEqual(2 * DELAY_MS);
    // Starting Node and loading TypeScript alone takes CPU time.
    expect(proxies.cpuMs()).toBeGreaterThan(0);
  }, 30_000);

  it("close() stops the child and its proxies, once", async () => {
    const proxies = await startLatencyProxyProcess({ targetPorts: [await echoServer("a")], delayMs: DELAY_MS });
    const port = proxies.ports[0]!;
    const first = proxies.close();
    expect(proxies.close()).toBe(first);
    await first;
    expect(alive(proxies.pid)).toBe(false);
    const client = createConnection({ host: "127.0.0.1", port });
    const [error] = (await once(client, "error")) as [NodeJS.ErrnoException];
    expect(error.code).toBe("ECONNREFUSED");
  }, 30_000);
});
