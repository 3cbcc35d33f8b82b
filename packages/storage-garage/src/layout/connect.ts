/**
 * Joining nodes into one Garage cluster happens at run time through the admin API: the deployer reads each node's
 * id from that node's own admin API (GetNodeInfo, {@link getLocalNodeId}) and asks one node to connect to the others
 * with ConnectClusterNodes (`<node id>@<rpc_public_addr>`, {@link connectNodes}). No node keys are generated ahead
 * of time: a node's key pair is a secret Garage creates itself on first start, so it never enters the deployment
 * spec, a plan or a generated file.
 * @module
 */
import { FediError, type FediIssue } from "@fediversity/core";
import type { GarageAdminClient } from "../admin/client.js";
import { isNodeId } from "./desired.js";

/** A peer to connect to: its node id and its RPC address (`rpc_public_addr`, host:port, default port 3901). */
export interface PeerSpec {
  /** Full node id (64 hex characters). */
  nodeId: string;
  /** `host:port` or `[ipv6]:port`. */
  address: string;
}

/** Outcome of {@link connectNodes} for one peer. */
export interface ConnectResult {
  /** Node id, lowercase. */
  nodeId: string;
  /** The address used. */
  address: string;
  /** `already-connected`: the cluster saw it up, no request was sent; `connected`: ConnectClusterNodes succeeded. */
  status: "connected" | "already-connected";
}

const ADDRESS = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function validAddress(address: unknown): boolean {
  if (typeof address !== "string") return false;
  const match = ADDRESS.exec(address);
  const port = match ? Number(match[1]) : 0;
  return port >= 1 && port <= 65535;
}

/** Reads the id of the node that serves the admin API (GetNodeInfo with `node=self`). */
export async function getLocalNodeId(client: GarageAdminClient): Promise<string> {
  const info = await client.getNodeInfo("self");
  const answers = Object.values(info.success);
  const first = answers[0];
  if (answers.length !== 1 || !first || !isNodeId(first.nodeId)) {
    const errors = Object.values(info.error).join("; ");
    throw new FediError(
      "STORAGE_FAILED",
      `GetNodeInfo did not return exactly one node id${errors ? `: ${errors}` : "."}`,
      {
        hint: "Check that Garage runs on this node and answers on its admin port.",
      },
    );
  }
  return first.nodeId.toLowerCase();
}

/**
 * Connects the node behind `client` to each peer (ConnectClusterNodes with `<node id>@<address>`), skipping peers
 * the cluster already sees as up. Throws `FediError("STORAGE_FAILED")` with one issue per peer that could not be
 * connected, and `FediError("STORAGE_LAYOUT_INVALID")` for malformed node ids or addresses (before any request).
 */
export async function connectNodes(client: GarageAdminClient, peers: readonly PeerSpec[]): Promise<ConnectResult[]> {
  const issues: FediIssue[] = [];
  peers.forEach((p, i) => {
    if (!isNodeId(p.nodeId)) issues.push({ path: `peers[${i}].nodeId`, message: "must be 64 hex characters" });
    if (!validAddress(p.address)) issues.push({ path: `peers[${i}].address`, message: "must be host:port" });
  });
  if (issues.length > 0) {
    throw new FediError("STORAGE_LAYOUT_INVALID", "Some Garage peers to connect are malformed.", {
      issues,
      hint: "Use the node id from the peer's admin API and its rpc_public_addr (e.g. 10.0.0.2:3901).",
    });
  }
  if (peers.length === 0) return [];
  const status = await client.getClusterStatus();
  const up = new Set(status.nodes.filter((n) => n.isUp).map((n) => n.id.toLowerCase()));
  const results: ConnectResult[] = [];
  const pending: Array<{ nodeId: string; address: string }> = [];
  for (const p of peers) {
    const nodeId = p.nodeId.toLowerCase();
    if (up.has(nodeId)) results.push({ nodeId, address: p.address, status: "already-connected" });
    else pending.push({ nodeId, address: p.address });
  }
  if (pending.length === 0) return results;
  const answers = await client.connectClusterNodes(pending.map((p) => `${p.nodeId}@${p.address}`));
  const failures: FediIssue[] = [];
  pending.forEach((p, i) => {
    const answer = answers[i];
    if (answer?.success === true) results.push({ ...p, status: "connected" });
    else failures.push({ path: `${p.nodeId}@${p.address}`, message: answer?.error ?? "no answer for this peer" });
  });
  if (failures.length > 0) {
    throw new FediError("STORAGE_FAILED", `Garage could not connect to ${failures.length} peer(s).`, {
      issues: failures,
      hint: "Check that Garage runs on the peers, that their RPC port (3901) is reachable from this node, and that all nodes share the same rpc_secret.",
    });
  }
  return results;
}
