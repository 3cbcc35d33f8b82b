// runHealthCheck's HTTP probe, run with the real curl over SSH (sshd fixture) against real HTTPS servers on loopback
// (node:https) whose certificates a throwaway CA made with openssl: a staging-like CA, nixpkgs' placeholder
// (a minica-named root sent in the chain, as the acme module's fullchain.pem), a self-signed leaf, and no server.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HealthCheck, MachinePool, runHealthCheck, type SshTarget } from "../../src/index.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";

const run = promisify(execFile);
const HOST = "social.example.test";

let dir: string;
let sshd: SshdFixture;
let target: SshTarget;
let pool: MachinePool;
const servers: Server[] = [];
const ports: Record<"staging" | "placeholder" | "selfSigned" | "plain" | "nothing", number> = {
  staging: 0,
  placeholder: 0,
  selfSigned: 0,
  plain: 0,
  nothing: 0,
};

async function openssl(...args: string[]): Promise<void> {
  await run("openssl", args, { cwd: dir });
}

/** A CA (self-signed root with the given CN) and a leaf for HOST signed by it. */
async function caAndLeaf(prefix: string, caName: string): Promise<{ key: string; chain: string }> {
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    `/CN=${caName}`,
    "-keyout",
    `${prefix}-ca.key`,
    "-out",
    `${prefix}-ca.pem`,
  );
  await openssl(
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-subj",
    `/CN=${HOST}`,
    "-keyout",
    `${prefix}.key`,
    "-out",
    `${prefix}.csr`,
  );
  await writeFile(join(dir, "san.ext"), `subjectAltName=DNS:${HOST}\n`);
  await openssl(
    "x509",
    "-req",
    "-in",
    `${prefix}.csr`,
    "-CA",
    `${prefix}-ca.pem`,
    "-CAkey",
    `${prefix}-ca.key`,
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    "san.ext",
    "-out",
    `${prefix}.pem`,
  );
  return {
    key: await readFile(join(dir, `${prefix}.key`), "utf8"),
    chain: await readFile(join(dir, `${prefix}.pem`), "utf8"),
  };
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Answers `/status/<n>` with that status, everything else with 200. */
const handler = (req: { url?: string }, res: { statusCode: number; end(body: string): void }) => {
  const m = /^\/status\/(\d{3})$/.exec(req.url ?? "");
  res.statusCode = m ? Number(m[1]) : 200;
  res.end("ok");
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fedi-health-"));
  const staging = await caAndLeaf("staging", "(STAGING) Throwaway Test CA");
  const minica = await caAndLeaf("minica", "minica root ca 5e3a1f");
  // nixpkgs' acme module serves cert.pem followed by minica's root as fullchain.pem.
  const minicaRoot = await readFile(join(dir, "minica-ca.pem"), "utf8");
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    `/CN=${HOST}`,
    "-addext",
    `subjectAltName=DNS:${HOST}`,
    "-keyout",
    "self.key",
    "-out",
    "self.pem",
  );
  const self = {
    key: await readFile(join(dir, "self.key"), "utf8"),
    chain: await readFile(join(dir, "self.pem"), "utf8"),
  };
  ports.staging = await listen(createHttpsServer({ key: staging.key, cert: staging.chain }, handler));
  ports.placeholder = await listen(createHttpsServer({ key: minica.key, cert: minica.chain + minicaRoot }, handler));
  ports.selfSigned = await listen(createHttpsServer({ key: self.key, cert: self.chain }, handler));
  ports.plain = await listen(createHttpServer(handler));
  // A port nobody listens on: taken, then released.
  const probe = createHttpServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  ports.nothing = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  sshd = await startSshd();
  target = sshd.target("web1");
  pool = new MachinePool();
});

afterAll(async () => {
  await pool?.closeAll();
  await sshd?.dispose();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  if (dir) await rm(dir, { recursive: true, force: true });
});

const https = (port: number, path = "/health"): HealthCheck => ({
  kind: "http",
  url: `https://${HOST}:${port}${path}`,
  expectStatus: [200],
  viaMachine: true,
});

describe("HTTP health checks tell a staging certificate, a placeholder and a down service apart", () => {
  it("a certificate from an untrusted (staging) CA: the service answers, the certificate is not trusted", async () => {
    const r = await runHealthCheck(pool, target, "social", https(ports.staging));
    expect(r).toMatchObject({ ok: false, outcome: "certificate-untrusted", machine: "web1", owner: "social" });
    expect(r.detail).toMatch(
      /^certificate not trusted \(staging\), issuer CN ?= ?\(STAGING\) Throwaway Test CA \(HTTP 200 behind it\)/,
    );
  });

  it("the same check passes when the deployment uses the staging CA on purpose", async () => {
    const r = await runHealthCheck(pool, target, "social", https(ports.staging), { acmeStaging: true });
    expect(r).toMatchObject({ ok: true, outcome: "certificate-untrusted" });
    expect(r.detail).toMatch(/^HTTP 200; certificate not trusted \(staging\)/);
    const wrong = await runHealthCheck(pool, target, "social", https(ports.staging, "/status/404"), {
      acmeStaging: true,
    });
    expect(wrong).toMatchObject({ ok: false, outcome: "unexpected-status" });
  });

  it("nixpkgs' placeholder (minica) and a self-signed certificate: ACME has not issued one yet", async () => {
    for (const port of [ports.placeholder, ports.selfSigned]) {
      const r = await runHealthCheck(pool, target, "social", https(port), { acmeStaging: true });
      expect(r, String(port)).toMatchObject({ ok: false, outcome: "certificate-placeholder" });
      expect(r.detail).toMatch(
        /^placeholder certificate .*ACME has not issued the certificate for social\.example\.test yet/,
      );
    }
    const minica = await runHealthCheck(pool, target, "social", https(ports.placeholder));
    expect(minica.detail).toMatch(/issuer CN ?= ?minica root ca 5e3a1f/);
  });

  it("nothing listening: the service is down", async () => {
    const r = await runHealthCheck(pool, target, "social", https(ports.nothing), { acmeStaging: true });
    expect(r).toMatchObject({ ok: false, outcome: "down" });
    expect(r.detail).toMatch(/^down: curl: \(7\) Failed to connect/);
  });

  it("HTTP statuses: expected, unexpected, and 502-504 as a service down behind its web server", async () => {
    const plain = (path: string): HealthCheck => ({
      kind: "http",
      url: `http://${HOST}:${ports.plain}${path}`,
      viaMachine: true,
    });
    expect(await runHealthCheck(pool, target, "x", plain("/"))).toMatchObject({
      ok: true,
      outcome: "ok",
      detail: "HTTP 200",
    });
    expect(await runHealthCheck(pool, target, "x", plain("/status/404"))).toMatchObject({
      ok: false,
      outcome: "unexpected-status",
      detail: "HTTP 404, expected 200",
    });
    expect(await runHealthCheck(pool, target, "x", plain("/status/503"))).toMatchObject({ ok: false, outcome: "down" });
  });
});
