// validateSpec reports every problem of a spec in one pass: schema issues, plugin options, unknown kinds, names and
// references, and nixos secrets, even when other parts of the spec fail the schema, and without noise.
import { describe, expect, it } from "vitest";
import { createRegistry, type FediError, isFediError, validateSpec } from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);

function base(): any {
  return {
    name: "demo",
    acme: { email: "ops@example.org" },
    machines: [machine("web01", "10.0.0.1"), machine("web02", "10.0.0.2")],
    storage: { kind: "toystore", options: {} },
    services: [
      { name: "social", kind: "webapp", options: { domain: "social.example.org" }, machine: "web01" },
      { name: "jobs", kind: "worker", options: {} },
    ],
  };
}

function failure(spec: unknown): FediError {
  try {
    validateSpec(spec, registry);
  } catch (e) {
    if (isFediError(e)) return e;
    throw e;
  }
  throw new Error("validateSpec accepted the spec");
}

const issues = (e: FediError) => e.issues.map((i) => [i.path, i.code]);

describe("validateSpec reports every problem in one pass", () => {
  it("a schema error in machines, a bad plugin option, an unknown kind and a duplicate instance name: all at once", () => {
    const spec = base();
    spec.machines[1].resources.cpus = -1; // schema
    spec.services[0].options.domain = 42; // plugin option
    spec.services[1].kind = "friendica"; // unknown kind
    spec.services.push({ name: "social", kind: "worker", options: {} }); // duplicate instance name
    spec.storage.options.region = 3; // storage option
    const e = failure(spec);
    expect(e.code).toBe("SPEC_INVALID");
    expect(issues(e)).toEqual([
      ["machines[1].resources.cpus", "SPEC_INVALID"],
      ["storage.options.region", "PLUGIN_OPTIONS_INVALID"],
      ["services[0].options.domain", "PLUGIN_OPTIONS_INVALID"],
      ["services[1].kind", "PLUGIN_UNKNOWN_KIND"],
      ["services[2].name", "SPEC_INVALID"],
    ]);
    expect(e.describe()).toContain("no service plugin provides kind 'friendica' (registered: webapp, worker)");
    expect(e.describe()).toContain("instance name 'social' is used twice");
  });

  it("checks the plugin options of a valid-kind service when machines is broken", () => {
    const spec = base();
    spec.machines = "web01";
    spec.services[1].options = { colour: "red" };
    const e = failure(spec);
    // No reference check on services[0].machine: the machines did not parse, so 'web01' cannot be looked up.
    expect(issues(e)).toEqual([
      ["machines", "SPEC_INVALID"],
      ["services[1].options", "PLUGIN_OPTIONS_INVALID"],
    ]);
  });

  it("runs the name, address and secret checks on the machines that parsed", () => {
    const spec = base();
    spec.machines.push(machine("web01", "10.0.0.1", { roles: ["database"] })); // schema error, duplicate name and address
    spec.machines[0].nixos = { ...spec.machines[0].nixos, users: { users: { root: { password: "hunter2" } } } };
    spec.services[0].name = "storage"; // reserved
    spec.services[1].machine = "web09"; // no such machine
    spec.services[1].kind = ""; // schema error: no kind check, no option check
    const e = failure(spec);
    expect(issues(e)).toEqual([
      ["machines[0].nixos.users.users.root.password", "SPEC_INVALID"],
      ["machines[2].roles[0]", "SPEC_INVALID"],
      ["machines[2].name", "SPEC_INVALID"],
      ["machines[2].host", "SPEC_INVALID"],
      ["services[0].name", "SPEC_INVALID"],
      ["services[1].kind", "SPEC_INVALID"],
      ["services[1].machine", "SPEC_INVALID"],
    ]);
    expect(e.code).toBe("SPEC_INVALID");
  });

  it("reports no noise: a part that failed the schema is not checked again", () => {
    const spec = base();
    spec.machines[0].name = "Web_01"; // schema; the pin to web01 is not reported: machine names are incomplete
    spec.services[1].name = "Jobs"; // schema; not compared with the other names
    spec.services.push("not a service"); // schema only
    spec.storage = { kind: 7 }; // schema only: no kind or options check
    const e = failure(spec);
    expect(issues(e)).toEqual([
      ["machines[0].name", "SPEC_INVALID"],
      ["storage.kind", "SPEC_INVALID"],
      ["services[1].name", "SPEC_INVALID"],
      ["services[2]", "SPEC_INVALID"],
    ]);
  });

  it("keeps the shared code when every problem has it", () => {
    const spec = base();
    spec.services[0].kind = "friendica";
    spec.storage.kind = "ceph";
    const e = failure(spec);
    expect(e.code).toBe("PLUGIN_UNKNOWN_KIND");
    expect(issues(e)).toEqual([
      ["storage.kind", "PLUGIN_UNKNOWN_KIND"],
      ["services[0].kind", "PLUGIN_UNKNOWN_KIND"],
    ]);
  });

  it("returns the parsed spec and the plugins' options when there is no problem", () => {
    const v = validateSpec(base(), registry);
    expect(v.storage.options).toEqual({ region: "toy" });
    expect(v.services.map((s) => s.options)).toEqual([
      { domain: "social.example.org", memoryMiB: 1024, cpus: 1, diskGiB: 5 },
      { memoryMiB: 512 },
    ]);
    expect(v.spec.machines[0]!.ssh.port).toBe(22);
  });
});
