import { FediError } from "@fediversity/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  connectNodes,
  createGarageAdminClient,
  desiredLayout,
  diffLayout,
  ensureLayout,
  type GarageAdminClient,
  garageErrorCode,
  getLocalNodeId,
  httpTransport,
} from "../../src/runtime.js";
import {
  type DoubleNodeConfig,
  type GarageAdminDouble,
  startGarageAdminDouble,
} from "../doubles/garage-admin-double.js";
import { freshToken, nodeId } from "../support/fixtures.js";

const GB = 1_000_000_000;

async function rejection(promise: Promise<unknown>): Promise<FediError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FediError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("cluster layout against the admin double", () => {
  let double: GarageAdminDouble | undefined;
  const token = freshToken();

  async function cluster(nodes: DoubleNodeConfig[], replicationFactor: number): Promise<GarageAdminClient> {
    double = await startGarageAdminDouble({ token, nodes, replicationFactor });
    return createGarageAdminClient({ transport: httpTransport(double.url), token });
  }

  afterEach(async () => {
    expect(double?.violations).toEqual([]);
    await double?.close();
    double = undefined;
  });

  const three = () => [1, 2, 3].map((n) => ({ nodeId: nodeId(n), zone: `dc${n}`, capacityBytes: 100 * GB }));

  it("stages and applies version 1 from an empty layout, then is a no-op, then applies version 2 on a capacity change", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2) }, { id: nodeId(3) }], 3);
    const d = double as GarageAdminDouble;

    const first = await ensureLayout(client, desiredLayout(three()), { replicationFactor: 3 });
    expect(first).toMatchObject({ changed: true, previousVersion: 0, version: 1, revertedStagedChanges: false });
    expect(first.changes.map((c) => c.action)).toEqual(["add", "add", "add"]);
    expect(d.writeCalls().map((c) => c.operation)).toEqual(["UpdateClusterLayout", "ApplyClusterLayout"]);
    expect(d.writeCalls()[1]?.body).toEqual({ version: 1 });
    expect(d.layout()).toMatchObject({ version: 1, staged: 0 });
    expect(d.layout().roles.map((r) => r.capacity)).toEqual([100 * GB, 100 * GB, 100 * GB]);

    d.clearCalls();
    const again = await ensureLayout(client, desiredLayout(three()), { replicationFactor: 3 });
    expect(again).toMatchObject({ changed: false, version: 1, changes: [] });
    expect(d.writeCalls()).toEqual([]);

    d.clearCalls();
    const bigger = three().map((n, i) => (i === 1 ? { ...n, capacityBytes: 200 * GB } : n));
    const second = await ensureLayout(client, desiredLayout(bigger), { replicationFactor: 3 });
    expect(second).toMatchObject({ changed: true, previousVersion: 1, version: 2 });
    expect(second.changes).toEqual([
      expect.objectContaining({
        action: "update",
        nodeId: nodeId(2),
        role: expect.objectContaining({ capacity: 200 * GB }),
      }),
    ]);
    expect(d.writeCalls().map((c) => c.operation)).toEqual(["UpdateClusterLayout", "ApplyClusterLayout"]);
    expect(d.layout().version).toBe(2);
  });

  it("refuses, without writing, when fewer wanted storage nodes are up than the replication factor", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2), up: false }, { id: nodeId(3), up: false }], 3);
    const error = await rejection(ensureLayout(client, desiredLayout(three()), { replicationFactor: 3 }));
    expect(error.code).toBe("STORAGE_LAYOUT_INVALID");
    expect(error.message).toContain("Only 1 of the 3");
    expect(error.message).toContain("replication factor 3");
    expect(error.issues.map((i) => i.path)).toEqual([nodeId(2), nodeId(3)]);
    expect(double?.writeCalls()).toEqual([]);
  });

  it("refuses a layout with fewer storage nodes than the replication factor", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2) }], 3);
    const error = await rejection(ensureLayout(client, desiredLayout(three().slice(0, 2)), { replicationFactor: 3 }));
    expect(error.code).toBe("STORAGE_LAYOUT_INVALID");
    expect(error.message).toContain("2 storage node(s), fewer than the replication factor 3");
    expect(double?.writeCalls()).toEqual([]);
  });

  it("refuses nodes the cluster does not know, naming them", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2) }, { id: nodeId(3), known: false }], 3);
    const error = await rejection(ensureLayout(client, desiredLayout(three()), { replicationFactor: 3 }));
    expect(error.code).toBe("STORAGE_LAYOUT_INVALID");
    expect(error.message).toContain("unknown to the Garage cluster");
    expect(error.issues.map((i) => i.path)).toEqual([nodeId(3)]);
    expect(error.hint).toMatch(/connectNodes/);
    expect(double?.writeCalls()).toEqual([]);
  });

  it("connects unknown nodes at run time, then the layout applies", async () => {
    const client = await cluster(
      [{ id: nodeId(1) }, { id: nodeId(2), known: false }, { id: nodeId(3), known: false }],
      3,
    );
    expect(await getLocalNodeId(client)).toBe(nodeId(1));
    const peers = [
      { nodeId: nodeId(1), address: "10.0.0.1:3901" },
      { nodeId: nodeId(2), address: "10.0.0.2:3901" },
      { nodeId: nodeId(3), address: "[fd00::3]:3901" },
    ];
    const results = await connectNodes(client, peers);
    expect(results.map((r) => r.status)).toEqual(["already-connected", "connected", "connected"]);
    const connect = double?.writeCalls().find((c) => c.operation === "ConnectClusterNodes");
    expect(connect?.body).toEqual([`${nodeId(2)}@10.0.0.2:3901`, `${nodeId(3)}@[fd00::3]:3901`]);
    const result = await ensureLayout(client, desiredLayout(three()), { replicationFactor: 3 });
    expect(result.version).toBe(1);
  });

  it("reports peers Garage could not connect to, and malformed peers before any request", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2), known: false, up: false }], 1);
    const failed = await rejection(connectNodes(client, [{ nodeId: nodeId(2), address: "10.0.0.2:3901" }]));
    expect(failed.code).toBe("STORAGE_FAILED");
    expect(failed.issues[0]?.path).toBe(`${nodeId(2)}@10.0.0.2:3901`);
    expect(failed.issues[0]?.message).toContain("Error establishing RPC connection");
    double?.clearCalls();
    const malformed = await rejection(connectNodes(client, [{ nodeId: "abc", address: "no-port" }]));
    expect(malformed.code).toBe("STORAGE_LAYOUT_INVALID");
    expect(malformed.issues.map((i) => i.path)).toEqual(["peers[0].nodeId", "peers[0].address"]);
    expect(double?.calls).toEqual([]);
  });

  it("drops staged changes someone else left, and applies identical staged changes as they are", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2) }], 1);
    const d = double as GarageAdminDouble;
    const wanted = desiredLayout([{ nodeId: nodeId(1), zone: "dc1", capacityBytes: 10 * GB }]);
    // Someone staged node 2 by hand.
    await client.updateClusterLayout({ roles: [{ id: nodeId(2), zone: "dc2", capacity: 5 * GB, tags: [] }] });
    d.clearCalls();
    const result = await ensureLayout(client, wanted, { replicationFactor: 1 });
    expect(result).toMatchObject({ changed: true, version: 1, revertedStagedChanges: true });
    expect(d.writeCalls().map((c) => c.operation)).toEqual([
      "RevertClusterLayout",
      "UpdateClusterLayout",
      "ApplyClusterLayout",
    ]);
    expect(d.layout().roles.map((r) => r.id)).toEqual([nodeId(1)]);

    // An earlier run staged exactly the wanted change but stopped before applying.
    const next = desiredLayout([{ nodeId: nodeId(1), zone: "dc1", capacityBytes: 20 * GB }]);
    await client.updateClusterLayout({ roles: [{ id: nodeId(1), zone: "dc1", capacity: 20 * GB, tags: [] }] });
    d.clearCalls();
    const resumed = await ensureLayout(client, next, { replicationFactor: 1 });
    expect(resumed).toMatchObject({ changed: true, version: 2, revertedStagedChanges: false });
    expect(d.writeCalls().map((c) => c.operation)).toEqual(["ApplyClusterLayout"]);
  });

  it("the double rejects ApplyClusterLayout with a version other than current + 1, as Garage does", async () => {
    const client = await cluster([{ id: nodeId(1) }], 1);
    await client.updateClusterLayout({ roles: [{ id: nodeId(1), zone: "dc1", capacity: 10 * GB, tags: [] }] });
    const preview = await client.previewClusterLayoutChanges();
    expect("newLayout" in preview && preview.newLayout.version).toBe(1);
    const error = await rejection(client.applyClusterLayout({ version: 5 }));
    expect(error.message).toContain("HTTP 500 InternalError: Internal error: Invalid new layout version");
    expect(garageErrorCode(error)).toBe("InternalError");
    expect(double?.layout().version).toBe(0);
    const ok = await client.applyClusterLayout({ version: 1 });
    expect(ok.layout.version).toBe(1);
  });

  it("turns Garage's refusal to compute a layout into STORAGE_LAYOUT_INVALID", async () => {
    const client = await cluster([{ id: nodeId(1) }, { id: nodeId(2) }], 2);
    const same = [1, 2].map((n) => ({ nodeId: nodeId(n), zone: "dc1", capacityBytes: 10 * GB }));
    const error = await rejection(
      ensureLayout(client, desiredLayout(same), { replicationFactor: 2, zoneRedundancy: { atLeast: 2 } }),
    );
    expect(error.code).toBe("STORAGE_LAYOUT_INVALID");
    expect(error.message).toContain("Garage refused to apply layout version 1");
    expect(error.message).toContain("smaller than the redundancy parameter");
  });
});

describe("desiredLayout and diffLayout", () => {
  it("normalizes node ids and sorts roles", () => {
    const layout = desiredLayout([
      { nodeId: nodeId(2).toUpperCase(), zone: "b", capacityBytes: 2048, tags: ["x", "x"] },
      { nodeId: nodeId(1), zone: "a", capacityBytes: 4096 },
    ]);
    const sorted = [nodeId(1), nodeId(2)].sort();
    expect(layout.roles.map((r) => r.nodeId)).toEqual(sorted);
    expect(layout.roles.find((r) => r.nodeId === nodeId(2))?.tags).toEqual(["x"]);
  });

  it("reports every invalid field at once", () => {
    let error: unknown;
    try {
      desiredLayout([
        { nodeId: "nope", zone: "", capacityBytes: 10 },
        { nodeId: nodeId(1), zone: "a", capacityBytes: 1.5e3 + 0.5 },
        { nodeId: nodeId(1), zone: "a", capacityBytes: 4096 },
      ]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FediError);
    const fe = error as FediError;
    expect(fe.code).toBe("STORAGE_LAYOUT_INVALID");
    expect(fe.issues.map((i) => i.path)).toEqual([
      "nodes[0].nodeId",
      "nodes[0].zone",
      "nodes[0].capacityBytes",
      "nodes[1].capacityBytes",
      "nodes[2].nodeId",
    ]);
  });

  it("adds, updates (tags compared as sets) and removes", () => {
    const current = {
      roles: [
        { id: nodeId(1), zone: "a", capacity: 4096, tags: ["t1", "t2"] },
        { id: nodeId(2), zone: "a", capacity: 4096, tags: [] },
        { id: nodeId(3), zone: "gw", capacity: null, tags: [] },
      ],
    };
    const desired = desiredLayout([
      { nodeId: nodeId(1), zone: "a", capacityBytes: 4096, tags: ["t2", "t1"] },
      { nodeId: nodeId(2), zone: "b", capacityBytes: 4096 },
      { nodeId: nodeId(4), zone: "c", capacityBytes: 8192 },
    ]);
    const changes = diffLayout(current, desired);
    const byNode = Object.fromEntries(changes.map((c) => [c.nodeId, c.action]));
    expect(byNode).toEqual({ [nodeId(2)]: "update", [nodeId(3)]: "remove", [nodeId(4)]: "add" });
  });
});
