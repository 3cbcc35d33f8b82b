import { randomBytes } from "node:crypto";
import { deploymentFiles } from "@fediversity/core";
import { type NixInput, nix, nixEvalJson, nixParse, printNix } from "@fediversity/core/nix";
import { requireNix, secretLookingValues } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { iptablesCommands, nftablesRules } from "../src/index.js";
import { type NodeCall, planGarage, singleNodeSpec, threeNodeSpec } from "./plugin-helpers.js";

/** Evaluated module data, checked value by value in the tests. */
type Evaluated = any;

interface FirewallConfig {
  /** `networking.firewall.backend`; absent on NixOS releases without it. */
  backend?: "iptables" | "nftables";
  /** `networking.nftables.enable`. */
  nftables: boolean;
}

/**
 * Evaluates a module body with the real Nix: `lib.mkIf c v` becomes `{ _if = c; content = v; }`, `lib.mkDefault v`
 * becomes `{ _default = v; }`, `pkgs.garage_N` the string "pkgs.garage_N".
 */
async function evalBody(
  body: NixInput,
  fw: FirewallConfig = { backend: "iptables", nftables: false },
): Promise<Evaluated> {
  const config: NixInput = {
    networking: { firewall: fw.backend ? { backend: fw.backend } : {}, nftables: { enable: fw.nftables } },
  };
  const expr = nix.let(
    {
      lib: {
        mkIf: nix.lambda(
          "cond",
          nix.lambda("content", nix.attrs({ _if: nix.ref("cond"), content: nix.ref("content") })),
        ),
        mkDefault: nix.lambda("content", nix.attrs({ _default: nix.ref("content") })),
      },
      pkgs: { garage_1: "pkgs.garage_1", garage_2: "pkgs.garage_2" },
      config,
    },
    nix.apply(
      nix.lambda({ args: ["config", "lib", "pkgs"], ellipsis: true }, body),
      nix.attrs({}, { inherit: [{ names: ["config", "lib", "pkgs"] }] }),
    ),
  );
  return nixEvalJson(printNix(expr));
}

let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
});

describe("single-node deployment (the MVP)", () => {
  it("configures services.garage with the package, factor 1, localhost admin and the env file", async (t) => {
    if (!hasNix) t.skip();
    const { calls } = planGarage(singleNodeSpec());
    const value = await evalBody(calls.get("allinone")!.body);
    expect(value.services.garage).toEqual({
      enable: true,
      package: "pkgs.garage_2",
      environmentFile: "/run/fediversity/secrets/storage-env",
      settings: {
        replication_factor: 1,
        consistency_mode: "consistent",
        db_engine: "lmdb",
        metadata_dir: "/var/lib/garage/meta",
        data_dir: "/var/lib/garage/data",
        rpc_bind_addr: "[::]:3901",
        rpc_public_addr: "10.0.0.10:3901",
        s3_api: { api_bind_addr: "[::]:3900", s3_region: "garage" },
        s3_web: { bind_addr: "[::]:3902", root_domain: ".web.example.org" },
        admin: { api_bind_addr: "127.0.0.1:3903" },
      },
    });
    // No peers and the services run on the node itself: no address rules, only nginx's ports.
    expect(value.networking.firewall).toEqual({ allowedTCPPorts: [80, 443] });
    expect(value.services.nginx.virtualHosts).toEqual({
      "mvp-social-media.web.example.org": {
        enableACME: true,
        forceSSL: true,
        locations: { "/": { proxyPass: "http://127.0.0.1:3902", recommendedProxySettings: true } },
      },
    });
    expect(value.security.acme).toEqual({
      acceptTerms: { _default: true },
      defaults: { email: { _default: "ops@example.org" } },
    });
    // (nginx's `proxyPass` is left out: the core heuristic reads "pass" in it as a password.)
    expect(secretLookingValues({ garage: value.services.garage, networking: value.networking })).toEqual([]);
  });

  it("switches to Garage 1, sqlite, other ports and no web endpoint", async (t) => {
    if (!hasNix) t.skip();
    const spec = singleNodeSpec({
      garageVersion: 1,
      dbEngine: "sqlite",
      ports: { s3: 9000, rpc: 9001, admin: 9003 },
      s3Region: "eu-1",
    });
    delete (spec.storage as { options: Record<string, unknown> }).options.webRootDomain;
    const { calls } = planGarage(spec);
    const value = await evalBody(calls.get("allinone")!.body);
    expect(value.services.garage.package).toBe("pkgs.garage_1");
    expect(value.services.garage.settings).toMatchObject({
      db_engine: "sqlite",
      rpc_bind_addr: "[::]:9001",
      rpc_public_addr: "10.0.0.10:9001",
      s3_api: { api_bind_addr: "[::]:9000", s3_region: "eu-1" },
      admin: { api_bind_addr: "127.0.0.1:9003" },
    });
    expect(value.services.garage.settings.s3_web).toBeUndefined();
    expect(value.services.nginx).toBeUndefined();
    expect(value.networking).toBeUndefined();
  });
});

describe("three nodes in three zones", () => {
  let calls: Map<string, NodeCall>;
  let values: Record<string, Evaluated>;
  beforeAll(async () => {
    if (!hasNix) return;
    calls = planGarage(threeNodeSpec()).calls;
    values = {};
    for (const [name, call] of calls) values[name] = await evalBody(call.body);
  });

  it("gives every node the same factor and its own public RPC address", (t) => {
    if (!hasNix) t.skip();
    expect(Object.keys(values).sort()).toEqual(["store-a", "store-b", "store-c"]);
    const settings = (n: string) => values[n].services.garage.settings;
    expect(["store-a", "store-b", "store-c"].map((n) => settings(n).replication_factor)).toEqual([3, 3, 3]);
    expect(["store-a", "store-b", "store-c"].map((n) => settings(n).rpc_public_addr)).toEqual([
      "10.0.1.1:3901",
      "10.0.1.2:3901",
      "[2001:db8::3]:3901",
    ]);
    for (const n of ["store-a", "store-b", "store-c"]) {
      expect(settings(n).admin).toEqual({ api_bind_addr: "127.0.0.1:3903" });
      expect(settings(n).s3_api.root_domain).toBe(".s3.example.org");
      expect(settings(n).bootstrap_peers).toBeUndefined();
      expect(values[n].services.garage.environmentFile).toBe("/run/fediversity/secrets/storage-env");
      expect(secretLookingValues({ garage: values[n].services.garage, networking: values[n].networking })).toEqual([]);
    }
  });

  it("opens RPC to the other nodes and S3 to the service machine only, for the iptables backend", (t) => {
    if (!hasNix) t.skip();
    const fw = values["store-a"].networking.firewall;
    expect(fw.extraCommands._if).toBe(true);
    expect(fw.extraInputRules._if).toBe(false);
    expect(fw.extraCommands.content.split("\n").filter((l: string) => l && !l.startsWith("#"))).toEqual([
      "iptables -w -A nixos-fw -p tcp -s 10.0.1.2 --dport 3901 -j nixos-fw-accept",
      "ip6tables -w -A nixos-fw -p tcp -s 2001:db8::3 --dport 3901 -j nixos-fw-accept",
      "iptables -w -A nixos-fw -p tcp -s 10.0.2.1 --dport 3900 -j nixos-fw-accept",
    ]);
    expect(fw.extraCommands.content).not.toContain("10.0.1.1 ");
    expect(fw.allowedTCPPorts).toEqual([80, 443]);
    // Only the web node (the first by name) runs the nginx proxy.
    expect(values["store-b"].services.nginx).toBeUndefined();
    expect(values["store-b"].networking.firewall.allowedTCPPorts).toBeUndefined();
    expect(values["store-c"].networking.firewall.extraCommands.content).toContain("-s 10.0.1.1 --dport 3901");
  });

  it("writes nftables rules when the machine uses the nftables backend (with or without the backend option)", async (t) => {
    if (!hasNix) t.skip();
    for (const fw of [{ backend: "nftables", nftables: true }, { nftables: true }] as FirewallConfig[]) {
      const value = await evalBody(calls.get("store-c")!.body, fw);
      const rules = value.networking.firewall;
      expect(rules.extraCommands._if).toBe(false);
      expect(rules.extraInputRules._if).toBe(true);
      expect(rules.extraInputRules.content.trim().split("\n")).toEqual([
        'ip saddr { 10.0.1.1, 10.0.1.2 } tcp dport 3901 accept comment "Garage RPC from the other storage nodes"',
        'ip saddr { 10.0.2.1 } tcp dport 3900 accept comment "Garage S3 API from the service machines"',
      ]);
    }
  });

  it("opens ports to everyone with firewall 'open' or publicS3, and nothing with 'none'", async (t) => {
    if (!hasNix) t.skip();
    const open = await evalBody(
      planGarage(threeNodeSpec({ firewall: "open", webProxy: "none" })).calls.get("store-b")!.body,
    );
    expect(open.networking.firewall).toEqual({ allowedTCPPorts: [3900, 3901, 3902] });
    const publicS3 = await evalBody(planGarage(threeNodeSpec({ publicS3: true })).calls.get("store-b")!.body);
    expect(publicS3.networking.firewall.allowedTCPPorts).toEqual([3900]);
    expect(publicS3.networking.firewall.extraCommands.content).not.toContain("--dport 3900");
    const none = await evalBody(planGarage(threeNodeSpec({ firewall: "none" })).calls.get("store-a")!.body);
    expect(none.networking).toBeUndefined();
    expect(none.services.nginx.enable).toBe(true);
  });
});

describe("generated files", () => {
  it("parse with the real Nix, for every machine of both deployments", async (t) => {
    if (!hasNix) t.skip();
    for (const spec of [singleNodeSpec(), threeNodeSpec()]) {
      const { plan } = planGarage(spec);
      for (const m of plan.machines) await nixParse(m.nixosModule);
    }
  });

  it("hold no secret value: canaries generated for every declared secret appear in no file", () => {
    for (const spec of [singleNodeSpec(), threeNodeSpec()]) {
      const { plan } = planGarage(spec);
      const canaries = plan.secrets.map((s) => `canary-${s.name}-${randomBytes(16).toString("hex")}`);
      expect(plan.secrets.map((s) => s.name)).toEqual(
        expect.arrayContaining(["storage.rpc-secret", "storage.admin-token"]),
      );
      for (const [path, text] of deploymentFiles(plan)) {
        for (const canary of canaries) expect(text, path).not.toContain(canary);
        expect(text, path).not.toMatch(/rpc_secret|admin_token|metrics_token|GARAGE_RPC_SECRET=/);
        // plan.json holds configuration hashes (64 hex characters too); the Nix files hold nothing of that shape.
        if (path.endsWith(".nix")) expect(text, path).not.toMatch(/\b[0-9a-f]{64}\b/);
      }
    }
  });
});

describe("firewall rule text", () => {
  const m = (name: string, host: string) => ({
    name,
    host,
    system: "x86_64-linux",
    cpus: 1,
    memoryMiB: 1,
    diskGiB: 1,
    roles: [],
  });
  it("uses ip6tables and ip6 for IPv6 sources and writes nothing for empty rules", () => {
    const rules = [{ port: 3901, what: "rpc", sources: [m("a", "192.0.2.1"), m("b", "2001:db8::1")] }];
    expect(iptablesCommands(rules)).toBe(
      "# rpc (port 3901)\niptables -w -A nixos-fw -p tcp -s 192.0.2.1 --dport 3901 -j nixos-fw-accept\nip6tables -w -A nixos-fw -p tcp -s 2001:db8::1 --dport 3901 -j nixos-fw-accept\n",
    );
    expect(nftablesRules(rules)).toBe(
      'ip saddr { 192.0.2.1 } tcp dport 3901 accept comment "rpc"\nip6 saddr { 2001:db8::1 } tcp dport 3901 accept comment "rpc"\n',
    );
    expect(iptablesCommands([])).toBe("");
    expect(nftablesRules([{ port: 1, what: "x", sources: [] }])).toBe("");
  });
});
