// machines[].nixos may not touch option paths the SDK generates for the machine: the walk of module bodies (data and
// printer nodes), the comparison (same path, one inside the other, lists that concatenate), hostile attribute names,
// and the refusal through createPlan naming the spec path and what generates the option.
import { describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  definitionsOf,
  type FediError,
  findNixosOverrides,
  nixosOverrideIssues,
  userDefinitionsOf,
} from "../../src/index.js";
import { nix } from "../../src/nix/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);

/** The paths of definitions, dotted (names joined with `/` so a dot inside a name stays visible). */
const paths = (defs: Array<{ path: readonly string[]; kind: string }>) =>
  defs.map((d) => `${d.path.join("/")}:${d.kind}`);

describe("definitionsOf", () => {
  it("walks data and printer nodes, looks through the module-system wrappers, and keeps lists and expressions whole", () => {
    const body = nix.attrs({
      services: {
        a: { enable: nix.mkDefault(true), ports: [1, 2] },
        b: nix.mkIf(nix.ref("config.x"), { enable: true, extra: nix.mkMerge([{ one: 1 }, nix.mkForce({ two: 2 })]) }),
        c: nix.apply("lib.optionalAttrs", true, { hidden: 1 }),
        d: nix.mkOverride(900, nix.list(["x"])),
        e: {},
      },
      "dotted.name": nix.comment("why", "v"),
    });
    expect(paths(definitionsOf(body, "t"))).toEqual([
      "services/a/enable:value",
      "services/a/ports:list",
      "services/b/enable:value",
      "services/b/extra/one:value",
      "services/b/extra/two:value",
      "services/c:value",
      "services/d:list",
      "dotted.name:value",
    ]);
  });

  it("keeps own keys only: names of Object.prototype are names like any other", () => {
    const data = JSON.parse('{"__proto__": {"constructor": {"toString": 1}}, "constructor": [1]}');
    expect(paths(userDefinitionsOf(data))).toEqual(["__proto__/constructor/toString:value", "constructor:list"]);
  });
});

describe("findNixosOverrides", () => {
  const generated = [
    ...definitionsOf(
      {
        services: { web: { enable: true, settings: { a: 1 } } },
        networking: { firewall: { allowedTCPPorts: nix.list([80]) } },
      },
      "the module of web",
    ),
    { path: ["systemd", "services", "installer"], kind: "subtree" as const, by: "the installer" },
  ];
  const hits = (user: unknown) =>
    findNixosOverrides(userDefinitionsOf(user), generated).map((h) => `${h.user.path.join(".")} -> ${h.generated.by}`);

  it.each([
    ["the same leaf", { services: { web: { enable: false } } }, ["services.web.enable -> the module of web"]],
    ["a value where the SDK defines attributes", { services: { web: null } }, ["services.web -> the module of web"]],
    [
      "a leaf inside a leaf",
      { services: { web: { enable: { x: 1 } } } },
      ["services.web.enable.x -> the module of web"],
    ],
    [
      "inside an owned subtree",
      { systemd: { services: { installer: { after: ["x"] } } } },
      ["systemd.services.installer.after -> the installer"],
    ],
    [
      "a scalar where the SDK has a list",
      { networking: { firewall: { allowedTCPPorts: 8080 } } },
      ["networking.firewall.allowedTCPPorts -> the module of web"],
    ],
  ])("refuses %s", (_what, user, expected) => {
    expect(hits(user)).toEqual(expected);
  });

  it.each([
    ["a list added to the SDK's list", { networking: { firewall: { allowedTCPPorts: [8080] } } }],
    ["a sibling of generated options", { services: { web: { package: "x" }, other: { enable: true } } }],
    ["an empty attribute set", { services: { web: {} } }],
    ["the sibling of an owned subtree", { systemd: { services: { mine: { enable: true } } } }],
    ["a name with dots, which is one attribute", { "services.web.enable": false, "services.web": { enable: false } }],
    [
      "names of Object.prototype",
      JSON.parse(
        '{"constructor": 1, "toString": {"x": 1}, "__proto__": {"enable": 1}, "services": {"constructor": 1, "web": {"hasOwnProperty": 1}}}',
      ),
    ],
    ["quoted names", { services: { 'web"': { enable: false }, "web ": { enable: false }, "${web}": 1 } }],
  ])("allows %s", (_what, user) => {
    expect(hits(user)).toEqual([]);
  });

  it("finds prototype names when the SDK generates them (the lookup is by own entries, both ways)", () => {
    const defs = definitionsOf(JSON.parse('{"constructor": {"__proto__": {"a": 1}}}'), "sdk");
    expect(
      findNixosOverrides(userDefinitionsOf(JSON.parse('{"constructor": {"__proto__": {"a": 2}}}')), defs),
    ).toHaveLength(1);
    expect(findNixosOverrides(userDefinitionsOf({ constructor: { other: 1 } }), defs)).toHaveLength(0);
  });

  it("renders issue paths as spec paths, quoting names that need it", () => {
    const issues = nixosOverrideIssues({
      machine: "box",
      nixos: { services: { web: { settings: { a: 2 } } }, x: { "a.b": 1 } },
      path: "machines[3].nixos",
      generated: [...generated, ...definitionsOf({ x: { "a.b": 0 } }, "sdk")],
    });
    expect(issues.map((i) => [i.path, i.code, i.message])).toEqual([
      [
        "machines[3].nixos.services.web.settings.a",
        "NIXOS_OPTION_GENERATED",
        "sets services.web.settings.a, which the module of web already sets on machine 'box'",
      ],
      [
        'machines[3].nixos.x["a.b"]',
        "NIXOS_OPTION_GENERATED",
        "sets x.\"a.b\", which sdk already sets on machine 'box'",
      ],
    ]);
  });
});

describe("createPlan refuses machines[].nixos settings the SDK generates", () => {
  const plan = (nixos: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    createPlanFromUnknown({
      spec: {
        name: "prod",
        acme: { email: "ops@example.org" },
        machines: [machine("box", "10.0.0.1", { nixos, ...extra })],
        storage: { kind: "toystore" },
        services: [{ name: "web", kind: "webapp", options: { domain: "web.example.org" } }],
      },
      registry,
    });
  const refusal = (nixos: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    try {
      plan(nixos, extra);
    } catch (error) {
      return error as FediError;
    }
    throw new Error("expected a refusal");
  };

  it("names the spec path and the plugin module that sets the option", () => {
    const error = refusal({ services: { webapp: { enable: false } } });
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.message).toBe("machines[0].nixos sets an option the SDK generates for machine 'box'.");
    expect(error.issues).toEqual([
      {
        path: "machines[0].nixos.services.webapp.enable",
        code: "NIXOS_OPTION_GENERATED",
        message: "sets services.webapp.enable, which the module of web (webapp) already sets on machine 'box'",
      },
    ]);
    expect(error.hint).toMatch(/through the spec/);
  });

  it.each([
    [{ networking: { hostName: "other" } }, "networking.hostName", /base system module \(nix\/fediversity-base\.nix\)/],
    [{ system: { stateVersion: "24.05" } }, "system.stateVersion", /base system module/],
    [{ services: { openssh: { enable: false } } }, "services.openssh.enable", /base system module/],
    [{ fediversity: { base: { sshPort: 2200 } } }, "fediversity.base.sshPort", /the SDK's own options/],
    [
      { security: { acme: { defaults: { email: "x@example.org" } } } },
      "security.acme.defaults.email",
      /generated machine module \(machines\/box\.nix\)/,
    ],
    [{ nixpkgs: { hostPlatform: "aarch64-linux" } }, "nixpkgs.hostPlatform", /generated machine module/],
    [{ boot: { loader: { grub: { enable: false } } } }, "boot.loader.grub.enable", /base system module/],
    [
      { systemd: { services: { "fediversity-secrets": { enable: false } } } },
      'systemd.services["fediversity-secrets"].enable',
      /secrets installer/,
    ],
    [{ services: { toystore: { region: "eu" } } }, "services.toystore.region", /storage \(toystore\)/],
  ])("refuses %j", (nixos, path, by) => {
    const error = refusal(nixos);
    expect(error.issues?.map((i) => i.path)).toEqual([`machines[0].nixos.${path}`]);
    expect(error.issues?.[0]?.message).toMatch(by);
  });

  it("refuses the mail host name unless it is set through machines[].mail", () => {
    const nixos = { services: { postfix: { settings: { main: { myhostname: "x.example.org" } } } } };
    expect(() => plan(nixos)).not.toThrow(); // no local mail on the machine: the SDK sets nothing there
    expect(refusal(nixos, { mail: { hostName: "mail.example.org" } }).issues?.[0]?.path).toBe(
      "machines[0].nixos.services.postfix.settings.main.myhostname",
    );
  });

  it("allows what the SDK leaves alone, and lists it adds to", () => {
    const p = plan({
      networking: { firewall: { allowedTCPPorts: [8080] }, interfaces: { eth0: { useDHCP: true } } },
      services: { openssh: { ports: [2222] }, webapp: { package: "x" } },
      users: { users: { root: { openssh: { authorizedKeys: { keys: ["ssh-ed25519 AAAA x"] } } } } },
      time: { timeZone: "Europe/Amsterdam" },
      constructor: { prototype: 1 },
    });
    expect(p.machines[0]!.nixosModule).toContain("Europe/Amsterdam");
  });

  it("checks the deploy user the spec names, and boot options only for the loader the spec sets", () => {
    const nonRoot = { ssh: { user: "deploy" } };
    expect(refusal({ users: { users: { deploy: { isNormalUser: false } } } }, nonRoot).issues?.[0]?.path).toBe(
      "machines[0].nixos.users.users.deploy.isNormalUser",
    );
    expect(() => plan({ users: { users: { deploy: { isNormalUser: false } } } })).not.toThrow();
    expect(() => plan({ boot: { loader: { grub: { enable: true } } } }, { boot: { loader: "custom" } })).not.toThrow();
  });
});
