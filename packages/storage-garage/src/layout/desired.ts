import { FediError, type FediIssue } from "@fediversity/core";

/** One storage node as the deployment wants it in the Garage cluster layout. */
export interface LayoutNodeSpec {
  /** Full node id (64 hex characters), as read from the node's admin API (GetNodeInfo) or `garage node id`. */
  nodeId: string;
  /** Zone (failure domain) of the node, e.g. a datacenter name. */
  zone: string;
  /** Storage capacity given to Garage, in bytes (at least 1024). */
  capacityBytes: number;
  /** Free-form tags shown by `garage status`. */
  tags?: string[];
}

/** A normalized node role of a {@link DesiredLayout}. */
export interface DesiredRole {
  /** Full node id, lowercase hex. */
  nodeId: string;
  /** Zone of the node. */
  zone: string;
  /** Capacity in bytes. */
  capacity: number;
  /** Tags, without duplicates, in the given order. */
  tags: string[];
}

/** The layout the deployment wants: every storage node of the cluster, sorted by node id. */
export interface DesiredLayout {
  /** Node roles, sorted by node id. */
  roles: DesiredRole[];
}

/** Garage refuses smaller capacities ("Capacity should be at least 1K (1024)"). */
export const MIN_CAPACITY_BYTES = 1024;

const NODE_ID = /^[0-9a-f]{64}$/;

/** True when `value` is a full Garage node id (64 hex characters, any case). */
export function isNodeId(value: unknown): value is string {
  return typeof value === "string" && NODE_ID.test(value.toLowerCase());
}

/**
 * Validates and normalizes the wanted storage nodes into a {@link DesiredLayout}. Bad input (malformed node id,
 * empty zone, capacity below 1024 bytes or not an integer, duplicate node) is reported all at once as
 * `FediError("STORAGE_LAYOUT_INVALID")` with one issue per problem.
 */
export function desiredLayout(nodes: readonly LayoutNodeSpec[]): DesiredLayout {
  const issues: FediIssue[] = [];
  const seen = new Map<string, number>();
  const roles: DesiredRole[] = [];
  nodes.forEach((node, i) => {
    const at = `nodes[${i}]`;
    const id = typeof node.nodeId === "string" ? node.nodeId.toLowerCase() : "";
    if (!isNodeId(id)) {
      issues.push({ path: `${at}.nodeId`, message: "must be a full Garage node id: 64 hex characters" });
    } else if (seen.has(id)) {
      issues.push({
        path: `${at}.nodeId`,
        message: `node ${id.slice(0, 16)}… is listed twice (also nodes[${seen.get(id)}])`,
      });
    } else {
      seen.set(id, i);
    }
    if (typeof node.zone !== "string" || node.zone.trim() === "") {
      issues.push({ path: `${at}.zone`, message: "must be a non-empty zone name" });
    }
    if (!Number.isSafeInteger(node.capacityBytes) || node.capacityBytes < MIN_CAPACITY_BYTES) {
      issues.push({
        path: `${at}.capacityBytes`,
        message: `must be a whole number of bytes, at least ${MIN_CAPACITY_BYTES}`,
      });
    }
    const tags = node.tags ?? [];
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== "string" || t === "")) {
      issues.push({ path: `${at}.tags`, message: "must be a list of non-empty strings" });
    }
    roles.push({ nodeId: id, zone: node.zone, capacity: node.capacityBytes, tags: [...new Set(tags)] });
  });
  if (issues.length > 0) {
    throw new FediError("STORAGE_LAYOUT_INVALID", "The wanted Garage storage layout is invalid.", {
      issues,
      hint: "Fix the listed storage nodes: node ids come from each node's admin API (GetNodeInfo).",
    });
  }
  roles.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  return { roles };
}
