import { FediError } from "../../errors.js";
import type { StorageContext, StorageNode } from "../../plugin/types.js";
import { hasOwnEntry, ownValue } from "../../util/own.js";
import { secretFileName } from "../allocate.js";
import { cmp, type PlacementResult, placeInstances } from "../placement.js";
import type { PlanInput } from "../plan.js";
import { SECRET_DIRS } from "../types.js";
import type { Requirements } from "./requirements.js";
import { appliedStorageOf } from "./storage-continuity.js";
import type { ValidatedInput } from "./validate.js";

/** What the placement stage hands on: where each instance runs, the storage nodes, and the storage context. */
export interface Placed {
  /** The placement (machine of each instance, how it got there, moves). */
  placement: PlacementResult;
  /** The storage nodes with zone and capacity, sorted by machine name. */
  nodes: StorageNode[];
  /** The storage context without buckets (buckets are allocated next): for S3 access and public URLs. */
  storageContext: Omit<StorageContext, "buckets">;
}

/**
 * Stage 3: checks every storage node has room for the storage backend, then places the instances on the machines
 * (pinned, sticky to the previous state, or chosen), and describes the storage nodes.
 * @throws FediError `PLACEMENT_IMPOSSIBLE`, `PLACEMENT_MOVE_REQUIRED` (see {@link placeInstances}).
 */
export function placementStage(
  v: ValidatedInput,
  r: Requirements,
  options: Pick<PlanInput, "allowMoves" | "placementSearchSteps">,
): Placed {
  const { spec, facts, factsByName, prev } = v;
  const storageReq = r.storage;
  const reserve = spec.reserve;
  const placementMachines = facts.map((f) => {
    const isNode = r.storageNodes.has(f.name);
    const nodeUse = isNode ? storageReq.perNode : { cpus: 0, memoryMiB: 0, diskGiB: 0 };
    const hostsServices = f.roles.includes("services") && !(isNode && storageReq.exclusive);
    return {
      name: f.name,
      free: {
        cpus: f.cpus - reserve.cpus - nodeUse.cpus,
        memoryMiB: f.memoryMiB - reserve.memoryMiB - nodeUse.memoryMiB,
        diskGiB: f.diskGiB - reserve.diskGiB - nodeUse.diskGiB,
      },
      hostsServices,
      ...(hostsServices
        ? {}
        : { excludedBecause: isNode ? "it is a dedicated storage node" : "its roles do not include 'services'" }),
    };
  });
  for (const node of storageReq.nodes) {
    const m = placementMachines.find((p) => p.name === node)!;
    if (m.free.cpus < 0 || m.free.memoryMiB < 0 || m.free.diskGiB < 0) {
      throw new FediError("PLACEMENT_IMPOSSIBLE", `Storage node '${node}' is too small for the storage backend.`, {
        issues: [
          {
            path: `machines[${spec.machines.findIndex((x) => x.name === node)}].resources`,
            message: `needs ${storageReq.perNode.cpus} CPU, ${storageReq.perNode.memoryMiB} MiB, ${storageReq.perNode.diskGiB} GiB beyond the OS reserve`,
          },
        ],
        hint: "Give the machine more resources or choose other storage nodes.",
      });
    }
  }
  const placement = placeInstances(
    placementMachines,
    spec.services.map((svc, index) => ({
      name: svc.name,
      kind: svc.kind,
      path: `services[${index}]`,
      needs: {
        cpus: r.services[index]!.cpus,
        memoryMiB: r.services[index]!.memoryMiB,
        diskGiB: r.services[index]!.diskGiB,
      },
      ...(svc.machine ? { pin: svc.machine } : {}),
      ...(hasOwnEntry(prev?.instances, svc.name) ? { previous: ownValue(prev?.instances, svc.name)!.machine } : {}),
    })),
    {
      allowMoves: options.allowMoves ?? false,
      ...(options.placementSearchSteps !== undefined ? { searchSteps: options.placementSearchSteps } : {}),
    },
  );

  const nodes: StorageNode[] = storageReq.nodes
    .map((name) => factsByName.get(name)!)
    .sort((a, b) => cmp(a.name, b.name))
    .map((f) => ({
      machine: f,
      zone: ownValue(storageReq.layout, f.name)?.zone ?? f.zone ?? f.name,
      capacityBytes:
        ownValue(storageReq.layout, f.name)?.capacityBytes ?? Math.floor((f.diskGiB - reserve.diskGiB) * 1024 ** 3),
    }));
  const serviceMachineNames = new Set(placement.machineOf.values());
  const applied = appliedStorageOf(v);
  return {
    placement,
    nodes,
    storageContext: {
      deployment: v.deployment,
      machines: facts,
      nodes,
      secretPath: (id: string) => `${SECRET_DIRS.installed}/${secretFileName("storage", id)}`,
      serviceMachines: facts.filter((f) => serviceMachineNames.has(f.name)),
      ...(applied ? { applied } : {}),
    },
  };
}
