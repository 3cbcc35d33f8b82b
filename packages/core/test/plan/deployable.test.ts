// The planner refuses a machine whose new configuration would not boot or would lock the operator out: one
// MACHINE_NOT_DEPLOYABLE error listing every problem of every machine, each with its own code, path and hint.
import { describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  type FediError,
  isFediError,
  type NixosImports,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);

/** A machine as it is before `fedi adopt`: only what the SDK needs to reach it. */
function bare(name: string, host: string, extra: Record<string, unknown> = {}) {
  const { stateVersion: _s, boot: _b, nixos: _n, ...m } = machine(name, host);
  return { ...m, ssh: { hostPublicKey: m.ssh.hostPublicKey }, ...extra };
}

function refusal(machines: unknown[], imports?: NixosImports): FediError {
  try {
    createPlanFromUnknown({
      spec: { name: "prod", machines, storage: { kind: "toystore" } },
      registry,
      ...(imports ? { imports } : {}),
    });
  } catch (error) {
    if (isFediError(error)) return error;
    throw error;
  }
  throw new Error("the plan was not refused");
}

const hardware = (text: string): NixosImports =>
  new Map([["hw.nix", { ok: true, text, sha256: "0".repeat(64), parseChecked: false }]]);

describe("plan refuses undeployable machines", () => {
  it("lists every problem of every machine at once, each with its code, path and a hint naming fedi adopt", () => {
    const error = refusal([bare("web1", "10.0.0.1"), machine("ok", "10.0.0.2"), bare("web2", "10.0.0.3")]);
    expect(error.code).toBe("MACHINE_NOT_DEPLOYABLE");
    expect(error.message).toMatch(/^2 machines cannot be deployed/);
    const issues = error.issues.map((i) => [i.path, i.code]);
    expect(issues).toEqual([
      ["machines[0].nixosImports", "MACHINE_NO_ROOT_FILE_SYSTEM"],
      ["machines[0].boot", "MACHINE_NO_BOOT_LOADER"],
      ["machines[0].stateVersion", "MACHINE_NO_STATE_VERSION"],
      ["machines[0].ssh.authorizedKeys", "MACHINE_NO_AUTHORIZED_KEY"],
      ["machines[2].nixosImports", "MACHINE_NO_ROOT_FILE_SYSTEM"],
      ["machines[2].boot", "MACHINE_NO_BOOT_LOADER"],
      ["machines[2].stateVersion", "MACHINE_NO_STATE_VERSION"],
      ["machines[2].ssh.authorizedKeys", "MACHINE_NO_AUTHORIZED_KEY"],
    ]);
    for (const issue of error.issues) {
      const name = issue.path.startsWith("machines[0]") ? "web1" : "web2";
      expect(issue.hint).toContain(`fedi adopt ${name}`);
      expect(issue.message).toContain(`'${name}'`);
    }
    expect(error.describe()).toContain("    hint: Run `fedi adopt web1`");
  });

  it('MACHINE_NO_ROOT_FILE_SYSTEM: neither nixos data nor an imported file sets fileSystems."/"', () => {
    const error = refusal([machine("box", "10.0.0.1", { nixos: { fileSystems: null } })]);
    expect(error.issues.map((i) => i.code)).toEqual(["MACHINE_NO_ROOT_FILE_SYSTEM"]);
    expect(error.issues[0]!.path).toBe("machines[0].nixosImports");
    expect(error.issues[0]!.hint).toMatch(/fedi adopt box.*hardware-configuration\.nix/);
    // an imported file that sets only /boot does not count; one that sets / does (a textual check)
    const withBoot = { nixos: { fileSystems: null }, nixosImports: ["hw.nix"] };
    expect(
      refusal([machine("box", "10.0.0.1", withBoot)], hardware('{ fileSystems."/boot".device = "/dev/vda1"; }')).issues,
    ).toHaveLength(1);
    expect(() =>
      createPlanFromUnknown({
        spec: { name: "prod", machines: [machine("box", "10.0.0.1", withBoot)], storage: { kind: "toystore" } },
        registry,
        imports: hardware(
          '{ ... }:\n{\n  fileSystems."/" =\n    { device = "/dev/disk/by-uuid/x";\n      fsType = "ext4";\n    };\n}\n',
        ),
      }),
    ).not.toThrow();
    // a commented-out line is not a definition
    expect(
      refusal([machine("box", "10.0.0.1", withBoot)], hardware('{ # fileSystems."/".device = "/dev/vda1";\n}'))
        .issues[0]!.code,
    ).toBe("MACHINE_NO_ROOT_FILE_SYSTEM");
  });

  it("MACHINE_NO_BOOT_LOADER: no boot, and no boot.loader in nixos data or an imported file", () => {
    const error = refusal([machine("box", "10.0.0.1", { boot: undefined })]);
    expect(error.issues.map((i) => [i.code, i.path])).toEqual([["MACHINE_NO_BOOT_LOADER", "machines[0].boot"]]);
    expect(error.issues[0]!.hint).toContain("fedi adopt box");
    const viaData = {
      boot: undefined,
      nixos: { fileSystems: { "/": { device: "/dev/vda1" } }, boot: { loader: { grub: { devices: ["/dev/vda"] } } } },
    };
    const plan = createPlanFromUnknown({
      spec: { name: "prod", machines: [machine("box", "10.0.0.1", viaData)], storage: { kind: "toystore" } },
      registry,
    });
    expect(plan.machines[0]!.base.boot).toEqual({ loader: "custom" });
    const viaImport = { boot: undefined, nixosImports: ["hw.nix"] };
    expect(() =>
      createPlanFromUnknown({
        spec: { name: "prod", machines: [machine("box", "10.0.0.1", viaImport)], storage: { kind: "toystore" } },
        registry,
        imports: hardware("{\n  boot = {\n    loader.systemd-boot.enable = true;\n  };\n}\n"),
      }),
    ).not.toThrow();
  });

  it("MACHINE_NO_STATE_VERSION: no stateVersion", () => {
    const error = refusal([machine("box", "10.0.0.1", { stateVersion: undefined })]);
    expect(error.issues.map((i) => [i.code, i.path])).toEqual([
      ["MACHINE_NO_STATE_VERSION", "machines[0].stateVersion"],
    ]);
    expect(error.issues[0]!.hint).toContain("fedi adopt box");
  });

  it("MACHINE_NO_AUTHORIZED_KEY: no key for the deploy user (none, or an empty list)", () => {
    for (const keys of [undefined, []]) {
      const error = refusal([
        machine("box", "10.0.0.1", {
          ssh: { hostPublicKey: machine("x", "y").ssh.hostPublicKey, authorizedKeys: keys, user: "deploy" },
        }),
      ]);
      expect(error.issues.map((i) => [i.code, i.path])).toEqual([
        ["MACHINE_NO_AUTHORIZED_KEY", "machines[0].ssh.authorizedKeys"],
      ]);
      expect(error.issues[0]!.message).toContain("'deploy'");
      expect(error.issues[0]!.hint).toContain("fedi adopt box");
    }
  });

  it("stateVersion and boot are checked by the schema", () => {
    const bad = refusal([machine("box", "10.0.0.1", { stateVersion: "25.5", boot: { loader: "grub", devices: [] } })]);
    expect(bad.code).toBe("SPEC_INVALID");
    expect(bad.issues.map((i) => i.path).sort()).toEqual(["machines[0].boot.devices", "machines[0].stateVersion"]);
    const lilo = refusal([machine("box", "10.0.0.1", { boot: { loader: "lilo" } })]);
    expect(lilo.issues.map((i) => i.path)).toEqual(["machines[0].boot.loader"]);
  });

  it("a deployable machine's plan carries its base system settings", () => {
    const plan = createPlanFromUnknown({
      spec: {
        name: "prod",
        machines: [
          machine("box", "10.0.0.1", {
            boot: { loader: "systemd-boot" },
            ssh: {
              port: 2200,
              user: "ops",
              hostPublicKey: machine("x", "y").ssh.hostPublicKey,
              authorizedKeys: [` ${machine("x", "y").ssh.hostPublicKey} me `],
            },
          }),
        ],
        storage: { kind: "toystore" },
      },
      registry,
    });
    expect(plan.machines[0]!.base).toEqual({
      hostName: "box",
      stateVersion: "25.05",
      sshPort: 2200,
      deployUser: "ops",
      authorizedKeys: [`${machine("x", "y").ssh.hostPublicKey} me`],
      boot: { loader: "systemd-boot", efiSysMountPoint: "/boot", canTouchEfiVariables: true },
    });
    expect(plan.machines[0]!.nixosModule).toContain("../nix/fediversity-base.nix");
  });
});
