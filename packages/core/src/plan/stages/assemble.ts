import { DEFAULT_PINS } from "../../model/spec.js";
import type { DnsRecord } from "../dns.js";
import { cmp } from "../placement.js";
import { PLAN_SCHEMA_VERSION, type Plan } from "../types.js";
import type { Allocation } from "./allocation.js";
import type { MachineModules } from "./machine-modules.js";
import type { Placed } from "./placement.js";
import type { Requirements } from "./requirements.js";
import type { ValidatedInput } from "./validate.js";

/**
 * Puts the stages' results together into a plan (buckets, keys and secrets sorted by name, the storage backend's
 * health checks per node), with an empty diff: the diff stage (`diffAgainstState`) fills it.
 */
export function assemblePlan(
  v: ValidatedInput,
  r: Requirements,
  p: Placed,
  a: Allocation,
  mm: MachineModules,
  dns: DnsRecord[],
): Plan {
  const { spec, storage } = v;
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    deployment: {
      name: spec.name,
      ...(spec.acme ? { acme: { email: spec.acme.email, staging: spec.acme.staging } } : {}),
      pins: { ...DEFAULT_PINS, ...spec.pins },
    },
    storage: {
      kind: storage.plugin.kind,
      options: storage.options,
      nodes: p.nodes.map((n) => ({ machine: n.machine.name, zone: n.zone, capacityBytes: n.capacityBytes })),
      exclusive: r.storage.exclusive,
      ...(r.storage.replicationFactor !== undefined ? { replicationFactor: r.storage.replicationFactor } : {}),
      ...(r.storage.keeps ? { keeps: r.storage.keeps.map((k) => ({ ...k })) } : {}),
      checks: p.nodes.flatMap((n) =>
        storage.plugin
          .checks(a.storageContext, n, storage.options)
          .map((check) => ({ machine: n.machine.name, check })),
      ),
    },
    machines: mm.machines,
    instances: mm.instances,
    buckets: [...a.buckets].sort((x, y) => cmp(x.name, y.name)),
    keys: [...a.keys].sort((x, y) => cmp(x.name, y.name)),
    secrets: [...a.secrets].sort((x, y) => cmp(x.name, y.name)),
    dns,
    diff: {
      upToDate: true,
      added: [],
      removed: [],
      changed: [],
      moved: [],
      machinesChanged: [],
      machinesAdded: [],
      machinesRemoved: [],
      storageChanges: [],
    },
  };
}
