import { existsSync, readdirSync, readFileSync } from "node:fs";
import { Client } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MachinePool, preflight } from "../packages/core/src/machine/index.js";
import { FAKE_NIX_VERSION, type FakeMachine, startFakeMachine } from "./fake-machine.js";

let machine: FakeMachine;
beforeAll(async () => {
  machine = await startFakeMachine();
}, 60_000);
afterAll(async () => {
  await machine?.sshd.dispose();
});

/** Tries an SSH handshake with the fake machine offering only `kex`; resolves with the error, or undefined. */
function handshake(kex: string[]): Promise<Error | undefined> {
  const target = machine.target();
  return new Promise((resolve) => {
    const client = new Client();
    client.once("ready", () => {
      client.end();
      resolve(undefined);
    });
    // A refused handshake may be followed by a reset: every error after the first is expected.
    client.on("error", (error) => {
      resolve(error);
      client.destroy();
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.user,
      privateKey: readFileSync(target.identityFile!),
      algorithms: { kex: kex as never, serverHostKey: ["ecdsa-sha2-nistp256"] },
      hostVerifier: () => true,
      readyTimeout: 10_000,
    });
  });
}

describe("bench fake machine", () => {
  it("passes preflight as a NixOS machine, reading the Nix version from the store path without starting nix", async () => {
    const pool = new MachinePool();
    try {
      const report = await preflight(pool, [
        { target: machine.target("fake-1"), expect: { system: "x86_64-linux", memoryMiB: 1, diskGiB: 0 } },
      ]);
      expect(report.problems).toEqual([]);
      const facts = report.facts["fake-1"]!;
      expect(facts.isNixOS).toBe(true);
      expect(facts.nixVersion).toBe(FAKE_NIX_VERSION);
      expect(facts.systemd).toBe("running");
    } finally {
      await pool.closeAll();
    }
    expect(await machine.nixCalls()).toBe(0);
    // Its store is mounted on the host's /nix/store, which startFakeMachine creates when the host has none.
    expect(existsSync("/nix/store")).toBe(true);
  }, 30_000);

  it("logs in with ECDSA keys and offers only ECDH P-256 key exchange", async () => {
    expect(machine.target().hostPublicKey).toMatch(/^ecdsa-sha2-nistp256 /);
    expect(await handshake(["ecdh-sha2-nistp256"])).toBeUndefined();
    const refused = await handshake(["curve25519-sha256", "curve25519-sha256@libssh.org"]);
    expect(refused?.message).toMatch(/no matching key exchange/i);
  }, 30_000);

  it("runs sshd without re-executing it per connection", () => {
    // sshd rewrites its command line to "sshd: /usr/sbin/sshd -D -e -f CONFIG -r ... [listener] ...".
    const config = `${machine.sshd.rootDir}/sshd_config`;
    const listener = readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, "utf8");
        } catch {
          return ""; // exited meanwhile
        }
      })
      .find((cmdline) => cmdline.includes(config) && cmdline.includes("[listener]"));
    expect(listener).toMatch(/ -r /);
  });
});
