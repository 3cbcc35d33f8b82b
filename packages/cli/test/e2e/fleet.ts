// A loopback fleet for end-to-end tests: NixOS-like sshd hosts (core's host double), the Garage admin double,
// a real S3 server (s3rver), the NixOps4 double, and a small HTTP service the health checks probe.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPlanFromUnknown,
  createRegistry,
  type DeploymentState,
  FileSecretStore,
  type Plan,
  StateStore,
} from "@fediversity/core";
import { garage } from "@fediversity/storage-garage";
import { type NixosHostDouble, startNixosHostDouble } from "../../../core/test/fixtures/nixos-host-double.js";
import {
  type GarageAdminDouble,
  startGarageAdminDouble,
} from "../../../storage-garage/test/doubles/garage-admin-double.js";
import { type RunningS3rver, startS3rver } from "../../../storage-garage/test/support/s3rver.js";
import { probeApp } from "./probe-app.js";

/** The NixOps4 double executable of core's tests. */
export const NIXOPS4_DOUBLE = fileURLToPath(new URL("../../../core/test/doubles/nixops4-double.mjs", import.meta.url));

/** Everything a fleet test needs, and how to tear it down. */
export interface Fleet {
  dir: string;
  hosts: { store1: NixosHostDouble; web1: NixosHostDouble; web2: NixosHostDouble };
  admin: GarageAdminDouble;
  s3: RunningS3rver;
  health: Server;
  healthPort: number;
  adminToken: string;
  secrets: FileSecretStore;
  state: StateStore;
  nixops4Log: string;
  spec(changes?: { motto?: string }): Record<string, unknown>;
  plan(state?: DeploymentState, changes?: { motto?: string }): Plan;
  registry: ReturnType<typeof createRegistry>;
  dispose(): Promise<void>;
}

const ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef0123456789abcdef";
const NODE_ID = "a".repeat(64);

/** Starts three NixOS-like machines (store1 with Garage; web1 and web2 with one probe app each) and the doubles. */
export async function startFleet(): Promise<Fleet> {
  const dir = await mkdtemp(join(tmpdir(), "fedi-e2e-"));
  const health = createServer((req, res) => {
    res.statusCode = req.url === "/health" ? 200 : 404;
    res.end("ok");
  });
  await new Promise<void>((r) => health.listen(0, "127.0.0.1", r));
  const healthPort = (health.address() as { port: number }).port;
  const units = ["garage.service", "probeapp.service", "fediversity-secrets.service"];
  const [store1, web1, web2] = await Promise.all([
    startNixosHostDouble({ activeUnits: units }),
    startNixosHostDouble({ activeUnits: units }),
    startNixosHostDouble({ activeUnits: units }),
  ]);
  const hosts = { store1: store1!, web1: web1!, web2: web2! };
  const admin = await startGarageAdminDouble({ token: ADMIN_TOKEN, nodes: [{ id: NODE_ID }] });
  const registry = createRegistry([garage, probeApp(healthPort)]);
  const secrets = new FileSecretStore(join(dir, ".fedi", "secrets"));
  await secrets.set("storage.admin-token", ADMIN_TOKEN); // the Garage double must know it: pre-seeded, kept by apply

  let s3: RunningS3rver | undefined;
  const fleet: Fleet = {
    dir,
    hosts,
    admin,
    get s3() {
      return s3!;
    },
    health,
    healthPort,
    adminToken: ADMIN_TOKEN,
    secrets,
    state: new StateStore(join(dir, ".fedi")),
    nixops4Log: join(dir, "nixops4.log"),
    registry,
    spec: (changes = {}) => {
      const m = (name: keyof typeof hosts, roles: Array<"storage" | "services">) => ({
        name,
        host: "127.0.0.1",
        roles,
        ssh: {
          port: hosts[name].port,
          hostPublicKey: hosts[name].hostPublicKey,
          identityFile: hosts[name].clientKeyPath,
          authorizedKeys: [hosts[name].hostPublicKey],
        },
        resources: { cpus: 4, memoryMiB: 2048, diskGiB: 20 },
        // what `fedi adopt` reads from these hosts (GRUB_BIOS_CONFIGURATION), so that the machine is deployable
        stateVersion: "23.11",
        boot: { loader: "grub" as const, devices: ["/dev/vda"] },
        nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } } },
      });
      return {
        name: "e2e",
        machines: [m("store1", ["storage"]), m("web1", ["services"]), m("web2", ["services"])],
        storage: {
          kind: "garage",
          options: {
            replicationFactor: 1,
            firewall: "open",
            ports: {
              admin: Number(new URL(admin.url).port),
              s3: Number(new URL(s3?.endpoint ?? "http://x:3900").port),
            },
          },
        },
        services: [
          {
            name: "alpha",
            kind: "probeapp",
            options: { domain: "alpha.example.org", motto: changes.motto ?? "hello" },
            machine: "web1",
          },
          { name: "beta", kind: "probeapp", options: { domain: "beta.example.org" }, machine: "web2" },
        ],
        reserve: { cpus: 0, memoryMiB: 0, diskGiB: 1 },
      };
    },
    plan: (state, changes) =>
      createPlanFromUnknown({ spec: fleet.spec(changes), registry, ...(state ? { state } : {}) }),
    async dispose() {
      await Promise.all(Object.values(hosts).map((h) => h.dispose()));
      await admin.close();
      await s3?.close();
      await new Promise((r) => health.close(r));
      await rm(dir, { recursive: true, force: true });
    },
  };
  // The S3 server needs the buckets and keys up front (s3rver has no admin API): take them from a first plan.
  const first = fleet.plan();
  const keys = [];
  const { ensureSecrets } = await import("@fediversity/core");
  await ensureSecrets(secrets, first.secrets);
  for (const k of first.keys) {
    keys.push({
      accessKeyId: (await secrets.get(k.accessKeyIdSecret))!,
      secretAccessKey: (await secrets.get(k.secretKeySecret))!,
    });
  }
  s3 = await startS3rver({ buckets: first.buckets.map((b) => b.name), keys });
  return fleet;
}

/**
 * What NixOps4 needs of the deployer's own Nix (preflight's local check runs `nix` with NixOps4's environment): the
 * `nix-command` and `flakes` features, which Debian's Nix leaves off.
 */
export const FLAKES_ENV = { NIX_CONFIG: "experimental-features = nix-command flakes" } as const;

/** A `fedi.config.ts` for the fleet (its spec and the probe app), and how to change or remove it. */
export interface FleetConfig {
  /** The config file's path. */
  config: string;
  /** The folder that holds it (a config's relative paths, e.g. `machines/<name>/...`, are under it). */
  dir: string;
  /** Writes the config again with another spec (e.g. the fleet's spec with an instance removed). */
  write(spec: unknown): Promise<void>;
  /** Removes the folder. */
  dispose(): Promise<void>;
}

/**
 * Writes the fleet's config the way a user's project has it: `defineDeployment` from `@fediversity/cli` with the
 * probe app as a plugin. The folder lies inside the repository so that the config resolves the workspace packages
 * as a user's project would (a folder under the system's temp folder would not find them).
 */
export async function writeFleetConfig(fleet: Fleet): Promise<FleetConfig> {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const dir = await mkdtemp(join(here, ".work-"));
  const config = join(dir, "fedi.config.ts");
  const write = (spec: unknown) =>
    writeFile(
      config,
      [
        'import { defineDeployment } from "@fediversity/cli";',
        `import { probeApp } from ${JSON.stringify(join(here, "probe-app.ts"))};`,
        `export default defineDeployment({ ...${JSON.stringify(spec)}, plugins: [probeApp(${fleet.healthPort})] });`,
        "",
      ].join("\n"),
    );
  await write(fleet.spec());
  return { config, dir, write, dispose: () => rm(dir, { recursive: true, force: true }) };
}
