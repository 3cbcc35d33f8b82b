import { describe, expect, it } from "vitest";
import { createPlan, createRegistry, type FediErrorCode, isFediError } from "../../src/index.js";
import { HOST_KEY, machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);

function base(): any {
  return {
    name: "demo",
    acme: { email: "ops@example.org" },
    machines: [machine("web01", "10.0.0.1"), machine("web02", "10.0.0.2")],
    storage: { kind: "toystore", options: {} },
    services: [
      { name: "social", kind: "webapp", options: { domain: "social.example.org" } },
      { name: "jobs", kind: "worker", options: {} },
    ],
  };
}

type Case = [name: string, mutate: (s: any) => unknown, code: FediErrorCode, path: string];

const cases: Case[] = [
  ["spec is not an object", () => "hello", "SPEC_INVALID", ""],
  ["missing name", (s) => void delete s.name, "SPEC_INVALID", "name"],
  ["name with capitals", (s) => void (s.name = "Demo"), "SPEC_INVALID", "name"],
  ["no machines", (s) => void (s.machines = []), "SPEC_INVALID", "machines"],
  [
    "missing host key",
    (s) => void delete s.machines[0].ssh.hostPublicKey,
    "SPEC_INVALID",
    "machines[0].ssh.hostPublicKey",
  ],
  [
    "host key not base64",
    (s) => void (s.machines[0].ssh.hostPublicKey = "ssh-ed25519 not*base64"),
    "SPEC_INVALID",
    "machines[0].ssh.hostPublicKey",
  ],
  [
    "host key of unknown type",
    (s) => void (s.machines[1].ssh.hostPublicKey = "ssh-foo AAAA"),
    "SPEC_INVALID",
    "machines[1].ssh.hostPublicKey",
  ],
  [
    "host key blob of another type",
    (s) => void (s.machines[0].ssh.hostPublicKey = HOST_KEY.replace("ssh-ed25519", "ssh-rsa")),
    "SPEC_INVALID",
    "machines[0].ssh.hostPublicKey",
  ],
  [
    "host key is a private key",
    (s) => void (s.machines[0].ssh.hostPublicKey = "-----BEGIN OPENSSH PRIVATE KEY-----"),
    "SPEC_INVALID",
    "machines[0].ssh.hostPublicKey",
  ],
  ["port out of range", (s) => void (s.machines[0].ssh.port = 70000), "SPEC_INVALID", "machines[0].ssh.port"],
  ["machine name not a DNS label", (s) => void (s.machines[0].name = "web_01"), "SPEC_INVALID", "machines[0].name"],
  ["machine host empty", (s) => void (s.machines[1].host = ""), "SPEC_INVALID", "machines[1].host"],
  [
    "machine import not a .nix file",
    (s) => void (s.machines[0].nixosImports = ["hardware.txt"]),
    "SPEC_INVALID",
    "machines[0].nixosImports[0]",
  ],
  ["machine host not an IPv6 address", (s) => void (s.machines[1].host = ":::"), "SPEC_INVALID", "machines[1].host"],
  ["machine host with spaces", (s) => void (s.machines[1].host = "a b"), "SPEC_INVALID", "machines[1].host"],
  [
    "negative memory",
    (s) => void (s.machines[0].resources.memoryMiB = -1),
    "SPEC_INVALID",
    "machines[0].resources.memoryMiB",
  ],
  ["fractional cpus", (s) => void (s.machines[0].resources.cpus = 1.5), "SPEC_INVALID", "machines[0].resources.cpus"],
  ["unknown role", (s) => void (s.machines[0].roles = ["database"]), "SPEC_INVALID", "machines[0].roles[0]"],
  ["unknown system", (s) => void (s.machines[0].system = "riscv64-linux"), "SPEC_INVALID", "machines[0].system"],
  ["unknown machine field", (s) => void (s.machines[0].ip = "1.2.3.4"), "SPEC_INVALID", "machines[0]"],
  ["duplicate machine names", (s) => void (s.machines[1].name = "web01"), "SPEC_INVALID", "machines[1].name"],
  ["duplicate machine address", (s) => void (s.machines[1].host = "10.0.0.1"), "SPEC_INVALID", "machines[1].host"],
  ["duplicate instance names", (s) => void (s.services[1].name = "social"), "SPEC_INVALID", "services[1].name"],
  ["reserved instance name", (s) => void (s.services[1].name = "storage"), "SPEC_INVALID", "services[1].name"],
  ["unknown service kind", (s) => void (s.services[0].kind = "friendica"), "PLUGIN_UNKNOWN_KIND", "services[0].kind"],
  ["unknown storage kind", (s) => void (s.storage.kind = "ceph"), "PLUGIN_UNKNOWN_KIND", "storage.kind"],
  [
    "bad plugin option type",
    (s) => void (s.services[0].options.domain = 42),
    "PLUGIN_OPTIONS_INVALID",
    "services[0].options.domain",
  ],
  [
    "missing plugin option",
    (s) => void delete s.services[0].options.domain,
    "PLUGIN_OPTIONS_INVALID",
    "services[0].options.domain",
  ],
  [
    "unknown plugin option",
    (s) => void (s.services[1].options.colour = "red"),
    "PLUGIN_OPTIONS_INVALID",
    "services[1].options",
  ],
  [
    "bad storage option",
    (s) => void (s.storage.options.region = 3),
    "PLUGIN_OPTIONS_INVALID",
    "storage.options.region",
  ],
  ["pin to unknown machine", (s) => void (s.services[0].machine = "web09"), "SPEC_INVALID", "services[0].machine"],
  [
    "duplicate domains",
    (s) => void s.services.push({ name: "social2", kind: "webapp", options: { domain: "social.example.org" } }),
    "ALLOCATION_CONFLICT",
    "services[2].options.domain",
  ],
  [
    "two instances of one kind pinned to one machine",
    (s) => {
      s.services[0].machine = "web02";
      s.services.push({ name: "social2", kind: "webapp", options: { domain: "b.example.org" }, machine: "web02" });
    },
    "PLACEMENT_IMPOSSIBLE",
    "services[2].machine",
  ],
  [
    "impossible capacity",
    (s) => void (s.services[0].options.memoryMiB = 1_000_000),
    "PLACEMENT_IMPOSSIBLE",
    "services[0]",
  ],
  ["service needs TLS without acme", (s) => void delete s.acme, "SPEC_INVALID", "acme"],
  ["acme email invalid", (s) => void (s.acme.email = "nobody"), "SPEC_INVALID", "acme.email"],
  [
    "pinned to a dedicated storage node",
    (s) => {
      s.machines.push(machine("store01", "10.0.0.3", { roles: ["storage"] }));
      s.services[0].machine = "store01";
    },
    "PLACEMENT_IMPOSSIBLE",
    "services[0].machine",
  ],
  [
    "no machine may host services",
    (s) => {
      for (const m of s.machines) m.roles = ["storage"];
    },
    "PLACEMENT_IMPOSSIBLE",
    "services[0]",
  ],
  ["services is not a list", (s) => void (s.services = {}), "SPEC_INVALID", "services"],
  [
    "machine extra nixos with a function",
    (s) => void (s.machines[0].nixos = { ...s.machines[0].nixos, boot: { x: () => 1 } }),
    "SPEC_INVALID",
    "machines[0].nixos",
  ],
];

describe("malformed specs", () => {
  it("has at least 30 cases", () => expect(cases.length).toBeGreaterThanOrEqual(30));

  it.each(cases)("%s", (_name, mutate, code, path) => {
    const spec = base();
    const replaced = mutate(spec);
    let error: unknown;
    try {
      createPlan({ spec: replaced === undefined ? spec : replaced, registry });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error), `expected a FediError, got ${String(error)}`).toBe(true);
    if (!isFediError(error)) return;
    expect(error.code).toBe(code);
    const paths = error.issues.map((i) => i.path);
    expect(paths, error.describe()).toContain(path);
    expect(error.describe()).not.toMatch(/\n\s+at /); // no stack trace in what people read
  });
});
