import type { DurableItem } from "../plugin/types.js";
import type { DeploymentState } from "../state/types.js";
import { ownEntries } from "../util/own.js";
import { cmp } from "./placement.js";
import { nodeChanges } from "./stages/storage-continuity.js";
import type { Leftover, Plan, PlanDiff, StorageChange } from "./types.js";

/**
 * Compares a plan with the last applied state: instances added, removed (with what they leave behind), changed and
 * moved, which machines' configurations changed, and which machines start or stop holding the storage backend's data. Without a state everything is new. Names are looked up as own
 * entries of the state's records only (`constructor` is a name like any other).
 */
export function diffAgainstState(plan: Plan, state: DeploymentState | undefined): PlanDiff {
  const prevInstances = ownEntries(state?.instances);
  const prevMachines = ownEntries(state?.machines);
  const current = new Map(plan.instances.map((i) => [i.name, i]));
  const added = plan.instances.filter((i) => !prevInstances.has(i.name)).map((i) => i.name);
  const changed = plan.instances
    .filter((i) => {
      const prev = prevInstances.get(i.name);
      return prev !== undefined && prev.machine === i.machine && prev.fingerprint !== i.fingerprint;
    })
    .map((i) => i.name);
  const moved = plan.instances.flatMap((i) => {
    const prev = prevInstances.get(i.name);
    return prev !== undefined && prev.machine !== i.machine
      ? [{ instance: i.name, from: prev.machine, to: i.machine, reason: i.move?.reason ?? "placement changed" }]
      : [];
  });
  const removed = [...prevInstances.keys()]
    .filter((name) => !current.has(name))
    .sort(cmp)
    .map((name) => {
      const prev = prevInstances.get(name)!;
      const leftovers: Leftover[] = [
        ...prev.buckets.map((b) => ({
          kind: "bucket" as const,
          name: b,
          instance: name,
          note: `bucket '${b}' and its objects stay in storage`,
        })),
        ...(prev.key
          ? [
              {
                kind: "key" as const,
                name: prev.key,
                instance: name,
                note: `S3 key '${prev.key}' stays valid in storage`,
              },
            ]
          : []),
        ...prev.secrets.map((s) => ({
          kind: "secret" as const,
          name: s,
          instance: name,
          note: `secret '${s}' stays in the local secret store`,
        })),
        ...(prev.keeps
          ? prev.keeps.map((item) => durableLeftover(item, { instance: name }, prev.machine))
          : [
              {
                kind: "data" as const,
                name: `${prev.kind}:${name}`,
                machine: prev.machine,
                instance: name,
                note: `the ${prev.kind} database and files of '${name}' stay on '${prev.machine}' (the service is disabled, not wiped)`,
              },
            ]),
      ];
      return { instance: name, kind: prev.kind, machine: prev.machine, leftovers };
    });
  const planMachines = new Set(plan.machines.map((m) => m.name));
  const machinesAdded = plan.machines.filter((m) => !prevMachines.has(m.name)).map((m) => m.name);
  const machinesChanged = plan.machines
    .filter((m) => prevMachines.get(m.name)?.configHash !== m.configHash)
    .map((m) => m.name);
  const machinesRemoved = [...prevMachines.keys()].filter((m) => !planMachines.has(m)).sort(cmp);
  const storageChanges = storageChangesOf(plan, state);
  const upToDate =
    state?.appliedAt !== undefined &&
    added.length +
      changed.length +
      moved.length +
      removed.length +
      machinesChanged.length +
      machinesRemoved.length +
      storageChanges.length ===
      0;
  return { upToDate, added, removed, changed, moved, machinesChanged, machinesAdded, machinesRemoved, storageChanges };
}

/** Who left a durable item behind: a removed instance, or a machine that stopped being a node of a storage backend. */
type DurableOwner = { instance: string } | { storage: string };

/** The leftover of one database or directory that a removed instance, or a dropped storage node, declared it keeps. */
function durableLeftover(item: DurableItem, owner: DurableOwner, machine: string): Leftover {
  const of = "instance" in owner ? `'${owner.instance}'` : `the ${owner.storage} storage node`;
  const what = item.kind === "database" ? `${item.engine} database '${item.name}'` : `directory ${item.path}`;
  return {
    kind: "data",
    name: item.kind === "database" ? `${item.engine}:${item.name}` : `directory:${item.path}`,
    machine,
    ...owner,
    durable: { ...item },
    note:
      "instance" in owner
        ? `${what} of ${of} stays on '${machine}'`
        : `${what} of ${of} stays on '${machine}' (delete it only once the remaining nodes hold every object)`,
  };
}

/**
 * Storage nodes added and removed against the storage the state records (none when it records none); a removed node
 * lists what the record says every node keeps as its leftovers.
 */
function storageChangesOf(plan: Plan, state: DeploymentState | undefined): StorageChange[] {
  const record = state?.storage;
  // `plan.storage` is read defensively: diffs of partial plans (tests, tools) carry no storage section.
  const planStorage = plan.storage as Plan["storage"] | undefined;
  if (!record || !planStorage) return [];
  const { added, removed } = nodeChanges(
    record.kind === planStorage.kind ? record.nodes : [],
    planStorage.nodes.map((n) => n.machine),
  );
  const gone = record.kind === planStorage.kind ? removed : [...record.nodes].sort(cmp);
  return [
    ...added.map((machine) => ({
      kind: "node-added" as const,
      machine,
      note: `'${machine}' becomes a ${planStorage.kind} storage node`,
    })),
    ...gone.map((machine) => ({
      kind: "node-removed" as const,
      machine,
      note: `'${machine}' stops being a ${record.kind} storage node; the objects on it stay there`,
      ...(record.keeps
        ? { leftovers: record.keeps.map((item) => durableLeftover(item, { storage: record.kind }, machine)) }
        : {}),
    })),
  ];
}
