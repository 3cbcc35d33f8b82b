// pruneStorage: the prune's bucket and key deletions reach the storage plugin's removal session, opened lazily and
// once, on the storage nodes the state records, with tunnels through real SSH (the sshd fixture) to a real local
// HTTP server standing in for the storage node's API port.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FediError } from "../../src/errors.js";
import { MachinePool } from "../../src/machine/index.js";
import { validateSpec } from "../../src/plan/validate.js";
import { defineStorage } from "../../src/plugin/define.js";
import { createRegistry } from "../../src/plugin/registry.js";
import type { StorageRemoval, StorageRemovalInput } from "../../src/plugin/types.js";
import { planPrune, prune, pruneStorage } from "../../src/prune/index.js";
import { MemorySecretStore } from "../../src/secrets/index.js";
import { type DeploymentState, emptyState } from "../../src/state/index.js";
import { machine, toyStorage, webApp } from "../fixtures/plugins.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";

let sshd: SshdFixture;
let api: Server;
let apiPort: number;

beforeAll(async () => {
  sshd = await startSshd();
  api = createServer((req, res) => res.end(`node api: ${req.url}`));
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve));
  apiPort = (api.address() as AddressInfo).port;
}, 30_000);

afterAll(async () => {
  await sshd?.dispose();
  await new Promise((resolve) => api?.close(resolve));
});

/** A storage plugin whose removal session records what it was given and deletes from in-memory sets. */
function removableStorage(existing: { buckets: Set<string>; keys: Set<string> }) {
  const log: string[] = [];
  const inputs: StorageRemovalInput[] = [];
  const plugin = defineStorage({
    ...toyStorage,
    runtime: {
      provision: async () => [],
      verify: async () => [],
      async removal(input): Promise<StorageRemoval> {
        inputs.push(input);
        log.push(`open ${input.nodes.map((n) => n.machine.name).join(",")}`);
        const token = await input.secret("rpc-secret");
        const tunnel = await input.tunnel(input.nodes[0]!.machine.name, apiPort);
        const answer = await (await fetch(`${tunnel.url}/health`)).text();
        log.push(`tunnel: ${answer} (token ${token.length} chars)`);
        const drop = (set: Set<string>, name: string) => (set.delete(name) ? "deleted" : "absent");
        return {
          deleteBucket: async (name) => {
            log.push(`bucket ${name}`);
            return drop(existing.buckets, name);
          },
          deleteKey: async (name) => {
            log.push(`key ${name}`);
            return drop(existing.keys, name);
          },
          close: async () => {
            log.push("close");
            await tunnel.close();
          },
        };
      },
    },
  });
  return { plugin, log, inputs };
}

function specFor(names: string[]) {
  return {
    name: "demo",
    // The first machine is the sshd fixture; the others have addresses nothing listens on (never reached).
    machines: names.map((n, i) =>
      machine(n, i === 0 ? "127.0.0.1" : `192.0.2.${i}`, {
        ssh: { port: sshd.port, user: sshd.user, hostPublicKey: sshd.hostPublicKey, identityFile: sshd.clientKeyPath },
      }),
    ),
    storage: { kind: "toystore", options: {} },
    acme: { email: "ops@example.org", staging: true },
    services: [],
  };
}

function stateWith(nodes: string[] | undefined): DeploymentState {
  return {
    ...emptyState("demo"),
    ...(nodes ? { storage: { kind: "toystore", nodes } } : {}),
    leftovers: [
      { kind: "bucket", name: "old-media", instance: "old", note: "n" },
      { kind: "key", name: "old", instance: "old", note: "n" },
      { kind: "secret", name: "old-s3-secret", instance: "old", note: "n" },
    ],
  };
}

async function setup(machines: string[], nodes: string[] | undefined) {
  const existing = { buckets: new Set(["old-media", "other"]), keys: new Set(["old"]) };
  const storage = removableStorage(existing);
  const validated = validateSpec(specFor(machines), createRegistry([webApp, storage.plugin]));
  const secrets = new MemorySecretStore();
  await secrets.set("storage.rpc-secret", "a".repeat(64));
  await secrets.set("old-s3-secret", "s3cr3t");
  const state = stateWith(nodes);
  const pool = new MachinePool();
  const session = pruneStorage({ spec: validated.spec, storage: validated.storage, state, secrets, pool });
  return { ...storage, existing, secrets, state, pool, session };
}

describe("pruneStorage", () => {
  it("opens one removal session on the recorded nodes still in the spec, tunnels through SSH, and closes it", async () => {
    const t = await setup(["st1", "web1"], ["gone", "st1"]);
    try {
      const report = await prune(planPrune(t.state), {
        run: () => Promise.reject(new Error("no machine command expected")),
        secrets: t.secrets,
        storage: t.session,
      });
      expect(report.results.map((r) => [r.item.kind, r.outcome])).toEqual([
        ["bucket", "deleted"],
        ["key", "deleted"],
        ["secret", "deleted"],
      ]);
      expect(t.existing).toEqual({ buckets: new Set(["other"]), keys: new Set() });
      // One session, on st1 only ("gone" is no longer in the spec), with the storage secret read from the store.
      expect(t.log.slice(0, 2)).toEqual(["open st1", "tunnel: node api: /health (token 64 chars)"]);
      expect(t.inputs).toHaveLength(1);
      expect(t.inputs[0]!.options).toEqual({ region: "toy" });
      expect(t.inputs[0]!.nodes[0]).toMatchObject({ machine: { name: "st1", host: "127.0.0.1" }, zone: "st1" });
      await t.session.close();
      await t.session.close();
      expect(t.log.filter((l) => l === "close")).toHaveLength(1);
      // A second prune finds the bucket and key gone (idempotent).
      const again = pruneStorage({
        spec: validateSpec(specFor(["st1"]), createRegistry([webApp, t.plugin])).spec,
        storage: { plugin: t.plugin, options: { region: "toy" } },
        state: t.state,
        secrets: t.secrets,
        pool: t.pool,
      });
      expect(await again.deleteBucket("old-media")).toBe("absent");
      expect(await again.deleteKey("old")).toBe("absent");
      await again.close();
    } finally {
      await t.pool.closeAll();
    }
  }, 30_000);

  it("never opens a session when nothing in the prune is a bucket or key", async () => {
    const t = await setup(["st1"], ["st1"]);
    const state = { ...t.state, leftovers: t.state.leftovers.filter((l) => l.kind === "secret") };
    const report = await prune(planPrune(state), {
      run: () => Promise.reject(),
      secrets: t.secrets,
      storage: t.session,
    });
    expect(report.failed).toBe(0);
    await t.session.close();
    expect(t.log).toEqual([]);
  });

  it("fails bucket and key items with a clear reason when no node is recorded or none is in the spec", async () => {
    for (const [nodes, message] of [
      [undefined, "The state records no toystore storage nodes"],
      [["old1", "old2"], "None of the storage nodes the state records (old1, old2) is in the config any more."],
    ] as const) {
      const t = await setup(["web1"], nodes ? [...nodes] : undefined);
      const report = await prune(planPrune(t.state), {
        run: () => Promise.reject(),
        secrets: t.secrets,
        storage: t.session,
      });
      expect(report.results.map((r) => r.outcome)).toEqual(["failed", "failed", "deleted"]);
      expect(report.results[0]!.error).toContain(message);
      expect(report.gone).toEqual(["secret:old-s3-secret:"]);
      expect(t.log).toEqual([]);
      await t.session.close();
    }
  });

  it("says the plugin cannot delete buckets when it has no removal operation", async () => {
    const validated = validateSpec(specFor(["st1"]), createRegistry([webApp, toyStorage]));
    const session = pruneStorage({
      spec: validated.spec,
      storage: validated.storage,
      state: stateWith(["st1"]),
      secrets: new MemorySecretStore(),
      pool: new MachinePool(),
    });
    const error = await session.deleteBucket("old-media").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FediError);
    expect(error).toMatchObject({
      code: "PRUNE_FAILED",
      message: "The storage plugin 'toystore' cannot delete buckets or keys.",
    });
    await session.close();
  });
});
