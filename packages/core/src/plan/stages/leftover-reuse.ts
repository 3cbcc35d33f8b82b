import { FediError, type FediIssue } from "../../errors.js";
import { hasOwnEntry } from "../../util/own.js";
import { bucketName, secretName } from "../allocate.js";
import type { Placed } from "./placement.js";
import type { Requirements } from "./requirements.js";
import type { ValidatedInput } from "./validate.js";

/**
 * Stage 3b: a new instance must not silently inherit what a removed one left behind. Refuses (`LEFTOVER_REUSE`) a
 * new instance whose buckets, S3 key or secrets have the names of recorded leftovers (a removed instance's name
 * reused), and one placed where a database it declares (`keeps`) still holds a removed instance's data (nixpkgs'
 * fixed database names) — unless the instance is in `adopt`: then it takes them over on purpose.
 * @throws FediError `LEFTOVER_REUSE` with one issue per instance, at `services[i].name`.
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
  if (issues.length === 0) return;
  throw new FediError(
    "LEFTOVER_REUSE",
    `${issues.length === 1 ? "A new instance" : "New instances"} would take over what removed instances left behind.`,
    {
      issues,
      hint: "Give the instance another name (or place it on another machine), or take the leftovers over on purpose with --adopt <instance> (PlanInput.adopt); delete leftovers by hand (see the removal notes) to start empty.",
    },
  );
}
