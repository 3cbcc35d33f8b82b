import type { GarageAdminSchemas } from "../admin/client.js";
import type { DesiredLayout } from "./desired.js";

/** A node role as Garage stores it: zone, tags and capacity in bytes (`null` for a gateway node). */
export interface LayoutRole {
  /** Zone of the node. */
  zone: string;
  /** Capacity in bytes; `null` means gateway (no storage). */
  capacity: number | null;
  /** Tags. */
  tags: string[];
}

/** A node that gets a role. */
export interface LayoutAdd {
  /** Kind of change. */
  action: "add";
  /** Node id. */
  nodeId: string;
  /** The new role. */
  role: LayoutRole;
}

/** A node whose zone, capacity or tags change. */
export interface LayoutUpdate {
  /** Kind of change. */
  action: "update";
  /** Node id. */
  nodeId: string;
  /** The new role. */
  role: LayoutRole;
  /** The role it had. */
  previous: LayoutRole;
}

/** A node that loses its role. */
export interface LayoutRemove {
  /** Kind of change. */
  action: "remove";
  /** Node id. */
  nodeId: string;
  /** The role it had. */
  previous: LayoutRole;
}

/** One staged change that brings the current layout to the desired one. */
export type LayoutChange = LayoutAdd | LayoutUpdate | LayoutRemove;

/** The part of Garage's layout that {@link diffLayout} compares: the applied roles. */
export type CurrentLayout = Pick<GarageAdminSchemas["GetClusterLayoutResponse"], "roles">;

function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((t, i) => t === y[i]);
}

/** True when two roles are the same (tags compared as sets). */
export function sameRole(a: LayoutRole, b: LayoutRole): boolean {
  return a.zone === b.zone && (a.capacity ?? null) === (b.capacity ?? null) && sameTags(a.tags, b.tags);
}

/**
 * The changes from the applied roles of `current` to `desired`: nodes to add, nodes whose zone, capacity or tags
 * differ, and nodes to remove (every node in the layout that `desired` does not list, gateways included). Sorted by
 * node id. Staged changes in `current` are ignored; {@link ensureLayout} deals with them.
 */
export function diffLayout(current: CurrentLayout, desired: DesiredLayout): LayoutChange[] {
  const currentRoles = new Map<string, LayoutRole>(
    current.roles.map((r) => [r.id.toLowerCase(), { zone: r.zone, capacity: r.capacity ?? null, tags: r.tags }]),
  );
  const changes: LayoutChange[] = [];
  const wanted = new Set<string>();
  for (const d of desired.roles) {
    wanted.add(d.nodeId);
    const role: LayoutRole = { zone: d.zone, capacity: d.capacity, tags: d.tags };
    const previous = currentRoles.get(d.nodeId);
    if (!previous) changes.push({ action: "add", nodeId: d.nodeId, role });
    else if (!sameRole(previous, role)) changes.push({ action: "update", nodeId: d.nodeId, role, previous });
  }
  for (const [nodeId, previous] of currentRoles) {
    if (!wanted.has(nodeId)) changes.push({ action: "remove", nodeId, previous });
  }
  return changes.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
}

/** The UpdateClusterLayout `roles` entries that stage `changes`. */
export function toRoleChanges(changes: readonly LayoutChange[]): GarageAdminSchemas["NodeRoleChange"][] {
  return changes.map((c) =>
    c.action === "remove"
      ? { id: c.nodeId, remove: true }
      : { id: c.nodeId, zone: c.role.zone, capacity: c.role.capacity, tags: [...c.role.tags] },
  );
}
