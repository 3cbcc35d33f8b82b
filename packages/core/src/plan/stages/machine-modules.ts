import type { NixosImports } from "../../imports/read.js";
import type { NixInput } from "../../nix/index.js";
import type { HealthCheck, SecretFileNeed, SecretNeed, ServiceContext } from "../../plugin/types.js";
import { hashOf, secretFileName, secretName } from "../allocate.js";
import { machineBase } from "../deployable.js";
import { buildMachineModule, type MachineModuleInput, machineModuleDefinitions } from "../machine-module.js";
import { checkNixosOverrides } from "../nixos-overrides.js";
import { cmp } from "../placement.js";
import {
  type PlannedInstance,
  type PlannedMachine,
  type PlannedSecretFile,
  type ResourceAmount,
  SECRET_DIRS,
} from "../types.js";
import type { Allocation } from "./allocation.js";
import type { Placed } from "./placement.js";
import { callPlugin, checkUnique, contract } from "./plugin-call.js";
import { PLUGIN_ID, type Requirements } from "./requirements.js";
import type { ValidatedInput } from "./validate.js";

/** What the machine-modules stage hands on: every machine with its NixOS module, every instance fingerprinted. */
export interface MachineModules {
  /** Machines sorted by name, each with its module text and configuration hash. */
  machines: PlannedMachine[];
  /** Instances sorted by name. */
  instances: PlannedInstance[];
}

/** What the plugins contribute to one machine, gathered before its module is printed. */
interface MachineContributions {
  instances: string[];
  modules: Array<{ label: string; body: NixInput }>;
  files: PlannedSecretFile[];
  ports: Set<number>;
  acme: boolean;
  /** Domains of the instances that send mail through the machine's own Postfix, in spec order. */
  localMail: string[];
  used: ResourceAmount;
}

/**
 * Stage 5: asks the plugins for their NixOS modules (storage nodes, instances, storage clients), their health checks
 * and secret files, then prints each machine's module (with its imports, base system, firewall, ACME and secret
 * files) and hashes it; each instance gets the fingerprint of its options and module.
 * @throws FediError `PLUGIN_CONTRACT`, `ALLOCATION_CONFLICT` (secret files), `SPEC_INVALID` (`machines[].nixos`).
 */
export function machineModulesStage(
  v: ValidatedInput,
  r: Requirements,
  p: Placed,
  a: Allocation,
  imports: NixosImports | undefined,
): MachineModules {
  const { perMachine, instances, bodies } = contributions(v, r, p, a);
  const machines = v.facts.map((f) => assembleMachine(v, r, f.name, perMachine.get(f.name)!, imports));
  instances.forEach((inst, i) => {
    inst.fingerprint = hashOf({
      kind: inst.kind,
      machine: inst.machine,
      options: inst.options,
      module: jsonText(bodies[i]),
    });
  });
  instances.sort((x, y) => cmp(x.name, y.name));
  return { machines, instances };
}

/** Gathers the plugins' contributions per machine and the planned instances (in spec order, not fingerprinted). */
function contributions(
  v: ValidatedInput,
  r: Requirements,
  p: Placed,
  a: Allocation,
): { perMachine: Map<string, MachineContributions>; instances: PlannedInstance[]; bodies: NixInput[] } {
  const { spec, storage, services, facts, factsByName, deployment } = v;
  const reserve = spec.reserve;
  const storageReq = r.storage;
  const perMachine = new Map<string, MachineContributions>(
    facts.map((f) => [
      f.name,
      {
        instances: [],
        modules: [],
        files: [],
        ports: new Set<number>(),
        acme: false,
        localMail: [],
        used: { cpus: reserve.cpus, memoryMiB: reserve.memoryMiB, diskGiB: reserve.diskGiB },
      },
    ]),
  );
  for (const node of p.nodes) {
    const m = perMachine.get(node.machine.name)!;
    addUse(m.used, storageReq.perNode);
    m.modules.push({
      label: `storage (${storage.plugin.kind})`,
      body: callPlugin(`storage plugin '${storage.plugin.kind}'`, "storage.options", () =>
        storage.plugin.nixos(a.storageContext, node, storage.options),
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

  const bodies: NixInput[] = [];
  const instances: PlannedInstance[] = spec.services.map((svc, index) => {
    const { plugin, options } = services[index]!;
    const req = r.services[index]!;
    const machine = p.placement.machineOf.get(svc.name)!;
    const m = perMachine.get(machine)!;
    const bucketsOf = a.instanceBuckets.get(svc.name);
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
              ...storage.plugin.s3Access(p.storageContext, factsByName.get(machine)!, storage.options),
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
    for (const port of req.tcpPorts ?? []) m.ports.add(port);
    m.acme ||= req.acme === true;
    if (req.localMailDomain !== undefined) m.localMail.push(req.localMailDomain);
    addUse(m.used, req);
    const how = p.placement.how.get(svc.name)!;
    const move = p.placement.moves.get(svc.name);
    bodies.push(body);
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
      secrets: a.secretsOf.get(svc.name) ?? [],
      checks,
      fingerprint: "",
      placement: how,
      ...(move ? { move } : {}),
    };
  });

  // Storage client modules on service machines.
  if (storage.plugin.clientNixos) {
    for (const f of p.storageContext.serviceMachines) {
      const body = storage.plugin.clientNixos(a.storageContext, f, storage.options);
      if (body !== undefined)
        perMachine.get(f.name)!.modules.push({ label: `storage client (${storage.plugin.kind})`, body });
    }
  }
  return { perMachine, instances, bodies };
}

/** One machine of the plan: its contributions printed into its NixOS module, with imports, ports and hash. */
function assembleMachine(
  v: ValidatedInput,
  r: Requirements,
  name: string,
  m: MachineContributions,
  imports: NixosImports | undefined,
): PlannedMachine {
  const { spec } = v;
  const f = v.factsByName.get(name)!;
  const spec_ = v.machinesByName.get(name)!;
  checkUnique(
    m.files.map((x) => x.name),
    `secret file on machine '${f.name}'`,
  );
  const files = [...m.files].sort((x, y) => cmp(x.name, y.name));
  const tcpPorts = [...m.ports].sort((x, y) => x - y);
  const nixosImports = (spec_.nixosImports ?? []).map((source, i) => {
    const read = imports?.get(source);
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
    extraPath: `machines[${v.machineIndex.get(f.name)}].nixos`,
    imports: nixosImports.map((x) => x.file),
    base,
  };
  // The user's extra NixOS settings must not touch what the SDK generates for the machine.
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
    storageNode: r.storageNodes.has(f.name),
    tcpPorts,
    secretFiles: files,
    nixosImports,
    nixosModule,
    // An imported file's text is part of the machine's configuration: a change to it must reach the machine.
    configHash: nixosImports.length === 0 ? hashOf(nixosModule) : hashOf({ nixosModule, imports: nixosImports }),
  };
}

/** The planned secret files one owner (an instance or `storage`) declares, checked against its declared secrets. */
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
    if (!PLUGIN_ID.test(f.id)) throw contract(who, `secret file id '${f.id}' is not [a-z0-9-]`);
    const content =
      f.content.kind === "value"
        ? { kind: "value" as const, secret: ref(f.content.secret) }
        : {
            kind: "env" as const,
            ...(f.content.format ? { format: f.content.format } : {}),
            entries: Object.fromEntries(
              Object.entries(f.content.entries).map(([k, e]) => [k, "secret" in e ? { secret: ref(e.secret) } : e]),
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

function addUse(used: ResourceAmount, more: ResourceAmount): void {
  used.cpus += more.cpus;
  used.memoryMiB += more.memoryMiB;
  used.diskGiB += more.diskGiB;
}

/** JSON text of a plugin's module body (bigints as `<n>n`), for fingerprints. */
function jsonText(value: unknown): string {
  return JSON.stringify(value, (_k, x) => (typeof x === "bigint" ? `${x}n` : x));
}
