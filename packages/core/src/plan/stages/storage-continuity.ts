import { FediError, type FediIssue } from "../../errors.js";
import type { AppliedStorage } from "../../plugin/types.js";
import type { AppliedStorageRecord } from "../../state/types.js";
import { cmp } from "../placement.js";
import type { Requirements } from "./requirements.js";
import type { ValidatedInput } from "./validate.js";

/**
 * The storage the last apply set up, as the storage plugin is given it: only when the state records storage of the
 * same kind (a state from before storage was recorded, or of another backend, has none to keep).
 */
export function appliedStorageOf(v: Pick<ValidatedInput, "prev" | "storage">): AppliedStorage | undefined {
  const record = v.prev?.storage;
  if (!record || record.kind !== v.storage.plugin.kind) return undefined;
  return {
    nodes: [...record.nodes],
    ...(record.replicationFactor !== undefined ? { replicationFactor: record.replicationFactor } : {}),
  };
}

/**
 * Stage 2b: storage is sticky like instances. Against the storage the last apply recorded, refuses a plan that
 * changes which machines hold the data (nodes added or removed, or another backend) unless `allowStorageChanges`, and
 * always refuses a change of the replication factor of the running cluster (Garage cannot change it).
 * @throws FediError `STORAGE_MOVE_REQUIRED`, `STORAGE_REPLICATION_CHANGE`, each naming the nodes or the factor.
 */
export function storageContinuityStage(v: ValidatedInput, r: Requirements, allowStorageChanges: boolean): void {
  const record = v.prev?.storage;
  if (!record) return;
  const kind = v.storage.plugin.kind;
  if (record.kind !== kind) {
    if (allowStorageChanges) return;
    throw new FediError(
      "STORAGE_MOVE_REQUIRED",
      `The deployment's storage is '${record.kind}' on ${list(record.nodes)}; the spec now asks for '${kind}', which starts empty: the objects stay in the old cluster.`,
      {
        issues: [
          {
            path: "storage.kind",
            message: `was '${record.kind}' at the last apply`,
            code: "STORAGE_MOVE_REQUIRED",
          },
        ],
        hint: "Set storage.kind back, or copy the objects to the new backend yourself and plan again with --allow-storage-changes.",
      },
    );
  }
  checkReplicationFactor(record, r);
  const { added, removed } = nodeChanges(record.nodes, r.storage.nodes);
  if (allowStorageChanges || added.length + removed.length === 0) return;
  const issues: FediIssue[] = [
    ...added.map((m) => ({
      path: machinePath(v, m),
      message: `'${m}' would become a storage node (the cluster rebalances data onto it)`,
      code: "STORAGE_MOVE_REQUIRED",
    })),
    ...removed.map((m) => ({
      path: machinePath(v, m),
      message: `'${m}' would stop being a storage node: its objects stay on it and services would no longer reach them`,
      code: "STORAGE_MOVE_REQUIRED",
    })),
  ];
  throw new FediError(
    "STORAGE_MOVE_REQUIRED",
    `The storage nodes would change from ${list(record.nodes)} to ${list(r.storage.nodes)}: that changes which machines hold the data.`,
    {
      issues,
      hint: `Keep the storage nodes: name them in storage.options.nodes (e.g. nodes: [${record.nodes.map((n) => JSON.stringify(n)).join(", ")}]). To change them on purpose, plan again with --allow-storage-changes (PlanInput.allowStorageChanges) and confirm at apply.`,
    },
  );
}

/** The nodes a plan adds and removes against the recorded ones, each sorted. */
export function nodeChanges(
  before: readonly string[],
  after: readonly string[],
): { added: string[]; removed: string[] } {
  const was = new Set(before);
  const now = new Set(after);
  return {
    added: [...now].filter((n) => !was.has(n)).sort(cmp),
    removed: [...was].filter((n) => !now.has(n)).sort(cmp),
  };
}

function checkReplicationFactor(record: AppliedStorageRecord, r: Requirements): void {
  const before = record.replicationFactor;
  const after = r.storage.replicationFactor;
  if (before === undefined || after === undefined || before === after) return;
  throw new FediError(
    "STORAGE_REPLICATION_CHANGE",
    `The storage cluster runs with replication factor ${before}; the plan would make it ${after}, which a running cluster cannot change.`,
    {
      issues: [
        {
          path: "storage.options.replicationFactor",
          message: `was ${before} at the last apply, would be ${after}`,
          code: "STORAGE_REPLICATION_CHANGE",
        },
      ],
      hint: `Set storage.options.replicationFactor: ${before} to keep the running cluster (more nodes still add capacity). Garage cannot change the factor of a running cluster: to get ${after} copies, set up a new cluster and copy the objects over (see docs/storage/garage.md), even --allow-storage-changes does not allow this.`,
    },
  );
}

function machinePath(v: ValidatedInput, machine: string): string {
  const index = v.machineIndex.get(machine);
  return index === undefined ? "machines" : `machines[${index}]`;
}

function list(nodes: readonly string[]): string {
  return nodes.length === 0 ? "no machine" : nodes.map((n) => `'${n}'`).join(", ");
}
