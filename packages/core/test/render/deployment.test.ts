import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPlan,
  createRegistry,
  deploymentFiles,
  type FediError,
  hasErrorCode,
  readMachineImports,
  readNixosImports,
  renderDeployment,
  writeDeploymentDir,
} from "../../src/index.js";
import { nix, nixEvalJson, nixParse, printNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/index.js";
import { AUTHORIZED_KEY, machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);
const spec = (): any => ({
  name: "prod",
  acme: { email: "ops@example.org", staging: true },
  machines: [
    machine("store1", "10.0.1.1", { roles: ["storage"], zone: "a" }),
    machine("web1", "10.0.0.1", {
      ssh: { hostPublicKey: testHostKey(), port: 2222, identityFile: "/home/ops/.ssh/deploy" },
    }),
    machine("web2", "10.0.0.2", { system: "aarch64-linux" }),
  ],
  storage: { kind: "toystore", options: {} },
  services: [
    { name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } },
    { name: "jobs", kind: "worker", options: {} },
  ],
});
const OPTS_22 = "-Fnone -oPort=22 -oGlobalKnownHostsFile=/dev/null -oCheckHostIP=no";
const keyOnly = (line: string) => line.split(" ").slice(0, 2).join(" ");
function testHostKey() {
  return "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8 web1";
}

let dir: string;
let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
  dir = await mkdtemp(join(tmpdir(), "fedi-render-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("deployment directory", () => {
  it("writes every file once, atomically, and rewrites only what changed", async () => {
    const plan = createPlan({ spec: spec(), registry });
    const files = deploymentFiles(plan);
    expect([...files.keys()].sort()).toEqual([
      "deployment.nix",
      "flake.nix",
      "machines/store1.nix",
      "machines/web1.nix",
      "machines/web2.nix",
      "nix/fediversity-base.nix",
      "nix/fediversity-secrets.nix",
      "plan.json",
    ]);
    const first = await writeDeploymentDir(dir, files);
    expect(first.written).toHaveLength(8);
    const again = await writeDeploymentDir(dir, deploymentFiles(createPlan({ spec: spec(), registry })));
    expect(again.written).toEqual([]);
    expect(again.unchanged).toHaveLength(8);

    const changed = spec();
    changed.services[0].options.domain = "alpha2.example.org";
    const third = await writeDeploymentDir(dir, deploymentFiles(createPlan({ spec: changed, registry })));
    expect(third.written).toEqual(["machines/web1.nix", "plan.json"]); // alpha runs on web1

    const fewer = changed;
    fewer.machines.pop();
    const fourth = await writeDeploymentDir(dir, deploymentFiles(createPlan({ spec: fewer, registry })));
    expect(fourth.removed).toEqual(["machines/web2.nix"]);
    await expect(stat(join(dir, "machines/web2.nix"))).rejects.toThrow();
  });

  it("leaves files it did not generate alone", async () => {
    await mkdir(join(dir, "machines"), { recursive: true });
    await writeFile(join(dir, "machines", "hand-written.nix"), "{ }\n");
    const report = await writeDeploymentDir(dir, deploymentFiles(createPlan({ spec: spec(), registry })));
    expect(report.removed).toEqual([]);
    expect(await readFile(join(dir, "machines", "hand-written.nix"), "utf8")).toBe("{ }\n");
  });

  it("every .nix file parses with the real Nix", async (ctx) => {
    if (!hasNix) ctx.skip();
    const files = deploymentFiles(createPlan({ spec: spec(), registry }));
    for (const [path, text] of files) if (path.endsWith(".nix")) await nixParse(text);
  });

  it("pins the flake inputs and declares every machine as a NixOps4 member with its SSH target", async (ctx) => {
    if (!hasNix) ctx.skip();
    const plan = createPlan({ spec: spec(), registry });
    await writeDeploymentDir(dir, deploymentFiles(plan));
    const inputs = await nixEvalJson(
      printNix(
        nix.apply(
          nix.ref("builtins.mapAttrs"),
          nix.lambda("n", nix.lambda("i", nix.ref("i.url"))),
          nix.select(nix.import(nix.path(`${dir}/flake.nix`)), ["inputs"]),
        ),
      ),
    );
    expect(inputs).toEqual({
      nixpkgs: plan.deployment.pins.nixpkgs,
      "flake-parts": plan.deployment.pins.flakeParts,
      nixops4: plan.deployment.pins.nixops4,
      "nixops4-nixos": plan.deployment.pins.nixops4Nixos,
    });
    const stubs = nix.attrs({
      inputs: {
        nixpkgs: "nixpkgs-input",
        nixops4: { modules: { nixops4Provider: { local: "local-provider" } } },
        "nixops4-nixos": { modules: { nixops4Component: { nixos: "nixos-component" } } },
      },
      providers: { local: { exec: "exec-type" } },
    });
    const members = await nixEvalJson(
      printNix(
        nix.apply(
          nix.ref("builtins.mapAttrs"),
          nix.lambda(
            "n",
            nix.lambda(
              "c",
              nix.let(
                { m: nix.ref("c.members.nixos") },
                nix.attrs({
                  ssh: nix.ref("m.ssh"),
                  type: nix.ref("m.type"),
                  nixpkgs: nix.ref("m.nixpkgs"),
                  imports: nix.ref("m.imports"),
                }),
              ),
            ),
          ),
          nix.select(nix.apply(nix.import(nix.path(`${dir}/deployment.nix`)), stubs), ["members"]),
        ),
      ),
    );
    expect(members).toEqual({
      store1: {
        ssh: {
          host: "10.0.1.1",
          user: "root",
          hostPublicKey: keyOnly(plan.machines[0]!.ssh.hostPublicKey),
          opts: OPTS_22,
        },
        type: "exec-type",
        nixpkgs: "nixpkgs-input",
        imports: ["nixos-component"],
      },
      web1: {
        ssh: {
          host: "10.0.0.1",
          user: "root",
          hostPublicKey: keyOnly(testHostKey()), // the comment is left out of the known_hosts line
          opts: "-Fnone -oPort=2222 -oGlobalKnownHostsFile=/dev/null -oCheckHostIP=no -oIdentitiesOnly=yes -oIdentityFile=/home/ops/.ssh/deploy",
        },
        type: "exec-type",
        nixpkgs: "nixpkgs-input",
        imports: ["nixos-component"],
      },
      web2: {
        ssh: {
          host: "10.0.0.2",
          user: "root",
          hostPublicKey: keyOnly(plan.machines[2]!.ssh.hostPublicKey),
          opts: OPTS_22,
        },
        type: "exec-type",
        nixpkgs: "nixpkgs-input",
        imports: ["nixos-component"],
      },
    });
  });

  it("machine modules carry the instances, ports, ACME and secret files, and evaluate", async (ctx) => {
    if (!hasNix) ctx.skip();
    const plan = createPlan({ spec: spec(), registry });
    const web1 = plan.machines.find((m) => m.name === "web1")!;
    await writeFile(join(dir, "web1-module.nix"), web1.nixosModule);
    const lib = nix.attrs({ mkDefault: nix.lambda("x", nix.ref("x")) });
    const value = (await nixEvalJson(
      printNix(
        nix.let(
          {
            m: nix.apply(
              nix.import(nix.path(`${dir}/web1-module.nix`)),
              nix.attrs({ config: nix.attrs({}), lib, pkgs: nix.attrs({}) }),
            ),
          },
          nix.attrs({
            base: nix.ref("m.fediversity.base"),
            platform: nix.ref("m.nixpkgs.hostPlatform"),
            ports: nix.ref("m.networking.firewall.allowedTCPPorts"),
            acme: nix.ref("m.security.acme"),
            files: nix.ref("m.fediversity.secrets.files"),
            importCount: nix.apply(nix.ref("builtins.length"), nix.ref("m.imports")),
          }),
        ),
      ),
    )) as Record<string, unknown>;
    expect(value).toEqual({
      base: {
        hostName: "web1",
        stateVersion: "25.05",
        sshPort: 2222,
        deployUser: "root",
        authorizedKeys: [AUTHORIZED_KEY],
        boot: { loader: "grub", devices: ["/dev/vda"] },
      },
      platform: "x86_64-linux",
      ports: [80, 443],
      acme: {
        acceptTerms: true,
        defaults: { email: "ops@example.org", server: "https://acme-staging-v02.api.letsencrypt.org/directory" },
      },
      files: { "alpha-env": { owner: "webapp", group: "root", mode: "0400", neededBy: ["webapp.service"] } },
      importCount: 4, // base system, secrets installer, alpha (jobs runs on web2), the spec's nixos data
    });
  });

  it("plan.json holds no secret value", async () => {
    const plan = createPlan({ spec: spec(), registry });
    const json = deploymentFiles(plan).get("plan.json")!;
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(plan)));
    // the plan names secrets and how to make them; it has no field that could hold a value
    for (const s of plan.secrets) expect(Object.keys(s).sort()).toEqual(["generate", "name"]);
  });

  it("copies the machines' imported module files (e.g. hardware-configuration.nix) and imports them", async (ctx) => {
    if (!hasNix) ctx.skip();
    const configDir = await mkdtemp(join(tmpdir(), "fedi-config-"));
    const out = await mkdtemp(join(tmpdir(), "fedi-out-"));
    try {
      const hardware = '{ ... }: { fileSystems."/" = { device = "/dev/vda1"; fsType = "ext4"; }; }\n';
      await writeFile(join(configDir, "hardware-configuration.nix"), hardware);
      const s = spec();
      s.machines[1].nixosImports = ["hardware-configuration.nix"];
      delete s.machines[1].nixos; // the root file system now comes from the imported file
      const imports = await readNixosImports(s, configDir);
      const plan = createPlan({ spec: s, registry, imports });
      expect(plan.machines[1]!.nixosImports).toEqual([
        {
          source: "hardware-configuration.nix",
          file: "machines/web1/0-hardware-configuration.nix",
          sha256: createHash("sha256").update(hardware).digest("hex"),
        },
      ]);
      const report = await renderDeployment(plan, { dir: out, configDir });
      expect(report.written).toContain("machines/web1/0-hardware-configuration.nix");
      expect(await readFile(join(out, "machines/web1/0-hardware-configuration.nix"), "utf8")).toBe(hardware);
      expect((await stat(join(out, "machines/web1/0-hardware-configuration.nix"))).mode & 0o777).toBe(0o644);
      const machine = await readFile(join(out, "machines/web1.nix"), "utf8");
      expect(machine).toContain("../machines/web1/0-hardware-configuration.nix");
      const lib = nix.attrs({ mkDefault: nix.lambda("x", nix.ref("x")) });
      // the machine module's first import is the copy, and it evaluates to the user's settings
      const device = await nixEvalJson(
        printNix(
          nix.let(
            {
              m: nix.apply(
                nix.import(nix.path(`${out}/machines/web1.nix`)),
                nix.attrs({ config: nix.attrs({}), lib, pkgs: nix.attrs({}) }),
              ),
            },
            nix.select(
              nix.apply(nix.import(nix.apply(nix.ref("builtins.head"), nix.ref("m.imports"))), nix.attrs({})),
              ["fileSystems", "/", "device"],
            ),
          ),
        ),
      );
      expect(device).toBe("/dev/vda1");

      // dropping the import removes its copy
      const again = await renderDeployment(createPlan({ spec: spec(), registry }), { dir: out, configDir });
      expect(again.removed).toContain("machines/web1/0-hardware-configuration.nix");

      // a file changed after the plan is refused at render time: plan and deployment use the same text
      await writeFile(join(configDir, "hardware-configuration.nix"), hardware.replace("vda1", "vdb1"));
      let error: unknown;
      try {
        await readMachineImports(plan, configDir);
      } catch (e) {
        error = e;
      }
      expect(hasErrorCode(error, "MACHINE_IMPORT_INVALID")).toBe(true);
      expect((error as FediError).issues).toEqual([
        expect.objectContaining({ path: "machines[1].nixosImports[0]", code: "IMPORT_CHANGED" }),
      ]);
    } finally {
      await rm(configDir, { recursive: true, force: true });
      await rm(out, { recursive: true, force: true });
    }
  });
});
