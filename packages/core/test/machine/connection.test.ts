import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { appendFile, copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FediError, hasErrorCode } from "../../src/errors.js";
import {
  connect,
  IdentityKeyCache,
  keyscan,
  type MachineEvent,
  MachinePool,
  parseOpenSshPublicKey,
  type SshConnection,
} from "../../src/machine/index.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";
import { processesRunning, waitNoProcess } from "./proc.js";

const run = promisify(execFile);

/** The fingerprint ssh-keygen itself computes for a public key file: the reference for our messages. */
async function keygenFingerprint(pubPath: string): Promise<string> {
  const { stdout } = await run("ssh-keygen", ["-l", "-E", "sha256", "-f", pubPath]);
  return stdout.split(" ")[1]!;
}

let sshd: SshdFixture;
let other: SshdFixture;
let conn: SshConnection;

beforeAll(async () => {
  [sshd, other] = await Promise.all([startSshd({ extraHostKeys: ["ecdsa"] }), startSshd()]);
  conn = await connect(sshd.target("web1"));
});

afterAll(async () => {
  await conn?.close();
  await Promise.all([sshd?.dispose(), other?.dispose()]);
});

describe("exec", () => {
  it("runs a command and streams its output while it runs", async () => {
    const chunks: { text: string; at: number }[] = [];
    const started = Date.now();
    const result = await conn.exec("for i in 1 2 3; do echo line$i; sleep 0.2; done; echo warn >&2; exit 4", {
      onStdout: (text) => chunks.push({ text, at: Date.now() - started }),
    });
    expect(result.code).toBe(4);
    expect(result.signal).toBeNull();
    expect(result.stdout).toBe("line1\nline2\nline3\n");
    // The PID prologue used for process-group kills never shows in stderr.
    expect(result.stderr).toBe("warn\n");
    expect(chunks.map((c) => c.text).join("")).toBe(result.stdout);
    // The first line arrived well before the command ended (streamed, not buffered).
    expect(chunks[0]!.text).toBe("line1\n");
    expect(chunks[0]!.at).toBeLessThan(result.durationMs - 300);
  });

  it("passes stdin and reports the stderr stream through its callback", async () => {
    const errs: string[] = [];
    const result = await conn.exec("cat; cat >&2 </dev/null; echo oops >&2", {
      stdin: "from stdin\n",
      onStderr: (t) => errs.push(t),
    });
    expect(result.stdout).toBe("from stdin\n");
    expect(errs.join("")).toBe("oops\n");
  });

  it("execChecked fails with machine, command, exit code and stderr tail", async () => {
    const error = (await conn.execChecked("echo boom >&2; exit 7").catch((e: unknown) => e)) as FediError;
    expect(hasErrorCode(error, "SSH_COMMAND_FAILED")).toBe(true);
    expect(error.machine).toBe("web1");
    expect(error.message).toContain('machine "web1"');
    expect(error.message).toContain("echo boom >&2; exit 7");
    expect(error.message).toContain("exited with code 7");
    expect(error.message).toContain("boom");
  });

  it("execChecked of a sensitive command shows neither the command nor redacted values", async () => {
    const token = `tok-${randomBytes(8).toString("hex")}`;
    const error = (await conn
      .execChecked(`echo "bad token ${token}" >&2; exit 1`, {
        sensitive: true,
        label: "set admin token",
        redact: [token],
      })
      .catch((e: unknown) => e)) as FediError;
    expect(hasErrorCode(error, "SSH_COMMAND_FAILED")).toBe(true);
    expect(error.message).toContain('"set admin token"');
    expect(error.message).toContain("bad token [REDACTED]");
    expect(JSON.stringify({ m: error.message, d: error.details, h: error.hint })).not.toContain(token);
  });

  it("kills a command at its timeout, including the remote process", async () => {
    const marker = `${600 + Math.floor(Math.random() * 300)}.${Date.now() % 100000}`;
    const started = Date.now();
    const error = (await conn.exec(`sleep ${marker}`, { timeoutMs: 400 }).catch((e: unknown) => e)) as FediError;
    expect(hasErrorCode(error, "SSH_TIMEOUT")).toBe(true);
    expect(error.message).toContain("400 ms");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await waitNoProcess(["sleep", marker])).toBe(true);
  });

  it("cancels a command through an AbortSignal and kills its process group", async () => {
    const marker = `${600 + Math.floor(Math.random() * 300)}.${(Date.now() % 100000) + 1}`;
    const controller = new AbortController();
    // A pipeline: both processes belong to the shell's process group.
    const pending = conn.exec(`sleep ${marker} | cat`, { signal: controller.signal }).catch((e: unknown) => e);
    let running: number[] = [];
    try {
      const deadline = Date.now() + 5000;
      while (running.length === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        running = await processesRunning(["sleep", marker]);
      }
    } finally {
      controller.abort();
    }
    // sleep is not the shell sshd started but its child: only a process-group kill reaches it.
    expect(running).toHaveLength(1);
    const error = await pending;
    expect(hasErrorCode(error, "CANCELLED")).toBe(true);
    expect(await waitNoProcess(["sleep", marker])).toBe(true);
    // The connection is still usable afterwards.
    expect((await conn.exec("echo still-here")).stdout).toBe("still-here\n");
  });

  it("without process-group tracking a timed-out command keeps running (why tracking is the default)", async () => {
    const marker = `${600 + Math.floor(Math.random() * 300)}.${(Date.now() % 100000) + 2}`;
    const error = await conn.exec(`sleep ${marker}`, { timeoutMs: 300, killProcessGroup: false }).catch((e) => e);
    expect(hasErrorCode(error, "SSH_TIMEOUT")).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    const left = await processesRunning(["sleep", marker]);
    expect(left).toHaveLength(1);
    for (const pid of left) process.kill(pid, "SIGKILL"); // the test's own stray process
  });

  it("refuses to start when the signal is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(conn.exec("true", { signal: controller.signal })).rejects.toSatisfy((e: unknown) =>
      hasErrorCode(e, "CANCELLED"),
    );
  });
});

describe("host key pinning", () => {
  it("refuses a machine offering another host key, shows both fingerprints, and does not retry", async () => {
    const events: MachineEvent[] = [];
    const pool = new MachinePool({ onEvent: (e) => events.push(e), retry: { attempts: 4, sleep: async () => {} } });
    // Pin the *other* server's key while connecting to this one.
    const target = sshd.target("web1", { hostPublicKey: other.hostPublicKey });
    const error = (await pool.exec(target, "true").catch((e: unknown) => e)) as FediError;
    await pool.closeAll();
    expect(hasErrorCode(error, "SSH_HOST_KEY_MISMATCH")).toBe(true);
    const offered = await keygenFingerprint(join(sshd.rootDir, "ssh_host_ed25519_key.pub"));
    const expected = await keygenFingerprint(join(other.rootDir, "ssh_host_ed25519_key.pub"));
    expect(error.message.startsWith(`Machine "web1" (${sshd.user}@127.0.0.1:`)).toBe(true);
    expect(error.message).toContain(`offered SSH host key ${offered}`);
    expect(error.message).toContain(`pins ${expected}`);
    expect(error.hint).toMatch(/out of band/);
    expect(error.hint).toContain("ssh.hostPublicKey");
    expect(events.filter((e) => e.type === "connecting")).toHaveLength(1);
    expect(events.filter((e) => e.type === "retrying")).toHaveLength(0);
  });

  it("refuses when the machine has no key of the pinned type", async () => {
    const ecdsaOnly = (await readFile(join(sshd.rootDir, "ssh_host_ecdsa_key.pub"), "utf8")).trim();
    // `other` has only an ed25519 key; pin an ECDSA key.
    const error = await connect(other.target("db1", { hostPublicKey: ecdsaOnly }), { retry: { attempts: 3 } }).catch(
      (e: unknown) => e,
    );
    expect(hasErrorCode(error, "SSH_HOST_KEY_MISMATCH")).toBe(true);
    expect((error as Error).message).toContain("offered no ecdsa-sha2-nistp256 host key");
  });

  it("accepts the pinned ECDSA key of a machine that also has ed25519", async () => {
    const ecdsa = (await readFile(join(sshd.rootDir, "ssh_host_ecdsa_key.pub"), "utf8")).trim();
    const c = await connect(sshd.target("web1", { hostPublicKey: ecdsa }));
    expect((await c.exec("echo ok")).stdout).toBe("ok\n");
    await c.close();
    expect(c.closed).toBe(true);
  });
});

describe("authentication and reachability", () => {
  it("reports a refused key as SSH_AUTH_FAILED without retrying", async () => {
    const events: MachineEvent[] = [];
    // other's client key is not in sshd's authorized_keys.
    const target = sshd.target("web1", { identityFile: other.clientKeyPath });
    const error = (await connect(target, {
      onEvent: (e) => events.push(e),
      retry: { attempts: 4, sleep: async () => {} },
    }).catch((e: unknown) => e)) as FediError;
    expect(hasErrorCode(error, "SSH_AUTH_FAILED")).toBe(true);
    expect(error.message).toContain(`identity file ${other.clientKeyPath}`);
    expect(error.hint).toContain("authorizedKeys");
    expect(events.filter((e) => e.type === "connecting")).toHaveLength(1);
  });

  it("authenticates through an ssh-agent socket", async () => {
    const socket = join(sshd.rootDir, "agent.sock");
    const agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
    try {
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
      await run("ssh-add", ["-q", sshd.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      const { identityFile: _unused, ...withoutKey } = sshd.target("web1");
      const viaAgent = await connect({ ...withoutKey, agent: socket });
      expect((await viaAgent.exec("echo agent")).stdout).toBe("agent\n");
      await viaAgent.close();
    } finally {
      agent.kill("SIGTERM");
    }
  });

  it("authenticates with the key at once, without trying method none first, and falls back to the agent", async () => {
    const verbose = await startSshd({ logLevel: "DEBUG" });
    const socket = join(verbose.rootDir, "agent.sock");
    const agent = spawn("ssh-agent", ["-D", "-a", socket], { stdio: "ignore" });
    try {
      const viaKey = await connect(verbose.target("web1"));
      await viaKey.close();
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
      await run("ssh-add", ["-q", verbose.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket } });
      // A key the machine refuses first, then the agent's, which it accepts.
      const viaAgent = await connect(verbose.target("web2", { identityFile: other.clientKeyPath, agent: socket }));
      await viaAgent.close();
      const requests = verbose.logs().match(/userauth-request for user \S+ service ssh-connection method \S+/g) ?? [];
      // Per key a query, then the signed request for the key the machine accepts (ssh2 asks before it signs).
      expect(requests.map((line) => line.split(" ").at(-1))).toEqual(Array(5).fill("publickey"));
    } finally {
      agent.kill("SIGTERM");
      await verbose.dispose();
    }
  });

  it("signs with RSA and ECDSA identity files (ed25519: the fixture's), and sees an identity file change between connects", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fedi-keys-"));
    try {
      for (const [type, bits] of [
        ["rsa", "2048"],
        ["ecdsa", "256"],
        ["ecdsa", "384"],
      ] as const) {
        const path = join(dir, `${type}${bits}`);
        await run("ssh-keygen", ["-q", "-t", type, "-b", bits, "-N", "", "-C", "fedi-test", "-f", path]);
        await appendFile(join(sshd.rootDir, "authorized_keys"), await readFile(`${path}.pub`));
        const viaKey = await connect(sshd.target("web1", { identityFile: path }));
        expect((await viaKey.exec("echo signed")).stdout).toBe("signed\n");
        await viaKey.close();
      }
      // One file, first holding sshd's client key, then other's (which sshd refuses): the second connect uses the new key.
      // Through one key cache, as a MachinePool connects: it parses once per file contents.
      const keyCache = new IdentityKeyCache();
      const path = join(dir, "changing");
      await copyFile(sshd.clientKeyPath, path);
      await (await connect(sshd.target("web1", { identityFile: path }), { keyCache })).close();
      const first = keyCache.parse(path, await readFile(path), () => ({}));
      expect(keyCache.parse(path, await readFile(path), () => ({}))).toBe(first);
      await copyFile(other.clientKeyPath, path);
      const refused = await connect(sshd.target("web1", { identityFile: path }), { keyCache }).catch((e: unknown) => e);
      expect(hasErrorCode(refused, "SSH_AUTH_FAILED")).toBe(true);
      expect(keyCache.parse(path, await readFile(path), () => ({}))).not.toBe(first);
      await (await connect(other.target("web2", { identityFile: path }), { keyCache })).close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports an identity file that holds no private key as SSH_AUTH_FAILED", async () => {
    const error = (await connect(sshd.target("web1", { identityFile: `${sshd.clientKeyPath}.pub` })).catch(
      (e: unknown) => e,
    )) as FediError;
    expect(hasErrorCode(error, "SSH_AUTH_FAILED")).toBe(true);
    expect(error.message).toContain("Cannot use the SSH key");
  });

  it("does not ask sshd to prove the host keys it announces (the host key is pinned)", async () => {
    const verbose = await startSshd({ logLevel: "DEBUG", extraHostKeys: ["ecdsa"] });
    try {
      const c = await connect(verbose.target("web1"));
      expect((await c.exec("echo ok")).stdout).toBe("ok\n");
      await c.close();
      await new Promise((r) => setTimeout(r, 200));
      // ssh2 on its own answers sshd's hostkeys-00@openssh.com with this request (sshd then signs with every key).
      expect(verbose.logs()).toMatch(/userauth-request for user/);
      expect(verbose.logs()).not.toMatch(/hostkeys-prove-00@openssh\.com/);
    } finally {
      await verbose.dispose();
    }
  });

  it("reports a missing identity file by path", async () => {
    const error = await connect(sshd.target("web1", { identityFile: "/nonexistent/key" })).catch((e: unknown) => e);
    expect(hasErrorCode(error, "SSH_AUTH_FAILED")).toBe(true);
    expect((error as Error).message).toContain("/nonexistent/key");
  });

  it("retries a refused connection with backoff, then names machine, address and attempts", async () => {
    const stopped = await startSshd();
    const target = stopped.target("cache1");
    await stopped.stop(); // keeps the client key file; nothing listens on the port any more
    const delays: number[] = [];
    const events: MachineEvent[] = [];
    const error = (await connect(target, {
      onEvent: (e) => events.push(e),
      retry: { attempts: 3, initialDelayMs: 100, jitter: 0, sleep: async (ms) => void delays.push(ms) },
    }).catch((e: unknown) => e)) as FediError;
    expect(hasErrorCode(error, "SSH_FAILED")).toBe(true);
    expect(error.message).toContain('machine "cache1"');
    expect(error.message).toContain(`127.0.0.1:${target.port}`);
    expect(error.message).toContain("after 3 attempts");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.hint).toContain(`port ${target.port}`);
    expect(delays).toEqual([100, 200]);
    await stopped.dispose();
    expect(events.filter((e) => e.type === "connecting").map((e) => e.type === "connecting" && e.attempt)).toEqual([
      1, 2, 3,
    ]);
  });
});

describe("keyscan", () => {
  it("returns the fixture's ed25519 host key line, preferred over ECDSA", async () => {
    const result = await keyscan("127.0.0.1", sshd.port, { timeoutMs: 5000 });
    expect(result.type).toBe("ssh-ed25519");
    expect(result.line).toBe(parseOpenSshPublicKey(sshd.hostPublicKey).line);
    expect(result.fingerprint).toBe(await keygenFingerprint(join(sshd.rootDir, "ssh_host_ed25519_key.pub")));
  });

  it("returns another type when asked for it", async () => {
    const result = await keyscan("127.0.0.1", sshd.port, { preferredTypes: ["ecdsa-sha2-nistp256"] });
    const ecdsa = (await readFile(join(sshd.rootDir, "ssh_host_ecdsa_key.pub"), "utf8")).trim();
    expect(result.line).toBe(parseOpenSshPublicKey(ecdsa).line);
  });

  it("fails clearly when nothing listens", async () => {
    const gone = await startSshd();
    const port = gone.port;
    await gone.dispose();
    const error = await keyscan("127.0.0.1", port).catch((e: unknown) => e);
    expect(hasErrorCode(error, "SSH_FAILED")).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
  });
});
