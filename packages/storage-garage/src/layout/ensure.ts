import { FediError, type FediIssue, isFediError } from "@fediversity/core";
import type { GarageAdminClient, GarageAdminSchemas } from "../admin/client.js";
import type { DesiredLayout } from "./desired.js";
import { diffLayout, type LayoutChange, sameRole, toRoleChanges } from "./diff.js";

type ZoneRedundancy = GarageAdminSchemas["ZoneRedundancy"];
type NodeRoleChange = GarageAdminSchemas["NodeRoleChange"];

/** Options of {@link ensureLayout}. */
export interface EnsureLayoutOptions {
  /** The cluster's `replication_factor` (from garage.toml): how many nodes store each partition. */
  replicationFactor: number;
  /** Zone redundancy to set (`{ atLeast: n }` or `"maximum"`). Left as it is when omitted. */
  zoneRedundancy?: ZoneRedundancy;
}

/** What {@link ensureLayout} did. */
export interface EnsureLayoutResult {
  /** True when a new layout version was applied. */
  changed: boolean;
  /** Layout version before the call. */
  previousVersion: number;
  /** Layout version after the call. */
  version: number;
  /** The role changes that were applied (empty when unchanged). */
  changes: LayoutChange[];
  /** True when staged changes made by someone else were dropped (RevertClusterLayout). */
  revertedStagedChanges: boolean;
  /** Garage's description of the new layout (not stable, for people). */
  messages: string[];
}

function sameZoneRedundancy(a: ZoneRedundancy | undefined, b: ZoneRedundancy | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  return a.atLeast === b.atLeast;
}

function roleOf(change: NodeRoleChange): { remove: true } | { zone: string; capacity: number | null; tags: string[] } {
  if ("remove" in change && change.remove === true) return { remove: true };
  const c = change as { zone: string; capacity?: number | null; tags: string[] };
  return { zone: c.zone, capacity: c.capacity ?? null, tags: c.tags };
}

/** True when the staged role changes are exactly `intended` (same nodes, same roles). */
function sameStagedRoles(staged: readonly NodeRoleChange[], intended: readonly NodeRoleChange[]): boolean {
  if (staged.length !== intended.length) return false;
  const byId = new Map(staged.map((c) => [c.id.toLowerCase(), roleOf(c)]));
  return intended.every((c) => {
    const s = byId.get(c.id.toLowerCase());
    const i = roleOf(c);
    if (!s) return false;
    if ("remove" in s || "remove" in i) return "remove" in s && "remove" in i;
    return sameRole(s, i);
  });
}

function short(nodeId: string): string {
  return nodeId.slice(0, 16);
}

function checkOptions(options: EnsureLayoutOptions): void {
  const rf = options.replicationFactor;
  if (!Number.isSafeInteger(rf) || rf < 1) {
    throw new FediError("STORAGE_LAYOUT_INVALID", `The replication factor must be a whole number ≥ 1, not ${rf}.`, {
      hint: "Pass the replication_factor configured in garage.toml (1, 2 or 3).",
    });
  }
  const zr = options.zoneRedundancy;
  if (
    zr !== undefined &&
    zr !== "maximum" &&
    (!Number.isSafeInteger(zr.atLeast) || zr.atLeast < 1 || zr.atLeast > rf)
  ) {
    throw new FediError(
      "STORAGE_LAYOUT_INVALID",
      `The zone redundancy must be between 1 and the replication factor (${rf}), not ${String(zr.atLeast)}.`,
      { hint: 'Use { atLeast: n } with 1 ≤ n ≤ replication factor, or "maximum".' },
    );
  }
}

/**
 * Brings the Garage cluster layout to `desired`: stages the role changes (UpdateClusterLayout) and applies them
 * (ApplyClusterLayout with version = current + 1). When the applied layout already matches and nothing is staged it
 * writes nothing and reports `{ changed: false }`. Staged changes that someone else left are dropped first
 * (RevertClusterLayout); staged changes identical to the wanted ones (an earlier run that stopped before applying)
 * are applied as they are.
 *
 * Throws `FediError("STORAGE_LAYOUT_INVALID")` before any write when a wanted node is unknown to the cluster (connect
 * it first with {@link connectNodes}), when the layout would have fewer storage nodes than the replication factor,
 * or when fewer wanted storage nodes are connected than the replication factor; and when Garage refuses to compute
 * the new layout.
 */
export async function ensureLayout(
  client: GarageAdminClient,
  desired: DesiredLayout,
  options: EnsureLayoutOptions,
): Promise<EnsureLayoutResult> {
  checkOptions(options);
  const rf = options.replicationFactor;
  const layout = await client.getClusterLayout();
  const status = await client.getClusterStatus();
  const known = new Map(status.nodes.map((n) => [n.id.toLowerCase(), n]));

  const unknown = desired.roles.filter((r) => !known.has(r.nodeId));
  if (unknown.length > 0) {
    throw new FediError(
      "STORAGE_LAYOUT_INVALID",
      `${unknown.length} wanted storage node(s) are unknown to the Garage cluster: ${unknown.map((r) => short(r.nodeId)).join(", ")}.`,
      {
        issues: unknown.map((r) => ({ path: r.nodeId, message: "not known to the cluster (GetClusterStatus)" })),
        hint: "Connect the nodes first (connectNodes: ConnectClusterNodes with <node id>@<rpc address>) and check the node ids read from each node's admin API.",
      },
    );
  }

  const changes = diffLayout(layout, desired);
  const wantedZr = options.zoneRedundancy;
  const paramsChange = wantedZr !== undefined && !sameZoneRedundancy(layout.parameters.zoneRedundancy, wantedZr);
  const staged = layout.stagedRoleChanges;
  const stagedParams = layout.stagedParameters ?? null;
  const unchanged: EnsureLayoutResult = {
    changed: false,
    previousVersion: layout.version,
    version: layout.version,
    changes: [],
    revertedStagedChanges: false,
    messages: [],
  };
  if (changes.length === 0 && !paramsChange && staged.length === 0 && stagedParams === null) return unchanged;

  const needApply = changes.length > 0 || paramsChange;
  if (needApply) {
    if (desired.roles.length < rf) {
      throw new FediError(
        "STORAGE_LAYOUT_INVALID",
        `The wanted layout has ${desired.roles.length} storage node(s), fewer than the replication factor ${rf}.`,
        { hint: `Give at least ${rf} nodes a storage role, or lower replication_factor (only on a new cluster).` },
      );
    }
    const down = desired.roles.filter((r) => known.get(r.nodeId)?.isUp !== true);
    const up = desired.roles.length - down.length;
    if (up < rf) {
      const issues: FediIssue[] = down.map((r) => ({ path: r.nodeId, message: "not connected (isUp is false)" }));
      throw new FediError(
        "STORAGE_LAYOUT_INVALID",
        `Only ${up} of the ${desired.roles.length} wanted storage nodes are connected, fewer than the replication factor ${rf}; the layout was not changed.`,
        { issues, hint: "Start Garage on the listed nodes and connect them (connectNodes), then run again." },
      );
    }
  }

  const intended = toRoleChanges(changes);
  const stagedParamsMatch = paramsChange
    ? stagedParams !== null && sameZoneRedundancy(stagedParams.zoneRedundancy, wantedZr)
    : stagedParams === null;
  const stagedMatches = sameStagedRoles(staged, intended) && stagedParamsMatch;
  const hasStaged = staged.length > 0 || stagedParams !== null;
  let reverted = false;
  if (hasStaged && !stagedMatches) {
    await client.revertClusterLayout();
    reverted = true;
  }
  if (!needApply) return { ...unchanged, revertedStagedChanges: reverted };

  if (!hasStaged || reverted) {
    const after = await client.updateClusterLayout({
      roles: intended,
      ...(paramsChange && wantedZr !== undefined ? { parameters: { zoneRedundancy: wantedZr } } : {}),
    });
    if (!sameStagedRoles(after.stagedRoleChanges, intended)) {
      throw new FediError("STORAGE_FAILED", "Garage did not stage the layout changes that were sent.", {
        hint: "Another process may be changing the layout at the same time; run again.",
        details: { staged: after.stagedRoleChanges.length, sent: intended.length },
      });
    }
  }

  const version = layout.version + 1;
  let applied: GarageAdminSchemas["ApplyClusterLayoutResponse"];
  try {
    applied = await client.applyClusterLayout({ version });
  } catch (cause) {
    const reason = isFediError(cause) ? cause.message : String(cause);
    throw new FediError("STORAGE_LAYOUT_INVALID", `Garage refused to apply layout version ${version}: ${reason}`, {
      cause,
      hint: "The changes stay staged in Garage; fix the cause (node capacities, zones, replication factor) and run again.",
      details: { version },
    });
  }
  return {
    changed: true,
    previousVersion: layout.version,
    version: applied.layout.version,
    changes,
    revertedStagedChanges: reverted,
    messages: applied.message,
  };
}
