import type { FediIssue } from "../../errors.js";
import { DomainName } from "../../model/spec.js";
import type { DurableItem, ServiceRequirements, StorageRequirements } from "../../plugin/types.js";
import { collected } from "../validate.js";
import { callPlugin, checkUnique, contract } from "./plugin-call.js";
import { appliedStorageOf } from "./storage-continuity.js";
import type { ValidatedInput } from "./validate.js";

/** Instance, secret and secret-file ids plugins choose: 1-40 of a-z, 0-9 and '-'. */
export const PLUGIN_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What the requirements stage hands on: what the storage backend and each instance asked for. */
export interface Requirements {
  /** The storage plugin's requirements (nodes, per-node use, exclusivity, secrets, layout). */
  storage: StorageRequirements;
  /** The storage nodes chosen by the storage plugin. */
  storageNodes: Set<string>;
  /** Each instance's requirements, in spec order. */
  services: ServiceRequirements[];
}

/**
 * Stage 2: asks the storage plugin (given the storage the last apply set up) and every service plugin what they need and checks it: plugin contracts (ids,
 * numbers, ports, known nodes), TLS needing `acme`, unique domains, no instance pinned to a dedicated storage node.
 * @throws FediError `PLUGIN_CONTRACT`, or the collected spec issues (`SPEC_INVALID`, `ALLOCATION_CONFLICT`,
 * `PLACEMENT_IMPOSSIBLE`).
 */
export function requirementsStage(v: ValidatedInput): Requirements {
  const { spec, storage, services, facts, factsByName } = v;
  const storageReq = callPlugin(`storage plugin '${storage.plugin.kind}'`, "storage.options", () =>
    storage.plugin.requirements(storage.options, facts, appliedStorageOf(v)),
  );
  if (
    storageReq.replicationFactor !== undefined &&
    (!Number.isInteger(storageReq.replicationFactor) || storageReq.replicationFactor < 1)
  )
    throw contract(
      `storage plugin '${storage.plugin.kind}'`,
      "reports a replication factor that is not a whole number >= 1",
    );
  checkKeeps(storageReq.keeps, `storage plugin '${storage.plugin.kind}'`);
  const storageNodes = new Set(storageReq.nodes);
  for (const node of storageReq.nodes) {
    if (!factsByName.has(node))
      throw contract(`storage plugin '${storage.plugin.kind}'`, `names unknown node '${node}'`);
  }

  const issues: FediIssue[] = [];
  const reqs = services.map(({ plugin, options }, index) => {
    const req = callPlugin(`service plugin '${plugin.kind}'`, `services[${index}].options`, () =>
      plugin.requirements(options),
    );
    checkRequirements(req, `service plugin '${plugin.kind}'`);
    if (req.acme && !spec.acme) {
      issues.push({
        path: "acme",
        message: `instance '${spec.services[index]!.name}' needs TLS certificates: set acme.email (and acme.staging while testing)`,
        code: "SPEC_INVALID",
      });
    }
    return req;
  });
  // Domains are unique.
  const domainOwner = new Map<string, number>();
  reqs.forEach((req, index) => {
    for (const domain of req.domains ?? []) {
      const other = domainOwner.get(domain);
      if (other !== undefined && other !== index) {
        issues.push({
          path: domainPath(spec.services[index]!.options, domain, `services[${index}].options`),
          message: `domain '${domain}' is already used by '${spec.services[other]!.name}' (services[${other}])`,
          code: "ALLOCATION_CONFLICT",
        });
      } else domainOwner.set(domain, index);
    }
  });
  // Pinned to a dedicated storage node.
  spec.services.forEach((svc, index) => {
    if (svc.machine && storageReq.exclusive && storageNodes.has(svc.machine)) {
      issues.push({
        path: `services[${index}].machine`,
        message: `cannot run '${svc.name}' on '${svc.machine}': it is a dedicated storage node; services run on the other machines`,
        code: "PLACEMENT_IMPOSSIBLE",
      });
    }
  });
  if (issues.length > 0) throw collected(issues);
  return { storage: storageReq, storageNodes, services: reqs };
}

/** Checks one service plugin's requirements against the plugin contract. */
function checkRequirements(req: ServiceRequirements, who: string): void {
  for (const k of ["cpus", "memoryMiB", "diskGiB"] as const) {
    if (typeof req[k] !== "number" || !Number.isFinite(req[k]) || req[k] < 0)
      throw contract(who, `requirement '${k}' is not a number >= 0`);
  }
  for (const list of [req.buckets ?? [], req.secrets ?? [], req.secretFiles ?? []]) {
    for (const item of list)
      if (!PLUGIN_ID.test(item.id)) throw contract(who, `id '${item.id}' is not 1-40 of a-z, 0-9 and '-'`);
    checkUnique(
      list.map((i) => i.id),
      `id in ${who}`,
    );
  }
  for (const p of req.tcpPorts ?? [])
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw contract(who, `port ${p} is invalid`);
  checkKeeps(req.keeps, who);
  if (req.localMailDomain !== undefined && !DomainName.safeParse(req.localMailDomain).success)
    throw contract(who, `local mail domain ${JSON.stringify(req.localMailDomain)} is not a domain name`);
}

/** Checks the databases and directories a plugin declares it keeps (`keeps`) against the plugin contract. */
function checkKeeps(keeps: readonly DurableItem[] | undefined, who: string): void {
  for (const item of keeps ?? []) {
    if (item.kind === "database" && !/^[A-Za-z0-9_-]{1,63}$/.test(item.name))
      throw contract(who, `declares a database name '${item.name}' that is not 1-63 of A-Z, a-z, 0-9, '_' and '-'`);
    if (item.kind === "directory" && (!item.path.startsWith("/") || item.path.split("/").includes("..")))
      throw contract(who, `declares a directory '${item.path}' that is not an absolute path without '..'`);
  }
}

/** The option path under which a plugin's options hold `domain`, for messages; falls back to `base`. */
function domainPath(options: unknown, domain: string, base: string): string {
  if (options && typeof options === "object") {
    for (const [k, v] of Object.entries(options)) {
      if (v === domain) return `${base}.${k}`;
    }
  }
  return base;
}
