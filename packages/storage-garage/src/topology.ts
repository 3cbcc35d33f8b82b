import {
  type AppliedStorage,
  FediError,
  type FediIssue,
  formatPath,
  type MachineFacts,
  ownValue,
  recordFromEntries,
  type StorageNode,
} from "@fediversity/core";
import { hostPort, isIpAddress } from "./address.js";
import type { GarageOptions } from "./options.js";

/** Where the storage options sit in a deployment spec; issue paths start here. */
export const OPTIONS_PATH = "storage.options";

/** The storage nodes and cluster parameters that follow from the options and the machines. */
export interface GarageTopology {
  /** Storage node machine names, sorted. */
  nodes: string[];
  /** Zone of each node. */
  zones: Record<string, string>;
  /** Effective replication factor. */
  replicationFactor: 1 | 2 | 3;
  /** Storage nodes host no services. */
  dedicated: boolean;
  /** The node that serves public buckets through nginx (when `webRootDomain` is set and `webProxy` is `nginx`). */
  webNode: string | undefined;
}

/** One storage node as the Garage cluster layout needs it (options applied over the planner's defaults). */
export interface GarageLayoutNode {
  /** Machine name. */
  machine: string;
  /** Zone. */
  zone: string;
  /** Capacity in bytes. */
  capacityBytes: number;
  /** The node's `rpc_public_addr` (`host:port`), the address other nodes connect to. */
  rpcAddress: string;
}

const GIB = 1024 ** 3;

function at(...path: Array<string | number>): string {
  return formatPath(path, OPTIONS_PATH);
}

function optionsError(issues: FediIssue[]): FediError {
  return new FediError(
    "PLUGIN_OPTIONS_INVALID",
    `The Garage storage options do not fit the deployment's machines (${issues.length} problem${issues.length === 1 ? "" : "s"}).`,
    { issues, hint: "Fix each field named above under storage.options (or the machines it names), then plan again." },
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The default replication factor: 3 with three or more nodes, else the number of nodes.
 * @param nodeCount - number of storage nodes.
 */
export function defaultReplicationFactor(nodeCount: number): 1 | 2 | 3 {
  return nodeCount >= 3 ? 3 : nodeCount === 2 ? 2 : 1;
}

/**
 * Chooses the storage nodes and checks the options against the machines: `nodes` when given, else the machines
 * whose roles are exactly `["storage"]`, else the nodes of the running cluster (`applied`) when they are all still
 * machines that may be storage nodes, else the first machine by name that may be one. The replication factor is
 * `replicationFactor` when given, else the running cluster's, else {@link defaultReplicationFactor}: a running
 * cluster keeps its factor when nodes are added (Garage cannot change it).
 * @param applied - the storage the last apply set up, if any.
 * @throws FediError `PLUGIN_OPTIONS_INVALID` with one issue per problem, paths under `storage.options`.
 */
export function resolveTopology(
  options: GarageOptions,
  machines: readonly MachineFacts[],
  applied?: AppliedStorage,
): GarageTopology {
  const sorted = [...machines].sort((a, b) => cmp(a.name, b.name));
  const byName = new Map(sorted.map((m) => [m.name, m]));
  const issues: FediIssue[] = [];

  let nodes: string[] = [];
  if (options.nodes) {
    const seen = new Set<string>();
    options.nodes.forEach((name, i) => {
      const machine = byName.get(name);
      if (seen.has(name))
        issues.push({ path: at("nodes", i), message: `'${name}' is listed twice`, code: "PLUGIN_OPTIONS_INVALID" });
      else if (!machine) {
        issues.push({
          path: at("nodes", i),
          message: `no machine is named '${name}' (machines: ${sorted.map((m) => m.name).join(", ")})`,
          code: "PLUGIN_OPTIONS_INVALID",
        });
      } else if (!machine.roles.includes("storage")) {
        issues.push({
          path: at("nodes", i),
          message: `machine '${name}' has the roles [${machine.roles.join(", ")}]: add 'storage' to its roles, or do not list it`,
          code: "PLUGIN_OPTIONS_INVALID",
        });
      }
      seen.add(name);
    });
    nodes = [...seen].filter((n) => byName.get(n)?.roles.includes("storage")).sort(cmp);
  } else {
    const storageOnly = sorted.filter((m) => m.roles.length === 1 && m.roles[0] === "storage");
    const first = sorted.find((m) => m.roles.includes("storage"));
    const kept =
      applied && applied.nodes.length > 0 && applied.nodes.every((n) => byName.get(n)?.roles.includes("storage"))
        ? [...applied.nodes].sort(cmp)
        : undefined;
    if (storageOnly.length > 0) nodes = storageOnly.map((m) => m.name);
    else if (kept) nodes = kept;
    else if (first) nodes = [first.name];
    else {
      issues.push({
        path: at("nodes"),
        message:
          "no machine may be a storage node: every machine has only the 'services' role; give one the 'storage' role",
        code: "PLUGIN_OPTIONS_INVALID",
      });
    }
  }
  if (issues.length > 0) throw optionsError(issues);
  const nodeSet = new Set(nodes);
  const nodeList = nodes.join(", ");

  const zones = recordFromEntries(
    nodes.map((name) => [name, ownValue(options.zones, name) ?? byName.get(name)!.zone ?? name] as const),
  );
  for (const key of Object.keys(options.zones).sort(cmp)) {
    if (!nodeSet.has(key)) {
      issues.push({
        path: at("zones", key),
        message: `'${key}' is not a storage node (nodes: ${nodeList})`,
        code: "PLUGIN_OPTIONS_INVALID",
      });
    }
  }

  const capacity = options.capacityGiB;
  if (typeof capacity === "number") {
    for (const name of nodes) {
      const disk = byName.get(name)!.diskGiB;
      if (capacity > disk) {
        issues.push({
          path: at("capacityGiB"),
          message: `${capacity} GiB is more than the disk of storage node '${name}' (${disk} GiB)`,
          code: "PLUGIN_OPTIONS_INVALID",
        });
      }
    }
  } else if (capacity) {
    for (const [key, value] of Object.entries(capacity).sort(([a], [b]) => cmp(a, b))) {
      const machine = byName.get(key);
      if (!nodeSet.has(key) || !machine) {
        issues.push({
          path: at("capacityGiB", key),
          message: `'${key}' is not a storage node (nodes: ${nodeList})`,
          code: "PLUGIN_OPTIONS_INVALID",
        });
      } else if (value > machine.diskGiB) {
        issues.push({
          path: at("capacityGiB", key),
          message: `${value} GiB is more than the machine's disk (${machine.diskGiB} GiB)`,
          code: "PLUGIN_OPTIONS_INVALID",
        });
      }
    }
  }

  const appliedFactor = applied?.replicationFactor;
  const replicationFactor =
    options.replicationFactor ??
    (appliedFactor === 1 || appliedFactor === 2 || appliedFactor === 3
      ? appliedFactor
      : defaultReplicationFactor(nodes.length));
  if (replicationFactor > nodes.length) {
    issues.push({
      path: at("replicationFactor"),
      message: `replication factor ${replicationFactor} needs at least ${replicationFactor} storage nodes, but there ${nodes.length === 1 ? "is 1" : `are ${nodes.length}`} (${nodeList}): add storage nodes or lower the factor`,
      code: "PLUGIN_OPTIONS_INVALID",
    });
  } else if (replicationFactor > 1 && new Set(Object.values(zones)).size === 1 && !options.allowSingleZone) {
    issues.push({
      path: at("zones"),
      message: `all storage nodes are in zone '${Object.values(zones)[0]}', so the ${replicationFactor} copies of each object cannot be spread across zones: give the nodes different zones (storage.options.zones or machines[].zone), or set allowSingleZone: true`,
      code: "PLUGIN_OPTIONS_INVALID",
    });
  }

  let webNode: string | undefined;
  if (options.webNode !== undefined && !nodeSet.has(options.webNode)) {
    issues.push({
      path: at("webNode"),
      message: `'${options.webNode}' is not a storage node (nodes: ${nodeList})`,
      code: "PLUGIN_OPTIONS_INVALID",
    });
  } else if (options.webRootDomain && options.webProxy === "nginx") {
    webNode = options.webNode ?? nodes[0];
  }

  if (options.firewall === "restricted" && nodes.length > 1) {
    for (const name of nodes) {
      const host = byName.get(name)!.host;
      if (!isIpAddress(host)) issues.push(hostnameIssue(name, host));
    }
  }

  if (issues.length > 0) throw optionsError(issues);
  const dedicated = options.dedicatedNodes ?? sorted.some((m) => !nodeSet.has(m.name) && m.roles.includes("services"));
  return { nodes, zones, replicationFactor, dedicated, webNode };
}

/** The issue for a machine whose address cannot go into a restricted firewall rule. */
export function hostnameIssue(machine: string, host: string): FediIssue {
  return {
    path: at("firewall"),
    message: `machine '${machine}' has the host name '${host}', but restricted firewall rules need IP addresses: give the machine's host as an IP address, or set firewall to 'open' (ports authenticated by Garage) or 'none'`,
    code: "PLUGIN_OPTIONS_INVALID",
  };
}

/** Throws the options error for `issues` (used by the NixOS generator for service machines). */
export function throwOptionsIssues(issues: FediIssue[]): never {
  throw optionsError(issues);
}

/**
 * The layout parameters of each storage node: the zone and capacity from the options, else the planner's
 * (`machine.zone` or the machine name; disk minus the deployment's disk reserve), and the RPC address.
 */
export function garageLayoutNodes(options: GarageOptions, nodes: readonly StorageNode[]): GarageLayoutNode[] {
  const capacity = options.capacityGiB;
  return nodes.map((node) => {
    const name = node.machine.name;
    const gib = typeof capacity === "number" ? capacity : ownValue(capacity, name);
    return {
      machine: name,
      zone: ownValue(options.zones, name) ?? node.zone,
      capacityBytes: gib === undefined ? node.capacityBytes : Math.floor(gib * GIB),
      rpcAddress: hostPort(node.machine.host, options.ports.rpc),
    };
  });
}
