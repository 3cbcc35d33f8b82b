import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type LatencyProxy, startLatencyProxy } from "./latency-proxy.js";

const DELAY_MS = 25;

/** A server on 127.0.0.1 that hands each accepted socket to `onSocket`; `close` also cuts its open sockets. */
async function listen(onSocket: (socket: Socket) => void): Promise<{ close: () => Promise<void>; port: number }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    onSocket(socket);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  return { close, port: (server.address() as { port: number }).port };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(onSocket: (socket: Socket) => void): Promise<{ proxy: LatencyProxy; client: Socket }> {
  const { close, port } = await listen(onSocket);
  cleanups.push(close);
  const proxy = await startLatencyProxy({ targetPort: port, delayMs: DELAY_MS });
  cleanups.push(() => proxy.close());
  const client = createConnection({ host: proxy.host, port: proxy.port, allowHalfOpen: true });
  client.setNoDelay(true);
  cleanups.push(() => void client.destroy());
  await once(client, "connect");
  return { proxy, client };
}

describe("latency proxy", () => {
  it("delays a chunk by at least the delay in each direction", async () => {
    let arrivedAtServer = 0;
    let sentByServer = 0;
    const { client } = await setUp((socket) => {
      socket.once("data", () => {
        arrivedAtServer = performance.now();
        sentByServer = performance.now();
        socket.write("pong");
      });
    });
    const sent = performance.now();
    client.write("ping");
    const [reply] = (await once(client, "data")) as [Buffer];
    const back = performance.now();
    expect(reply.toString()).toBe("pong");
    expect(arrivedAtServer - sent).toBeGreaterThanOrEqual(DELAY_MS);
    expect(back - sentByServer).toBeGreaterThanOrEqual(DELAY_MS);
  });

  it("overlaps the delays of chunks in flight and keeps their order (latency, not one delay per chunk)", async () => {
    const arrivals = new Map<number, number>();
    let received = "";
    const { client } = await setUp((socket) => {
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString();
        for (const piece of received.split(";").slice(0, -1))
          if (!arrivals.has(Number(piece))) arrivals.set(Number(piece), performance.now());
      });
    });
    const sentAt: number[] = [];
    for (let i = 0; i < 10; i++) {
      sentAt.push(performance.now());
      client.write(`${i};`);
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
    const deadline = performance.now() + 2000;
    while (arrivals.size < 10 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(received).toBe("0;1;2;3;4;5;6;7;8;9;");
    for (let i = 0; i < 10; i++) expect(arrivals.get(i)! - sentAt[i]!).toBeGreaterThanOrEqual(DELAY_MS);
    // One delay per chunk in turn would put the last chunk ≥ 10 × 25 ms after the first was sent.
    expect(arrivals.get(9)! - sentAt[0]!).toBeLessThan(10 * DELAY_MS);
  });

  it("delays the half-close too and carries data after it the other way", async () => {
    let endedAt = 0;
    const { proxy, client } = await setUp((socket) => {
      socket.on("data", () => {});
      socket.once("end", () => {
        endedAt = performance.now();
        socket.end("after your end");
      });
    });
    const sent = performance.now();
    client.end();
    const [reply] = (await once(client, "data")) as [Buffer];
    await once(client, "end");
    expect(endedAt - sent).toBeGreaterThanOrEqual(DELAY_MS);
    expect(reply.toString()).toBe("after your end");
    expect(proxy.accepted).toBe(1);
  });
});
