// The SDK's static NixOS modules (nix/fediversity-base.nix, nix/fediversity-secrets.nix): they parse with the real
// Nix, and — evaluated by the real nix-instantiate with the module-system double (test/doubles/module-system.nix)
// on a generated machine module — they set the NixOS options a deployable machine needs.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  deploymentFiles,
  hasErrorCode,
  SECRET_DIRS,
  STATIC_NIX_FILES,
  staticNixDir,
  staticNixModules,
  writeDeploymentDir,
} from "../../src/index.js";
import { nixEvalJson, nixParse, printNix, toNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/index.js";
import { AUTHORIZED_KEY, HOST_KEY, machine, testPlugins } from "../fixtures/plugins.js";

const HARNESS = resolve(import.meta.dirname, "../doubles/module-system.nix");
const REPO_NIX = resolve(import.meta.dirname, "../../../../nix");
const registry = createRegistry(testPlugins);
const run = promisify(execFile);
/** A Nix string literal, through the printer. */
const nixString = (s: string) => printNix(toNix(s));

let hasNix = false;
let dir: string;
beforeAll(async () => {
  hasNix = await requireNix();
  dir = await mkdtemp(join(tmpdir(), "fedi-static-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Evaluates `select` (a Nix function of the merged config) over the given modules with the module-system double.
 * Options no definition survives for (e.g. under a false `mkIf`) are left out, as NixOS leaves them undefined.
 */
async function evaluate(modules: string[], select: string, options: { prune?: boolean } = {}): Promise<any> {
  const prune = `let
    isSet = v: builtins.isAttrs v && !(v ? outPath);
    prune = v: if isSet v then builtins.listToAttrs (builtins.concatMap (n:
      let r = builtins.tryEval v.\${n}; p = prune r.value; in
      if r.success && !(isSet r.value && r.value != { } && p == { }) then [ { name = n; value = p; } ] else [ ]
    ) (builtins.attrNames v)) else v;
  in prune`;
  const config = options.prune === false ? "config" : `((${prune}) config)`;
  return nixEvalJson(
    `let config = import ${nixString(HARNESS)} { modules = [ ${modules.join(" ")} ]; pkgs = { coreutils = { outPath = "/nix/store/coreutils"; }; }; }; in (${select}) ${config}`,
  );
}

const baseModules = (settings: string) => [
  nixString(join(REPO_NIX, "fediversity-base.nix")),
  nixString(join(REPO_NIX, "fediversity-secrets.nix")),
  `{ fediversity.base = ${settings}; }`,
];

/** A plan of one machine (the test plugins' storage on it), written to a fresh deployment folder. */
async function planned(extra: Record<string, unknown>) {
  const out = await mkdtemp(join(dir, "deploy-"));
  const plan = createPlanFromUnknown({
    spec: { name: "prod", machines: [machine("box", "10.0.0.1", extra)], storage: { kind: "toystore" } },
    registry,
  });
  await writeDeploymentDir(out, deploymentFiles(plan));
  return { plan, machineFile: nixString(join(out, "machines/box.nix")) };
}

const SELECT = `c: {
  hostName = c.networking.hostName;
  stateVersion = c.system.stateVersion;
  openssh = c.services.openssh;
  users = c.users.users;
  sudo = c.security.sudo.extraRules or null;
  trustedUsers = c.nix.settings.trusted-users or null;
  boot = c.boot.loader;
}`;

describe("static NixOS modules", () => {
  it("are found in the repository's nix/ from the sources, and both parse with the real Nix", async (ctx) => {
    expect(staticNixDir()).toBe(REPO_NIX);
    const files = staticNixModules();
    expect([...files.keys()].sort()).toEqual(Object.values(STATIC_NIX_FILES).sort());
    for (const rel of files.keys()) expect(files.get(rel)).toBe(await readFile(join(REPO_NIX, rel.slice(4)), "utf8"));
    if (!hasNix) ctx.skip();
    for (const text of files.values()) await nixParse(text);
  });

  it("a generated machine with a non-root deploy user gets sshd on its port, keys, sudo, trusted user, GRUB", async (ctx) => {
    if (!hasNix) ctx.skip();
    const { machineFile } = await planned({
      ssh: { hostPublicKey: HOST_KEY, user: "deploy", port: 2222, authorizedKeys: [AUTHORIZED_KEY] },
      stateVersion: "24.11",
      boot: { loader: "grub", devices: ["/dev/vda", "/dev/vdb"] },
    });
    const v = await evaluate([machineFile], SELECT);
    expect(v.hostName).toBe("box");
    expect(v.stateVersion).toBe("24.11");
    expect(v.openssh).toEqual({
      enable: true,
      ports: [2222],
      openFirewall: true,
      settings: {
        PasswordAuthentication: false,
        KbdInteractiveAuthentication: false,
        PermitRootLogin: "prohibit-password",
      },
    });
    expect(v.users).toEqual({
      deploy: { isNormalUser: true, openssh: { authorizedKeys: { keys: [AUTHORIZED_KEY] } } },
    });
    expect(v.sudo).toEqual([{ users: ["deploy"], commands: [{ command: "ALL", options: ["NOPASSWD"] }] }]);
    expect(v.trustedUsers).toEqual(["deploy"]);
    expect(v.boot).toEqual({ grub: { enable: true, devices: ["/dev/vda", "/dev/vdb"] } });
  });

  it("root as deploy user: keys for root, no sudo rule, no extra trusted user; systemd-boot with EFI settings", async (ctx) => {
    if (!hasNix) ctx.skip();
    const { machineFile } = await planned({
      boot: { loader: "systemd-boot", efiSysMountPoint: "/efi", canTouchEfiVariables: false },
    });
    const v = await evaluate([machineFile], SELECT);
    expect(v.openssh.ports).toEqual([22]);
    expect(v.users).toEqual({ root: { openssh: { authorizedKeys: { keys: [AUTHORIZED_KEY] } } } });
    expect(v.sudo).toBeNull(); // no rule: root needs none
    expect(v.trustedUsers).toBeNull(); // NixOS' own ["root"] stays as it is
    expect(v.boot).toEqual({
      "systemd-boot": { enable: true },
      efi: { efiSysMountPoint: "/efi", canTouchEfiVariables: false },
    });
  });

  it("grub-efi installs GRUB for EFI, in the removable path when EFI variables are off limits", async (ctx) => {
    if (!hasNix) ctx.skip();
    const select = `c: { grub = c.boot.loader.grub; efi = c.boot.loader.efi; }`;
    const touch = await evaluate(
      baseModules(`{ hostName = "a"; stateVersion = "25.05"; boot = { loader = "grub-efi"; }; }`),
      select,
    );
    expect(touch).toEqual({
      grub: { enable: true, efiSupport: true, devices: ["nodev"], efiInstallAsRemovable: false },
      efi: { efiSysMountPoint: "/boot", canTouchEfiVariables: true },
    });
    const removable = await evaluate(
      baseModules(
        `{ hostName = "a"; stateVersion = "25.05"; boot = { loader = "grub-efi"; canTouchEfiVariables = false; }; }`,
      ),
      select,
    );
    expect(removable.grub.efiInstallAsRemovable).toBe(true);
    expect(removable.efi.canTouchEfiVariables).toBe(false);
  });

  it("custom boot sets no boot.loader option; the machine's own modules do", async (ctx) => {
    if (!hasNix) ctx.skip();
    const v = await evaluate(
      [
        ...baseModules(`{ hostName = "a"; stateVersion = "25.05"; boot.loader = "custom"; }`),
        `{ boot.loader.grub.devices = [ "/dev/sda" ]; }`,
      ],
      `c: c.boot.loader`,
    );
    expect(v).toEqual({ grub: { devices: ["/dev/sda"] } });
  });

  it("the options are typed: a malformed stateVersion or host name is refused by Nix", async (ctx) => {
    if (!hasNix) ctx.skip();
    await expect(
      evaluate(baseModules(`{ hostName = "a"; stateVersion = "25.5"; }`), "c: c.system.stateVersion", { prune: false }),
    ).rejects.toThrow(/fediversity\.base\.stateVersion' is not of type/);
    await expect(
      evaluate(baseModules(`{ hostName = "A B"; stateVersion = "25.05"; }`), "c: c.networking.hostName", {
        prune: false,
      }),
    ).rejects.toThrow(/fediversity\.base\.hostName' is not of type/);
    await expect(
      evaluate(
        baseModules(`{ hostName = "a"; stateVersion = "25.05"; authorizedKeys = [ "k\\nssh-rsa x" ]; }`),
        "c: c.users.users.root.openssh",
        { prune: false },
      ),
    ).rejects.toThrow(/authorizedKeys' is not of type/);
  });

  it("a key comment with quotes, dollar-braces and backslashes stays data; a newline is refused with its spec path", async (ctx) => {
    const hostile = `${HOST_KEY} "op" \${builtins.abort "x"} $(touch /tmp/pwned) \\ \`id\` ''\${x}`;
    if (hasNix) {
      const { machineFile } = await planned({ ssh: { hostPublicKey: HOST_KEY, authorizedKeys: [hostile] } });
      expect(await evaluate([machineFile], "c: c.users.users.root.openssh.authorizedKeys.keys")).toEqual([hostile]);
    }
    let error: unknown;
    try {
      createPlanFromUnknown({
        spec: {
          name: "prod",
          machines: [
            machine("box", "10.0.0.1", { ssh: { hostPublicKey: HOST_KEY, authorizedKeys: [`${HOST_KEY} a\nb`] } }),
          ],
          storage: { kind: "toystore" },
        },
        registry,
      });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "SPEC_INVALID")).toBe(true);
    expect((error as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toEqual([
      "machines[0].ssh.authorizedKeys[0]",
    ]);
    if (!hasNix) ctx.skip();
  });

  it("the secrets module keeps its options and defaults; one installer unit per file, ordered before its readers", async (ctx) => {
    if (!hasNix) ctx.skip();
    const v = await evaluate(
      [
        nixString(join(REPO_NIX, "fediversity-secrets.nix")),
        `{ fediversity.secrets.files = { "app-env" = { owner = "root"; mode = "0440"; neededBy = [ "app.service" "web.service" ]; }; "db-key" = { owner = "db"; neededBy = [ "db.service" ]; }; }; }`,
      ],
      `c: { files = c.fediversity.secrets.files; services = c.systemd.services; rules = c.systemd.tmpfiles.rules; assertions = c.assertions; }`,
    );
    expect(v.files).toEqual({
      "app-env": { owner: "root", group: "root", mode: "0440", neededBy: ["app.service", "web.service"] },
      "db-key": { owner: "db", group: "root", mode: "0400", neededBy: ["db.service"] },
    });
    expect(Object.keys(v.services).sort()).toEqual([
      "fediversity-secret-app-env",
      "fediversity-secret-db-key",
      "fediversity-secrets",
    ]);
    // each file's unit: started at boot and by each reader (Wants=), ordered before the readers (After= on their
    // side), and bound to none of them: no requiredBy/requires/bindsTo/partOf, so restarting it restarts nothing
    const app = v.services["fediversity-secret-app-env"];
    expect(app).toMatchObject({
      wantedBy: ["multi-user.target", "app.service", "web.service"],
      before: ["app.service", "web.service"],
      after: ["local-fs.target", "systemd-tmpfiles-setup.service"],
      serviceConfig: { Type: "oneshot", RemainAfterExit: true },
      path: ["/nix/store/coreutils"],
    });
    expect(v.services["fediversity-secret-db-key"]).toMatchObject({
      wantedBy: ["multi-user.target", "db.service"],
      before: ["db.service"],
    });
    // the cleanup unit runs after every installer, and a failed installer does not stop it (Wants=, not Requires=)
    expect(v.services["fediversity-secrets"]).toMatchObject({
      wantedBy: ["multi-user.target"],
      wants: ["fediversity-secret-app-env.service", "fediversity-secret-db-key.service"],
      after: ["fediversity-secret-app-env.service", "fediversity-secret-db-key.service"],
      serviceConfig: { Type: "oneshot", RemainAfterExit: true },
    });
    for (const unit of Object.values(v.services) as Array<Record<string, unknown>>) {
      for (const binding of ["requiredBy", "requires", "bindsTo", "partOf", "upheldBy", "requisite"])
        expect(unit[binding]).toBeUndefined();
    }
    expect(v.rules).toEqual([`d ${SECRET_DIRS.upload} 0700 root root -`]);
    expect(v.assertions.map((a: { assertion: boolean }) => a.assertion)).toEqual([true, true]);
    // the defaults are the folders the SDK uploads to and the services read from
    const defaults = await evaluate(
      [nixString(join(REPO_NIX, "fediversity-secrets.nix"))],
      `c: { inherit (c.fediversity.secrets) uploadDirectory directory; }`,
    );
    expect(defaults).toEqual({ uploadDirectory: SECRET_DIRS.upload, directory: SECRET_DIRS.installed });
  });

  it("a generated machine gets one installer unit per planned secret file, wanted by and ordered before its readers", async (ctx) => {
    if (!hasNix) ctx.skip();
    const out = await mkdtemp(join(dir, "deploy-"));
    const plan = createPlanFromUnknown({
      spec: {
        name: "prod",
        machines: [machine("box", "10.0.0.1")],
        storage: { kind: "toystore" },
        acme: { email: "ops@example.org", staging: true },
        services: [{ name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } }],
      },
      registry,
    });
    await writeDeploymentDir(out, deploymentFiles(plan));
    const machineFile = nixString(join(out, "machines/box.nix"));
    const files = plan.machines[0]!.secretFiles;
    expect(files.length).toBeGreaterThan(1);
    const v = await evaluate(
      [machineFile],
      `c: builtins.mapAttrs (_: s: { inherit (s) wantedBy; before = s.before or [ ]; }) c.systemd.services`,
    );
    expect(v).toEqual({
      ...Object.fromEntries(
        files.map((f) => [
          `fediversity-secret-${f.name}`,
          { wantedBy: ["multi-user.target", ...f.neededBy], before: f.neededBy },
        ]),
      ),
      "fediversity-secrets": { wantedBy: ["multi-user.target"], before: [] },
    });
  });

  it("the secrets module refuses a file name that cannot be part of a unit name", async (ctx) => {
    if (!hasNix) ctx.skip();
    const v = await evaluate(
      [
        nixString(join(REPO_NIX, "fediversity-secrets.nix")),
        `{ fediversity.secrets.files."A b" = { owner = "root"; }; }`,
      ],
      `c: c.assertions`,
    );
    expect(v).toEqual([
      { assertion: false, message: 'fediversity.secrets.files."A b": a file name must match [a-z0-9][a-z0-9._-]*.' },
    ]);
  });

  it("each installer script installs its own file: a missing file or owner fails only that file's unit; cleanup prunes", async (ctx) => {
    if (!hasNix) ctx.skip();
    const root = await mkdtemp(join(dir, "root-"));
    const upload = join(root, "var/lib/fediversity/secrets");
    const installed = join(root, "run/fediversity/secrets");
    await mkdir(upload, { recursive: true });
    await mkdir(installed, { recursive: true });
    await writeFile(join(upload, "app-env"), "A=1\n");
    await writeFile(join(upload, "bad-owner"), "B=2\n");
    // "gone" was never uploaded; "stale" and a temporary file are left from earlier
    await writeFile(join(installed, "stale"), "old\n");
    await writeFile(join(installed, "app-env.tmp"), "half\n");
    await writeFile(join(installed, "gone"), "previous\n");
    const v = await evaluate(
      [
        nixString(join(REPO_NIX, "fediversity-secrets.nix")),
        `{ fediversity.secrets = { uploadDirectory = ${nixString(upload)}; directory = ${nixString(installed)}; files = {
          "app-env" = { owner = "root"; mode = "0440"; neededBy = [ "app.service" ]; };
          "gone" = { owner = "root"; neededBy = [ "gone.service" ]; };
          "bad-owner" = { owner = "no-such-user-fedi"; neededBy = [ "other.service" ]; };
        }; }; }`,
      ],
      `c: builtins.mapAttrs (_: s: s.script) c.systemd.services`,
    );
    const runScript = async (unit: string) => {
      try {
        await run("bash", ["-c", v[unit]]);
        return "ok";
      } catch {
        return "failed";
      }
    };
    // systemd starts the installers independently; their results do not depend on each other or on their order
    expect({
      gone: await runScript("fediversity-secret-gone"),
      badOwner: await runScript("fediversity-secret-bad-owner"),
      app: await runScript("fediversity-secret-app-env"),
    }).toEqual({ gone: "failed", badOwner: "failed", app: "ok" });
    expect(await readFile(join(installed, "app-env"), "utf8")).toBe("A=1\n");
    expect((await stat(join(installed, "app-env"))).mode & 0o777).toBe(0o440);
    // a failed install leaves the earlier file as it was and no temporary file
    expect(await readFile(join(installed, "gone"), "utf8")).toBe("previous\n");
    await expect(stat(join(installed, "bad-owner"))).rejects.toThrow();
    expect(await runScript("fediversity-secrets")).toBe("ok");
    expect((await readdir(installed)).sort()).toEqual(["app-env", "gone"]);
  });
});
