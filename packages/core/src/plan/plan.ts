import { FediError, type FediIssue, isFediError } from "../errors.js";
import type { FediEvents } from "../events.js";
import type { NixosImports } from "../imports/read.js";
import { DEFAULT_PINS, type DeploymentSpecInput, DomainName } from "../model/spec.js";
import type { NixInput } from "../nix/index.js";
import type { PluginRegistry } from "../plugin/registry.js";
import type {
  AllocatedBucket,
  HealthCheck,
  MachineFacts,
  SecretFileNeed,
  SecretNeed,
  ServiceContext,
  ServiceRequirements,
  StorageContext,
  StorageNode,
} from "../plugin/types.js";
import { buildMachineModule, type MachineModuleInput, machineModuleDefinitions } from "../render/machine-module.js";
import type { SecretDeclaration } from "../secrets/types.js";
import type { DeploymentState } from "../state/types.js";
import { hasOwnEntry, ownValue } from "../util/own.js";
import { bucketName, hashOf, isValidBucketName, secretFileName, secretName } from "./allocate.js";
import { checkMachinesDeployable, machineBase } from "./deployable.js";
import { diffAgainstState } from "./diff.js";
import { planDns } from "./dns.js";
import { checkNixosOverrides } from "./nixos-overrides.js";
import { observedPlan } from "./observe.js";
import { cmp, placeInstances } from "./placement.js";
import {
  PLAN_SCHEMA_VERSION,
  type Plan,
  type PlannedBucket,
  type PlannedInstance,
  type PlannedKey,
  type PlannedMachine,
  type PlannedSecretFile,
  SECRET_DIRS,
} from "./types.js";
import { collected, validateSpec } from "./validate.js";

/** Input of {@link createPlan}. */
export interface PlanInput {
  /** The deployment spec as the user wrote it. */
  spec: DeploymentSpecInput | unknown;
  /** Plugins. */
  registry: PluginRegistry;
  /** What was applied before (`.fedi/state.json`); placement is sticky to it and the diff is against it. */
  state?: DeploymentState;
  /** Allow instances to move to another machine when they cannot stay. Default false. */
  allowMoves?: boolean;
  /**
   * The texts of the module files machines import (`machines[].nixosImports`), keyed by the path as the spec writes
   * it: read them with {@link readNixosImports}, which also checks where each file lies. Needed when a machine has
   * imports (the planner itself reads no file).
   */
  imports?: NixosImports;
  /**
   * Reports the run to these listeners: `run.start` (command `plan`), then `plan.done` or `plan.failed`, then
   * `run.end` — the same typed stream as {@link Deployer.apply}. Planning stays pure: events are the only effect.
   */
  events?: FediEvents;
  /** The exact placement search's bound in steps (see {@link placeInstances}); default 20,000,000. */
  placementSearchSteps?: number;
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

/**
 * Plans a deployment: validates the spec and plugin options, places instances, allocates buckets, keys, secrets,
 * ports and domains, generates each machine's NixOS module, and diffs against the previous state.
 * Pure: no I/O. Deterministic: the same input gives the same plan. The plan holds no secret value.
 * Machines must be deployable (root file system, boot loader, stateVersion, authorized key): see
 * {@link checkMachinesDeployable}.
 * @throws FediError (`SPEC_INVALID`, `MACHINE_NOT_DEPLOYABLE`, `MACHINE_IMPORT_INVALID`, `PLUGIN_*`, `PLACEMENT_*`,
 * `ALLOCATION_CONFLICT`, ...) with paths into the spec.
 */
export function createPlan(input: PlanInput): Plan {
  if (input.events) return observedPlan(input.events, input.spec, () => createPlan({ ...input, events: undefined }));
  const { spec, storage, services } = validateSpec(input.spec, input.registry);
  const prev = input.state;
  if (prev && prev.deployment !== spec.name) {
    throw new FediError("STATE_INVALID", `The state is for deployment '${prev.deployment}', not '${spec.name}'.`, {
      hint: "Use the state folder of this deployment, or rename the deployment back.",
    });
  }
  checkMachinesDeployable(spec, input.imports);

  const machinesByName = new Map(spec.machines.map((m) => [m.name, m]));
  const machineIndex = new Map(spec.machines.map((m, i) => [m.name, i]));
  const facts = spec.machines.map(machineFacts).sort((a, b) => cmp(a.name, b.name));
  const factsByName = new Map(facts.map((f) => [f.name, f]));
  const deployment = {
    name: spec.name,
    ...(spec.acme ? { acmeEmail: spec.acme.email } : {}),
    acmeStaging: spec.acme?.staging ?? false,
  };

  // Storage: nodes, resources, exclusivity.
  const storageReq = callPlugin(`storage plugin '${storage.plugin.kind}'`, "storage.options", () =>
    storage.plugin.requirements(storage.options, facts),
  );
  const storageNodes = new Set(storageReq.nodes);
  for (const node of storageReq.nodes) {
    if (!factsByName.has(node))
      throw contract(`storage plugin '${storage.plugin.kind}'`, `names unknown node '${node}'`);
  }

  // Service requirements.
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

  // Placement.
  const reserve = spec.reserve;
  const placementMachines = facts.map((f) => {
    const isNode = storageNodes.has(f.name);
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
      needs: { cpus: reqs[index]!.cpus, memoryMiB: reqs[index]!.memoryMiB, diskGiB: reqs[index]!.diskGiB },
      ...(svc.machine ? { pin: svc.machine } : {}),
      ...(hasOwnEntry(prev?.instances, svc.name) ? { previous: ownValue(prev?.instances, svc.name)!.machine } : {}),
    })),
    {
      allowMoves: input.allowMoves ?? false,
      ...(input.placementSearchSteps !== undefined ? { searchSteps: input.placementSearchSteps } : {}),
    },
  );

  // Storage context (without buckets) for S3 access and public URLs.
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
  const storageSecretPath = (id: string) => `${SECRET_DIRS.installed}/${secretFileName("storage", id)}`;
  const baseStorageCtx: Omit<StorageContext, "buckets"> = {
    deployment,
    machines: facts,
    nodes,
    secretPath: storageSecretPath,
    serviceMachines: facts.filter((f) => serviceMachineNames.has(f.name)),
  };

  // Allocation: buckets, keys, secrets.
  const secrets: SecretDeclaration[] = [];
  const buckets: PlannedBucket[] = [];
  const keys: PlannedKey[] = [];
  const bucketOwner = new Map<string, string>();
  const instanceBuckets = new Map<string, AllocatedBucket[]>();
  spec.services.forEach((svc, index) => {
    const req = reqs[index]!;
    for (const s of req.secrets ?? []) secrets.push({ name: secretName(svc.name, s.id), generate: s.generate });
    const needs = req.buckets ?? [];
    if (needs.length === 0) return;
    const keyName = `${spec.name}-${svc.name}`;
    const allocated: AllocatedBucket[] = [];
    for (const need of needs) {
      const name = bucketName(spec.name, svc.name, need.id);
      if (!isValidBucketName(name))
        throw contract(`service plugin '${svc.kind}'`, `bucket id '${need.id}' gives invalid name '${name}'`);
      const owner = bucketOwner.get(name);
      if (owner) {
        throw new FediError(
          "ALLOCATION_CONFLICT",
          `Bucket name '${name}' is claimed by '${owner}' and '${svc.name}'.`,
          {
            issues: [{ path: `services[${index}].name`, message: `bucket '${name}' collides` }],
            hint: "Rename one of the instances.",
          },
        );
      }
      bucketOwner.set(name, svc.name);
      const publicUrl = need.public ? storage.plugin.publicUrl(name, storage.options, baseStorageCtx) : undefined;
      allocated.push({ id: need.id, name, public: need.public, ...(publicUrl ? { publicUrl } : {}) });
      buckets.push({
        name,
        id: need.id,
        instance: svc.name,
        public: need.public,
        ...(publicUrl ? { publicUrl } : {}),
        ...(need.cors ? { cors: need.cors } : {}),
        ...(need.virtualHost ? { virtualHost: true } : {}),
        ...(need.quotas ? { quotas: need.quotas } : {}),
        key: keyName,
      });
    }
    instanceBuckets.set(svc.name, allocated);
    const accessKeyIdSecret = secretName(svc.name, "s3-access-key-id");
    const secretKeySecret = secretName(svc.name, "s3-secret-key");
    secrets.push({ name: accessKeyIdSecret, generate: { kind: "s3-access-key-id" } });
    secrets.push({ name: secretKeySecret, generate: { kind: "s3-secret-key" } });
    keys.push({
      name: keyName,
      instance: svc.name,
      accessKeyIdSecret,
      secretKeySecret,
      buckets: allocated.map((b) => b.name),
    });
  });
  for (const s of storageReq.secrets ?? []) secrets.push({ name: secretName("storage", s.id), generate: s.generate });
  checkUnique(
    secrets.map((s) => s.name),
    "secret",
  );
  const secretsOf = new Map<string, string[]>();
  for (const s of secrets) {
    const owner = s.name.slice(0, s.name.indexOf("."));
    secretsOf.set(owner, [...(secretsOf.get(owner) ?? []), s.name]);
  }

  const storageCtx: StorageContext = {
    ...baseStorageCtx,
    buckets: buckets.map((b) => ({
      id: b.id,
      name: b.name,
      public: b.public,
      instance: b.instance,
      ...(b.publicUrl ? { publicUrl: b.publicUrl } : {}),
      ...(b.cors ? { cors: b.cors } : {}),
      ...(b.virtualHost ? { virtualHost: true } : {}),
    })),
  };

  // Per machine: instance modules, secret files, ports.
  const perMachine = new Map(
    facts.map((f) => [
      f.name,
      {
        instances: [] as string[],
        modules: [] as Array<{ label: string; body: NixInput }>,
        files: [] as PlannedSecretFile[],
        ports: new Set<number>(),
        acme: false,
        localMail: [] as string[],
        used: { cpus: reserve.cpus, memoryMiB: reserve.memoryMiB, diskGiB: reserve.diskGiB },
      },
    ]),
  );
  for (const node of nodes) {
    const m = perMachine.get(node.machine.name)!;
    addUse(m.used, storageReq.perNode);
    m.modules.push({
      label: `storage (${storage.plugin.kind})`,
      body: callPlugin(`storage plugin '${storage.plugin.kind}'`, "storage.options", () =>
        storage.plugin.nixos(storageCtx, node, storage.options),
      ),
    });
    m.files.push(
      ...secretFiles(
        "storage",
        storageReq.secretFiles ?? [],
        storageReq.secrets ?? [],
        false,
        `storage plugin '${storage.plugin.kind}'`,
      ),
    );
  }

  const instances: PlannedInstance[] = spec.services.map((svc, index) => {
    const { plugin, options } = services[index]!;
    const req = reqs[index]!;
    const machine = placement.machineOf.get(svc.name)!;
    const m = perMachine.get(machine)!;
    const bucketsOf = instanceBuckets.get(svc.name);
    const ctx: ServiceContext = {
      instance: { name: svc.name, kind: svc.kind },
      machine: factsByName.get(machine)!,
      deployment,
      secretPath: (id) => {
        if (!(req.secretFiles ?? []).some((f) => f.id === id)) {
          throw contract(
            `service plugin '${svc.kind}'`,
            `asks for the path of secret file '${id}', which it did not declare`,
          );
        }
        return `${SECRET_DIRS.installed}/${secretFileName(svc.name, id)}`;
      },
      ...(bucketsOf
        ? {
            s3: {
              ...storage.plugin.s3Access(baseStorageCtx, factsByName.get(machine)!, storage.options),
              buckets: Object.fromEntries(bucketsOf.map((b) => [b.id, b])),
            },
          }
        : {}),
    };
    const label = `${svc.name} (${svc.kind})`;
    const body = callPlugin(`service plugin '${svc.kind}'`, `services[${index}].options`, () =>
      plugin.nixos(ctx, options),
    );
    const checks: HealthCheck[] = callPlugin(`service plugin '${svc.kind}'`, `services[${index}].options`, () =>
      plugin.checks(ctx, options),
    );
    m.instances.push(svc.name);
    m.modules.push({ label, body });
    m.files.push(
      ...secretFiles(
        svc.name,
        req.secretFiles ?? [],
        req.secrets ?? [],
        (req.buckets ?? []).length > 0,
        `service plugin '${svc.kind}'`,
      ),
    );
    for (const p of req.tcpPorts ?? []) m.ports.add(p);
    m.acme ||= req.acme === true;
    if (req.localMailDomain !== undefined) m.localMail.push(req.localMailDomain);
    addUse(m.used, req);
    const how = placement.how.get(svc.name)!;
    const move = placement.moves.get(svc.name);
    return {
      name: svc.name,
      kind: svc.kind,
      specIndex: index,
      machine,
      options,
      requirements: req,
      domains: [...(req.domains ?? [])],
      buckets: (bucketsOf ?? []).map((b) => b.name),
      ...(bucketsOf ? { key: `${spec.name}-${svc.name}` } : {}),
      ...(ctx.s3
        ? {
            s3: {
              endpoint: ctx.s3.endpoint,
              region: ctx.s3.region,
              forcePathStyle: ctx.s3.forcePathStyle,
              ...(ctx.s3.virtualHostRoot ? { virtualHostRoot: ctx.s3.virtualHostRoot } : {}),
            },
          }
        : {}),
      secrets: secretsOf.get(svc.name) ?? [],
      checks,
      fingerprint: "",
      placement: how,
      ...(move ? { move } : {}),
      _body: body,
    } as PlannedInstance & { _body: NixInput };
  });

  // Storage client modules on service machines.
  if (storage.plugin.clientNixos) {
    for (const f of baseStorageCtx.serviceMachines) {
      const body = storage.plugin.clientNixos(storageCtx, f, storage.options);
      if (body !== undefined)
        perMachine.get(f.name)!.modules.push({ label: `storage client (${storage.plugin.kind})`, body });
    }
  }

  const machines: PlannedMachine[] = facts.map((f) => {
    const m = perMachine.get(f.name)!;
    const spec_ = machinesByName.get(f.name)!;
    checkUnique(
      m.files.map((x) => x.name),
      `secret file on machine '${f.name}'`,
    );
    const files = [...m.files].sort((a, b) => cmp(a.name, b.name));
    const tcpPorts = [...m.ports].sort((a, b) => a - b);
    const nixosImports = (spec_.nixosImports ?? []).map((source, i) => {
      const read = input.imports?.get(source);
      return {
        source,
        file: `machines/${f.name}/${i}-${source
          .split("/")
          .pop()!
          .replace(/[^A-Za-z0-9._-]/g, "_")}`,
        sha256: read?.ok ? read.sha256 : "",
      };
    });
    const base = machineBase(spec_, m.localMail);
    const moduleInput: MachineModuleInput = {
      deployment: spec.name,
      machine: f.name,
      system: f.system,
      modules: m.modules,
      tcpPorts,
      acme: m.acme && spec.acme ? { email: spec.acme.email, staging: spec.acme.staging } : undefined,
      secretFiles: files,
      extra: spec_.nixos,
      extraPath: `machines[${machineIndex.get(f.name)}].nixos`,
      imports: nixosImports.map((x) => x.file),
      base,
    };
    checkNixosOverrides({
      machine: f.name,
      nixos: spec_.nixos,
      path: moduleInput.extraPath,
      generated: machineModuleDefinitions(moduleInput),
    });
    const nixosModule = buildMachineModule(moduleInput);
    return {
      name: f.name,
      host: f.host,
      system: f.system,
      ...(f.zone ? { zone: f.zone } : {}),
      ssh: {
        user: spec_.ssh.user,
        port: spec_.ssh.port,
        hostPublicKey: spec_.ssh.hostPublicKey.trim(),
        ...(spec_.ssh.identityFile ? { identityFile: spec_.ssh.identityFile } : {}),
      },
      base,
      roles: f.roles,
      resources: { cpus: f.cpus, memoryMiB: f.memoryMiB, diskGiB: f.diskGiB },
      used: m.used,
      instances: [...m.instances].sort(cmp),
      storageNode: storageNodes.has(f.name),
      tcpPorts,
      secretFiles: files,
      nixosImports,
      nixosModule,
      // An imported file's text is part of the machine's configuration: a change to it must reach the machine.
      configHash: nixosImports.length === 0 ? hashOf(nixosModule) : hashOf({ nixosModule, imports: nixosImports }),
    };
  });

  for (const inst of instances as Array<PlannedInstance & { _body?: NixInput }>) {
    inst.fingerprint = hashOf({
      kind: inst.kind,
      machine: inst.machine,
      options: inst.options,
      module: jsonText(inst._body),
    });
    delete inst._body;
  }
  instances.sort((a, b) => cmp(a.name, b.name));
  buckets.sort((a, b) => cmp(a.name, b.name));
  keys.sort((a, b) => cmp(a.name, b.name));
  secrets.sort((a, b) => cmp(a.name, b.name));

  const dns = planDns({
    machines: facts,
    instances,
    storage: {
      kind: storage.plugin.kind,
      dns: callPlugin(`storage plugin '${storage.plugin.kind}'`, "storage.options", () =>
        storage.plugin.dns?.(storageCtx, storage.options),
      ),
    },
  });

  const plan: Plan = {
    schemaVersion: PLAN_SCHEMA_VERSION,
    deployment: {
      name: spec.name,
      ...(spec.acme ? { acme: { email: spec.acme.email, staging: spec.acme.staging } } : {}),
      pins: { ...DEFAULT_PINS, ...spec.pins },
    },
    storage: {
      kind: storage.plugin.kind,
      options: storage.options,
      nodes: nodes.map((n) => ({ machine: n.machine.name, zone: n.zone, capacityBytes: n.capacityBytes })),
      exclusive: storageReq.exclusive,
      checks: nodes.flatMap((n) =>
        storage.plugin.checks(storageCtx, n, storage.options).map((check) => ({ machine: n.machine.name, check })),
      ),
    },
    machines,
    instances,
    buckets,
    keys,
    secrets,
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
    },
  };
  plan.diff = diffAgainstState(plan, prev);
  return plan;
}

/**
 * What plugins see of a machine (from the spec, or from a plan's machine). A machine without roles has both.
 */
export function machineFacts(m: {
  name: string;
  host: string;
  system: string;
  resources: { cpus: number; memoryMiB: number; diskGiB: number };
  zone?: string | undefined;
  roles?: ReadonlyArray<"storage" | "services"> | undefined;
}): MachineFacts {
  return {
    name: m.name,
    host: m.host,
    system: m.system,
    cpus: m.resources.cpus,
    memoryMiB: m.resources.memoryMiB,
    diskGiB: m.resources.diskGiB,
    ...(m.zone ? { zone: m.zone } : {}),
    roles: m.roles ? [...new Set(m.roles)].sort() : ["services", "storage"],
  };
}

function secretFiles(
  owner: string,
  files: SecretFileNeed[],
  declared: SecretNeed[],
  hasS3Key: boolean,
  who: string,
): PlannedSecretFile[] {
  const known = new Set(declared.map((s) => s.id));
  if (hasS3Key) known.add("s3-access-key-id").add("s3-secret-key");
  const ref = (id: string) => {
    if (!known.has(id)) throw contract(who, `secret file refers to secret '${id}', which it did not declare`);
    return secretName(owner, id);
  };
  return files.map((f) => {
    if (!ID.test(f.id)) throw contract(who, `secret file id '${f.id}' is not [a-z0-9-]`);
    const content =
      f.content.kind === "value"
        ? { kind: "value" as const, secret: ref(f.content.secret) }
        : {
            kind: "env" as const,
            ...(f.content.format ? { format: f.content.format } : {}),
            entries: Object.fromEntries(
              Object.entries(f.content.entries).map(([k, v]) => [k, "secret" in v ? { secret: ref(v.secret) } : v]),
            ),
          };
    const name = secretFileName(owner, f.id);
    return {
      name,
      path: `${SECRET_DIRS.installed}/${name}`,
      content,
      owner: f.owner,
      ...(f.group ? { group: f.group } : {}),
      mode: f.mode ?? "0400",
      neededBy: units(who, f.id, "neededBy", f.neededBy),
      declaredBy: owner,
      restartUnits: units(who, f.id, "restartUnits", f.restartUnits ?? f.neededBy),
      rerunUnits: units(who, f.id, "rerunUnits", f.rerunUnits ?? []),
    };
  });
}

/** What a systemd unit name looks like (systemd.unit(5): letters, digits, `:-_.\\@`, and a unit type suffix). */
const UNIT_NAME = /^[A-Za-z0-9:@._-]+\.(service|socket|target|timer|path|mount)$/;

/** A secret file's unit list, each once and sorted; a name that is not a systemd unit name breaks the contract. */
function units(who: string, file: string, field: string, names: readonly string[]): string[] {
  for (const n of names)
    if (typeof n !== "string" || !UNIT_NAME.test(n))
      throw contract(who, `secret file '${file}' names '${n}' in ${field}, which is not a systemd unit name`);
  return [...new Set(names)].sort(cmp);
}

function checkRequirements(req: ServiceRequirements, who: string): void {
  for (const k of ["cpus", "memoryMiB", "diskGiB"] as const) {
    if (typeof req[k] !== "number" || !Number.isFinite(req[k]) || req[k] < 0)
      throw contract(who, `requirement '${k}' is not a number >= 0`);
  }
  for (const list of [req.buckets ?? [], req.secrets ?? [], req.secretFiles ?? []]) {
    for (const item of list)
      if (!ID.test(item.id)) throw contract(who, `id '${item.id}' is not 1-40 of a-z, 0-9 and '-'`);
    checkUnique(
      list.map((i) => i.id),
      `id in ${who}`,
    );
  }
  for (const p of req.tcpPorts ?? [])
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw contract(who, `port ${p} is invalid`);
  if (req.localMailDomain !== undefined && !DomainName.safeParse(req.localMailDomain).success)
    throw contract(who, `local mail domain ${JSON.stringify(req.localMailDomain)} is not a domain name`);
}

function checkUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v))
      throw new FediError("ALLOCATION_CONFLICT", `The ${what} '${v}' is claimed twice.`, {
        hint: "Rename one of them.",
      });
    seen.add(v);
  }
}

function addUse(
  used: { cpus: number; memoryMiB: number; diskGiB: number },
  r: { cpus: number; memoryMiB: number; diskGiB: number },
): void {
  used.cpus += r.cpus;
  used.memoryMiB += r.memoryMiB;
  used.diskGiB += r.diskGiB;
}

function contract(who: string, what: string): FediError {
  return new FediError("PLUGIN_CONTRACT", `The ${who} ${what}.`, {
    hint: "This is a bug in the plugin: report it to its authors.",
  });
}

/** Calls plugin code; a FediError passes through, anything else becomes a PLUGIN_CONTRACT error naming the plugin. */
function callPlugin<T>(who: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isFediError(error)) throw error;
    throw new FediError(
      "PLUGIN_CONTRACT",
      `The ${who} failed while handling ${path}: ${(error as Error)?.message ?? String(error)}`,
      {
        cause: error,
        hint: "This is a bug in the plugin (or options it does not handle): report it to its authors.",
      },
    );
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

/** JSON text of a plugin's module body (bigints as `<n>n`), for fingerprints. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}
