import type { Plan } from "../plan/types.js";
import type { DurableItem } from "../plugin/types.js";
import { type DeploymentState, STATE_SCHEMA_VERSION } from "./types.js";

/**
 * The state after `plan` has been applied: its instances, machines and storage nodes (with what each node keeps), and
 * the leftovers of removed instances and of dropped storage nodes added to those already recorded (a leftover stays
 * recorded until the user deletes it).
 */
export function stateFromPlan(plan: Plan, previous: DeploymentState | undefined, appliedAt: Date): DeploymentState {
  const leftovers = [...(previous?.leftovers ?? [])];
  const seen = new Set(leftovers.map((l) => `${l.kind}:${l.name}:${l.machine ?? ""}`));
  const stillUsed = new Set([
    ...plan.buckets.map((b) => `bucket:${b.name}:`),
    ...plan.keys.map((k) => `key:${k.name}:`),
    ...plan.secrets.map((x) => `secret:${x.name}:`),
    // A database or directory an instance on the same machine declares again (adopted) is in use, not left over.
    ...plan.instances.flatMap((i) => (i.requirements.keeps ?? []).map((k) => durableId(k, i.machine))),
    // So is what a storage node keeps (the planner refuses to make a machine with such leftovers a node again).
    ...plan.storage.nodes.flatMap((n) => (plan.storage.keeps ?? []).map((k) => durableId(k, n.machine))),
  ]);
  const newLeftovers = [
    ...plan.diff.removed.flatMap((r) => r.leftovers),
    // Read defensively: diffs of partial plans (tests, tools) and older plan files carry no storage changes.
    ...(plan.diff.storageChanges ?? []).flatMap((c) => c.leftovers ?? []),
  ];
  for (const l of newLeftovers) {
    const id = `${l.kind}:${l.name}:${l.machine ?? ""}`;
    if (!seen.has(id)) {
      seen.add(id);
      leftovers.push(l);
    }
  }
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    deployment: plan.deployment.name,
    appliedAt: appliedAt.toISOString(),
    instances: Object.fromEntries(
      plan.instances.map((i) => [
        i.name,
        {
          kind: i.kind,
          machine: i.machine,
          fingerprint: i.fingerprint,
          buckets: [...i.buckets],
          ...(i.key ? { key: i.key } : {}),
          secrets: [...i.secrets],
          ...(i.requirements.keeps ? { keeps: i.requirements.keeps.map((k) => ({ ...k })) } : {}),
        },
      ]),
    ),
    machines: Object.fromEntries(plan.machines.map((m) => [m.name, { configHash: m.configHash }])),
    storage: {
      kind: plan.storage.kind,
      nodes: plan.storage.nodes.map((n) => n.machine).sort(),
      ...(plan.storage.replicationFactor !== undefined ? { replicationFactor: plan.storage.replicationFactor } : {}),
      ...(plan.storage.keeps ? { keeps: plan.storage.keeps.map((k) => ({ ...k })) } : {}),
    },
    // An adopting instance takes the bucket, key, secrets and declared data back: they are no longer leftovers.
    leftovers: leftovers.filter(
      (l) => !stillUsed.has(`${l.kind}:${l.name}:`) && !stillUsed.has(`${l.kind}:${l.name}:${l.machine ?? ""}`),
    ),
  };
}

/** The `kind:name:machine` identity of the leftover a declared database or directory on `machine` would be. */
function durableId(item: DurableItem, machine: string): string {
  return item.kind === "database"
    ? `data:${item.engine}:${item.name}:${machine}`
    : `data:directory:${item.path}:${machine}`;
}
