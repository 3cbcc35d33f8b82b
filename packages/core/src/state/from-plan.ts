import type { Plan } from "../plan/types.js";
import { type DeploymentState, STATE_SCHEMA_VERSION } from "./types.js";

/**
 * The state after `plan` has been applied: its instances, machines and storage nodes, and the leftovers of removed instances
 * added to those already recorded (a leftover stays recorded until the user deletes it).
 */
export function stateFromPlan(plan: Plan, previous: DeploymentState | undefined, appliedAt: Date): DeploymentState {
  const leftovers = [...(previous?.leftovers ?? [])];
  const seen = new Set(leftovers.map((l) => `${l.kind}:${l.name}:${l.machine ?? ""}`));
  const stillUsed = new Set([
    ...plan.buckets.map((b) => `bucket:${b.name}:`),
    ...plan.keys.map((k) => `key:${k.name}:`),
    ...plan.secrets.map((x) => `secret:${x.name}:`),
    // A database or directory an instance on the same machine declares again (adopted) is in use, not left over.
    ...plan.instances.flatMap((i) =>
      (i.requirements.keeps ?? []).map((k) =>
        k.kind === "database" ? `data:${k.engine}:${k.name}:${i.machine}` : `data:directory:${k.path}:${i.machine}`,
      ),
    ),
  ]);
  for (const removed of plan.diff.removed) {
    for (const l of removed.leftovers) {
      const id = `${l.kind}:${l.name}:${l.machine ?? ""}`;
      if (!seen.has(id)) {
        seen.add(id);
        leftovers.push(l);
      }
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
    },
    // An adopting instance takes the bucket, key, secrets and declared data back: they are no longer leftovers.
    leftovers: leftovers.filter(
      (l) => !stillUsed.has(`${l.kind}:${l.name}:`) && !stillUsed.has(`${l.kind}:${l.name}:${l.machine ?? ""}`),
    ),
  };
}
