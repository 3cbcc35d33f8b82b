import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FediError, hasErrorCode } from "../../src/errors.js";
import { connect, MachinePool, type SshConnection } from "../../src/machine/index.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";

let sshd: SshdFixture;
let conn: SshConnection;
let http: Server;
let httpPort: number;
const requests: string[] = [];

beforeAll(async () => {
  sshd = await startSshd();
  conn = await connect(sshd.target("storage1"));
  // Stands in for a service bound to the machine's localhost (e.g. Garage's admin API).
  http = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader("content-type", "text/plain");
    res.end(`hello through the tunnel: ${req.url}`);
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  httpPort = (http.address() as AddressInfo).port;
});

afterAll(async () => {
  await conn?.close();
  await sshd?.dispose();
  await new Promise((resolve) => http?.close(resolve));
});

describe("openTunnel", () => {
  it("forwards a local port to the machine's localhost service", async () => {
    const tunnel = await conn.openTunnel({ remotePort: httpPort });
    expect(tunnel.localHost).toBe("127.0.0.1");
    expect(tunnel.localPort).not.toBe(httpPort);
    const [a, b] = await Promise.all([
      fetch(`http://127.0.0.1:${tunnel.localPort}/v2/GetClusterStatus`).then((r) => r.text()),
      fetch(`http://127.0.0.1:${tunnel.localPort}/health`).then((r) => r.text()),
    ]);
    expect(a).toBe("hello through the tunnel: /v2/GetClusterStatus");
    expect(b).toBe("hello through the tunnel: /health");
    expect(requests).toEqual(expect.arrayContaining(["GET /v2/GetClusterStatus", "GET /health"]));
    await tunnel.close();
    await expect(fetch(`http://127.0.0.1:${tunnel.localPort}/`)).rejects.toThrow();
    await tunnel.close(); // idempotent
  });

  it("reports a forward to a closed remote port through onError and drops the local connection", async () => {
    const errors: FediError[] = [];
    const tunnel = await conn.openTunnel({ remotePort: 1, onError: (e) => errors.push(e) });
    await expect(fetch(`http://127.0.0.1:${tunnel.localPort}/`)).rejects.toThrow();
    expect(errors).toHaveLength(1);
    expect(hasErrorCode(errors[0], "SSH_FAILED")).toBe(true);
    expect(errors[0]!.message).toContain("127.0.0.1:1");
    expect(errors[0]!.message).toContain('machine "storage1"');
    await tunnel.close();
  });

  it("rejects an invalid remote port", async () => {
    await expect(conn.openTunnel({ remotePort: 70000 })).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, "SPEC_INVALID"),
    );
  });

  it("closes with the pool's connection", async () => {
    const pool = new MachinePool();
    const tunnel = await pool.openTunnel(sshd.target("storage1"), { remotePort: httpPort });
    expect(await (await fetch(`http://127.0.0.1:${tunnel.localPort}/x`)).text()).toBe("hello through the tunnel: /x");
    await pool.closeAll();
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(`http://127.0.0.1:${tunnel.localPort}/`)).rejects.toThrow();
  });
});
