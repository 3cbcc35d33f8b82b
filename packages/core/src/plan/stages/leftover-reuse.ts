import { FediError, type FediIssue } from "../../errors.js";
import type { DurableItem } from "../../plugin/types.js";
import { hasOwnEntry } from "../../util/own.js";
import { bucketName, secretName } from "../allocate.js";
import { cmp } from "../placement.js";
import type { Leftover } from "../types.js";
import type { Placed } from "./placement.js";
import type { Requirements } from "./requirements.js";
import type { ValidatedInput } from "./validate.js";

/**
 * Stage 3b: a new instance must not silently inherit what a removed one left behind. Refuses (`LEFTOVER_REUSE`) a
 * new instance whose buckets, S3 key or secrets have the names of recorded leftovers (a removed instance's name
 * reused), and one placed where a database it declares (`keeps`) still holds a removed instance's data (nixpkgs'
 * fixed database names) — unless the instance is in `adopt`: then it takes them over on purpose. Also refuses a storage
 * node on a machine where an earlier storage node's declared directories are still recorded as leftovers (no adopt:
 * see `storageReuseIssues`).
 * @throws FediError `LEFTOVER_REUSE` with one issue per instance, at `services[i].name`, and per machine, at
 * `machines[i]`.
 */
export function leftoverReuseStage(v: ValidatedInput, r: Requirements, p: Placed, adopt: readonly string[]): void {
  const leftovers = v.prev?.leftovers ?? [];
  if (leftovers.length === 0) return;
  const adopted = new Set(adopt);
  const named = new Set(leftovers.filter((l) => l.kind !== "data").map((l) => `${l.kind}:${l.name}`));
  const issues: FediIssue[] = [];
  v.spec.services.forEach((svc, index) => {
    if (hasOwnEntry(v.prev?.instances, svc.name) || adopted.has(svc.name)) return;
    const req = r.services[index]!;
    const hasBuckets = (req.buckets ?? []).length > 0;
    const wouldUse = [
      ...(req.buckets ?? []).map((b) => `bucket:${bucketName(v.spec.name, svc.name, b.id)}`),
      ...(hasBuckets ? [`key:${v.spec.name}-${svc.name}`] : []),
      ...(req.secrets ?? []).map((s) => `secret:${secretName(svc.name, s.id)}`),
      ...(hasBuckets
        ? [`secret:${secretName(svc.name, "s3-access-key-id")}`, `secret:${secretName(svc.name, "s3-secret-key")}`]
        : []),
    ].filter((id) => named.has(id));
    const machine = p.placement.machineOf.get(svc.name);
    const databases = (req.keeps ?? []).flatMap((item) =>
      item.kind === "database" &&
      leftovers.some(
        (l) =>
          l.machine === machine &&
          l.durable?.kind === "database" &&
          l.durable.engine === item.engine &&
          l.durable.name === item.name,
      )
        ? [`${item.engine} database '${item.name}' on '${machine}'`]
        : [],
    );
    if (wouldUse.length > 0) {
      issues.push({
        path: `services[${index}].name`,
        message: `'${svc.name}' was removed earlier and its ${wouldUse.map((id) => id.replace(":", " '")).join("', ")}' still exist: a new instance of this name would inherit them`,
        code: "LEFTOVER_REUSE",
      });
    }
    if (databases.length > 0) {
      issues.push({
        path: `services[${index}].name`,
        message: `'${svc.name}' would open the ${databases.join(", ")}, which still holds a removed instance's data`,
        code: "LEFTOVER_REUSE",
      });
    }
  });
  const instanceIssues = issues.length;
  issues.push(...storageReuseIssues(v, r, leftovers));
  if (issues.length === 0) return;
  if (instanceIssues === 0) {
    throw new FediError(
      "LEFTOVER_REUSE",
      `${issues.length === 1 ? "A storage node" : "Storage nodes"} would start on the data ${issues.length === 1 ? "its machine" : "their machines"} kept when ${issues.length === 1 ? "it" : "they"} stopped being a storage node.`,
      { issues, hint: STORAGE_HINT },
    );
  }
  throw new FediError(
    "LEFTOVER_REUSE",
    `${instanceIssues === 1 ? "A new instance" : "New instances"} would take over what removed instances left behind.`,
    {
      issues,
      hint: `Give the instance another name (or place it on another machine), or take the leftovers over on purpose with --adopt <instance> (PlanInput.adopt); delete leftovers by hand (see the removal notes) to start empty.${issues.length > instanceIssues ? ` ${STORAGE_HINT}` : ""}`,
    },
  );
}

const STORAGE_HINT =
  "A machine that was a storage node keeps the old node's metadata and data, which the cluster must not see again: delete them first with `fedi prune` (they are listed under 'storage node <machine>'), or choose other storage nodes.";

/**
 * A machine the plan makes a storage node while the state records, as leftovers of an earlier storage node on it
 * (`Leftover.storage`), directories or databases the storage plugin declares again (`StorageRequirements.keeps`):
 * the node would start on the old node's identity and data (for Garage: its node key, layout and stale blocks), so
 * this is refused rather than adopted. One issue per machine, at `machines[i]`.
 */
function storageReuseIssues(v: ValidatedInput, r: Requirements, leftovers: readonly Leftover[]): FediIssue[] {
  const keeps = r.storage.keeps ?? [];
  if (keeps.length === 0) return [];
  const issues: FediIssue[] = [];
  for (const node of [...r.storage.nodes].sort(cmp)) {
    const stale = leftovers.filter(
      (l) =>
        l.storage !== undefined &&
        l.machine === node &&
        l.durable !== undefined &&
        keeps.some((k) => sameItem(k, l.durable!)),
    );
    if (stale.length === 0) continue;
    const index = v.machineIndex.get(node);
    issues.push({
      path: index === undefined ? "machines" : `machines[${index}]`,
      message: `'${node}' would become a ${v.storage.plugin.kind} storage node again, but ${stale.map((l) => describe(l.durable!)).join(", ")} left by its earlier ${stale[0]!.storage} node ${stale.length === 1 ? "is" : "are"} still there`,
      code: "LEFTOVER_REUSE",
    });
  }
  return issues;
}

function sameItem(a: DurableItem, b: DurableItem): boolean {
  return a.kind === "database"
    ? b.kind === "database" && a.engine === b.engine && a.name === b.name
    : b.kind === "directory" && a.path === b.path;
}

function describe(item: DurableItem): string {
  return item.kind === "database" ? `${item.engine} database '${item.name}'` : `directory ${item.path}`;
}
