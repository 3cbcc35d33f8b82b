import { posix } from "node:path";
import { FediError } from "../errors.js";
import type { Leftover } from "../plan/types.js";
import type { DeploymentState } from "../state/types.js";
import { ownEntries } from "../util/own.js";

/** One thing a prune deletes (or, for `kind: "manual"`, cannot delete and leaves to the user). */
export type PruneItem =
  | {
      /** A database on a machine, dropped with its server's client as the server's superuser. */
      kind: "database";
      /** The database server. */
      engine: "postgresql" | "mysql" | "redis";
      /** Database name (redis: the server name; its data folder `/var/lib/redis-<name>` is deleted). */
      name: string;
      /** The machine. */
      machine: string;
      /** What will be done. */
      action: "drop-database";
      /** Identity of the recorded leftover (see {@link leftoverId}). */
      leftover: string;
    }
  | {
      /** A directory on a machine, deleted with `rm -rf --one-file-system`. */
      kind: "directory";
      /** Absolute, normalized path. */
      path: string;
      /** The machine. */
      machine: string;
      /** What will be done. */
      action: "delete-directory";
      /** Identity of the recorded leftover. */
      leftover: string;
    }
  | {
      /** A bucket and its objects, deleted through the storage plugin's runtime. */
      kind: "bucket";
      /** Bucket name. */
      name: string;
      /** What will be done. */
      action: "delete-bucket";
      /** Identity of the recorded leftover. */
      leftover: string;
    }
  | {
      /** An S3 key, deleted through the storage plugin's runtime. */
      kind: "key";
      /** Key name. */
      name: string;
      /** What will be done. */
      action: "delete-key";
      /** Identity of the recorded leftover. */
      leftover: string;
    }
  | {
      /** A secret in the local secret store (by name; a plan never holds its value). */
      kind: "secret";
      /** Store key name. */
      name: string;
      /** What will be done. */
      action: "delete-secret";
      /** Identity of the recorded leftover. */
      leftover: string;
    }
  | {
      /** Something the SDK cannot delete: data its plugin did not declare, or an item a current instance uses. */
      kind: "manual";
      /** The leftover's name. */
      name: string;
      /** Machine, for data. */
      machine?: string;
      /** Nothing is done; the leftover stays recorded. */
      action: "keep";
      /** Why, and what to do by hand. */
      note: string;
      /** Identity of the recorded leftover. */
      leftover: string;
    };

/**
 * What {@link planPrune} will delete of one removed instance's leftovers, or of what one machine kept when it stopped
 * being a storage node (then `storage` and `machine` are set and `instance` is absent).
 */
export interface PruneGroup {
  /**
   * The removed instance, or undefined for leftovers recorded before their instance was (older states) and for a
   * storage node's leftovers.
   */
  instance?: string;
  /** For a dropped storage node's leftovers: the storage plugin kind, e.g. `garage`. */
  storage?: string;
  /** For a dropped storage node's leftovers: the machine that was the node. */
  machine?: string;
  /**
   * For people: the instance name, `storage node <machine>`, or `(instance not recorded)` for leftovers of an older
   * state that does not say whose they are.
   */
  label: string;
  /** Its leftovers, in deletion order (data on machines, buckets, keys, then secrets). */
  items: PruneItem[];
}

/** A typed deletion plan: pure data, JSON-serialisable, without any secret value. */
export interface PrunePlan {
  /** Deployment name. */
  deployment: string;
  /** Per removed instance, sorted by name. */
  groups: PruneGroup[];
  /** Number of items that would be deleted (`manual` ones excluded). */
  deletions: number;
}

/** Options of {@link planPrune}. Given either list, only the groups it names are planned. */
export interface PlanPruneOptions {
  /** Only these removed instances (default: every recorded leftover). */
  instances?: readonly string[];
  /** Only the leftovers of these former storage node machines (default: every recorded leftover). */
  storageNodes?: readonly string[];
}

/**
 * The identity of a recorded leftover: `kind:name:machine`. Unique in a state: a storage node's directory leftover is
 * `data:directory:<path>:<machine>` like an instance's, and an instance declaring the same directory on the same
 * machine would be using it (never both recorded).
 */
export function leftoverId(l: Leftover): string {
  return `${l.kind}:${l.name}:${l.machine ?? ""}`;
}

/** The instance a leftover belongs to: recorded, or read from an undeclared data leftover's `kind:instance` name. */
function ownerOf(l: Leftover): string | undefined {
  if (l.instance !== undefined) return l.instance;
  if (l.kind === "data" && !l.durable) return l.name.slice(l.name.indexOf(":") + 1) || undefined;
  return undefined;
}

/**
 * Checks a directory a plugin declared before it is deleted: absolute, normalized, not `/` nor a top-level system
 * folder, no control characters.
 */
export function checkPrunablePath(path: string): string | undefined {
  if (!path.startsWith("/") || posix.normalize(path) !== path || path.endsWith("/"))
    return "not a normalized absolute path";
  if (/[\0-\x1f\x7f]/.test(path)) return "contains control characters";
  if (path.split("/").filter(Boolean).length < 2) return "is / or a top-level folder";
  return undefined;
}

/**
 * The deletion plan for the leftovers the state records of removed instances and of machines that stopped being
 * storage nodes (all, or the groups `options.instances` and `options.storageNodes` name; a storage node's group comes
 * after the instances', labelled `storage node <machine>`). Pure: reads only `state`. A leftover a current instance
 * uses again (an adopted database or directory on the same machine, a bucket, key or secret of the same name) becomes
 * a `manual` item and is never deleted; so does what a current storage node on the same machine keeps (the planner
 * refuses to make a machine a storage node again while such leftovers are recorded, but a state may say so).
 * @throws FediError `PRUNE_REFUSED` when a name asked for is a current instance or has no recorded leftovers.
 */
export function planPrune(state: DeploymentState, options: PlanPruneOptions = {}): PrunePlan {
  const current = ownEntries(state.instances);
  const asked = options.instances ? [...new Set(options.instances)] : undefined;
  const live = (asked ?? []).filter((n) => current.has(n));
  if (live.length > 0) {
    throw new FediError(
      "PRUNE_REFUSED",
      `${live.map((n) => `'${n}'`).join(", ")} ${live.length === 1 ? "is a current instance" : "are current instances"}: prune deletes only what removed instances left behind.`,
      {
        hint: "Remove the instance from the spec and apply first, or prune another name.",
        details: { instances: live },
      },
    );
  }
  const groups = new Map<string | undefined, Leftover[]>();
  // A dropped storage node's leftovers, by machine; each storage kind of a machine is its own group.
  const storageGroups = new Map<string, { storage: string; machine: string; leftovers: Leftover[] }>();
  for (const l of state.leftovers) {
    if (l.storage !== undefined && l.machine !== undefined) {
      const key = `${l.machine}\0${l.storage}`;
      const group = storageGroups.get(key) ?? { storage: l.storage, machine: l.machine, leftovers: [] };
      group.leftovers.push(l);
      storageGroups.set(key, group);
      continue;
    }
    const owner = ownerOf(l);
    const list = groups.get(owner) ?? [];
    list.push(l);
    groups.set(owner, list);
  }
  const askedNodes = options.storageNodes ? [...new Set(options.storageNodes)] : undefined;
  if (askedNodes) {
    const known = new Set([...storageGroups.values()].map((g) => g.machine));
    const unknown = askedNodes.filter((m) => !known.has(m));
    if (unknown.length > 0) {
      throw new FediError(
        "PRUNE_REFUSED",
        `No storage node leftovers are recorded on ${unknown.map((n) => `'${n}'`).join(", ")}.`,
        {
          hint:
            known.size > 0
              ? `Former storage nodes with leftovers: ${[...known].sort().join(", ")}.`
              : "No former storage node has leftovers.",
          details: { unknown, storageNodes: [...known].sort() },
        },
      );
    }
  }
  if (asked) {
    const unknown = asked.filter((n) => !groups.has(n));
    if (unknown.length > 0) {
      const known = [...groups.keys()].filter((k): k is string => k !== undefined).sort();
      throw new FediError(
        "PRUNE_REFUSED",
        `No leftovers are recorded for ${unknown.map((n) => `'${n}'`).join(", ")}.`,
        {
          hint:
            known.length > 0
              ? `Removed instances with leftovers: ${known.join(", ")}.`
              : "No removed instance has leftovers.",
          details: { unknown, removed: known },
        },
      );
    }
  }
  const inUse = usedByCurrent(state);
  const filtered = asked !== undefined || askedNodes !== undefined;
  const itemsOf = (leftovers: Leftover[]) =>
    leftovers.map((l) => itemOf(l, inUse)).sort((a, b) => ORDER[a.kind] - ORDER[b.kind]);
  const out: PruneGroup[] = [];
  for (const [instance, leftovers] of [...groups].sort(([a], [b]) => (a ?? "").localeCompare(b ?? ""))) {
    if (filtered && (instance === undefined || !asked?.includes(instance))) continue;
    out.push({
      ...(instance !== undefined ? { instance } : {}),
      label: instance ?? "(instance not recorded)",
      items: itemsOf(leftovers),
    });
  }
  const nodeGroups = [...storageGroups.values()].sort(
    (a, b) => a.machine.localeCompare(b.machine) || a.storage.localeCompare(b.storage),
  );
  for (const { storage, machine, leftovers } of nodeGroups) {
    if (filtered && !askedNodes?.includes(machine)) continue;
    out.push({ storage, machine, label: `storage node ${machine}`, items: itemsOf(leftovers) });
  }
  return {
    deployment: state.deployment,
    groups: out,
    deletions: out.reduce((n, g) => n + g.items.filter((i) => i.kind !== "manual").length, 0),
  };
}

const ORDER: Record<PruneItem["kind"], number> = {
  database: 0,
  directory: 1,
  bucket: 2,
  key: 3,
  secret: 4,
  manual: 5,
};

/**
 * What current instances and storage nodes use, as `kind:name:machine` of the leftover they would match, with who uses
 * it, for people ("the current instance '<name>'", or "the <kind> storage node on '<machine>'").
 */
function usedByCurrent(state: DeploymentState): Map<string, string> {
  const used = new Map<string, string>();
  // What the current storage nodes keep: the leftovers of an earlier node on the same machine would be theirs.
  for (const node of state.storage?.nodes ?? []) {
    for (const k of state.storage?.keeps ?? []) {
      used.set(
        k.kind === "database" ? `data:${k.engine}:${k.name}:${node}` : `data:directory:${k.path}:${node}`,
        `the ${state.storage!.kind} storage node on '${node}'`,
      );
    }
  }
  for (const [name, i] of ownEntries(state.instances)) {
    const user = `the current instance '${name}'`;
    for (const b of i.buckets) used.set(`bucket:${b}:`, user);
    if (i.key) used.set(`key:${i.key}:`, user);
    for (const s of i.secrets) used.set(`secret:${s}:`, user);
    for (const k of i.keeps ?? []) {
      used.set(
        k.kind === "database" ? `data:${k.engine}:${k.name}:${i.machine}` : `data:directory:${k.path}:${i.machine}`,
        user,
      );
    }
  }
  return used;
}

function itemOf(l: Leftover, inUse: Map<string, string>): PruneItem {
  const id = leftoverId(l);
  const manual = (note: string): PruneItem => ({
    kind: "manual",
    name: l.name,
    ...(l.machine !== undefined ? { machine: l.machine } : {}),
    action: "keep",
    note,
    leftover: id,
  });
  const user = inUse.get(id);
  if (user !== undefined) return manual(`in use by ${user}; not deleted`);
  switch (l.kind) {
    case "bucket":
      return { kind: "bucket", name: l.name, action: "delete-bucket", leftover: id };
    case "key":
      return { kind: "key", name: l.name, action: "delete-key", leftover: id };
    case "secret":
      return { kind: "secret", name: l.name, action: "delete-secret", leftover: id };
    case "data": {
      if (!l.durable || l.machine === undefined)
        return manual(`${l.note}; its plugin declared no details, delete by hand`);
      if (l.durable.kind === "directory") {
        const bad = checkPrunablePath(l.durable.path);
        if (bad) return manual(`directory ${JSON.stringify(l.durable.path)} ${bad}; not deleted`);
        return {
          kind: "directory",
          path: l.durable.path,
          machine: l.machine,
          action: "delete-directory",
          leftover: id,
        };
      }
      const bad = checkDatabaseName(l.durable.engine, l.durable.name);
      if (bad) return manual(`${l.durable.engine} database ${JSON.stringify(l.durable.name)} ${bad}; not deleted`);
      return {
        kind: "database",
        engine: l.durable.engine,
        name: l.durable.name,
        machine: l.machine,
        action: "drop-database",
        leftover: id,
      };
    }
  }
}

/** Why a database name cannot be dropped safely, or undefined. */
export function checkDatabaseName(engine: "postgresql" | "mysql" | "redis", name: string): string | undefined {
  if (name.length === 0 || name.length > 63) return "is empty or longer than 63 characters";
  if (/[\0-\x1f\x7f]/.test(name)) return "contains control characters";
  if (engine === "redis" && !/^[A-Za-z0-9_-]+$/.test(name)) return "is not a redis server name ([A-Za-z0-9_-])";
  return undefined;
}
