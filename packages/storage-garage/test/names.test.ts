// Machine names that are also properties of every JavaScript object (`constructor`, `valueof`, ...) are looked up in
// the `zones` and `capacityGiB` options as own entries only: a node named `constructor` gets its own zone and capacity,
// not `Object.prototype.constructor`.
import { describe, expect, it } from "vitest";
import { GarageOptions, garageLayoutNodes } from "../src/index.js";
import { resolveTopology } from "../src/topology.js";
import { machine, planGarage } from "./plugin-helpers.js";

describe("storage nodes named like Object.prototype members", () => {
  const names = ["constructor", "valueof", "tostring"];
  const spec = (options: Record<string, unknown>) => ({
    name: "proto",
    machines: names.map((n, i) => machine(n, `10.0.1.${i + 1}`, { roles: ["storage"] })),
    storage: { kind: "garage", options: { replicationFactor: 3, ...options } },
    services: [],
  });

  it("takes the machine name as the zone when the options name no zone", () => {
    const { plan } = planGarage(spec({}));
    expect(plan.storage.nodes.map((n) => [n.machine, n.zone])).toEqual([
      ["constructor", "constructor"],
      ["tostring", "tostring"],
      ["valueof", "valueof"],
    ]);
    expect(plan.storage.nodes.map((n) => n.capacityBytes)).toEqual([190, 190, 190].map((g) => g * 1024 ** 3));
  });

  it("uses the zones and capacities given for them, and only those", () => {
    const { plan } = planGarage(
      spec({ zones: { constructor: "toString", valueof: "__proto__" }, capacityGiB: { constructor: 10 } }),
    );
    expect(plan.storage.nodes).toEqual([
      { machine: "constructor", zone: "toString", capacityBytes: 10 * 1024 ** 3 },
      { machine: "tostring", zone: "tostring", capacityBytes: 190 * 1024 ** 3 },
      { machine: "valueof", zone: "__proto__", capacityBytes: 190 * 1024 ** 3 },
    ]);
    const topology = resolveTopology(GarageOptions.parse({ nodes: ["constructor"] }), [
      {
        name: "constructor",
        host: "10.0.0.1",
        system: "x86_64-linux",
        cpus: 4,
        memoryMiB: 8192,
        diskGiB: 100,
        roles: ["storage"],
      },
    ]);
    expect(Object.entries(topology.zones)).toEqual([["constructor", "constructor"]]);
    const layout = garageLayoutNodes(GarageOptions.parse({}), [
      {
        machine: {
          name: "constructor",
          host: "10.0.0.1",
          system: "x86_64-linux",
          cpus: 4,
          memoryMiB: 8192,
          diskGiB: 100,
          roles: ["storage"],
        },
        zone: "z",
        capacityBytes: 5,
      },
    ]);
    expect(layout[0]).toMatchObject({ zone: "z", capacityBytes: 5 });
  });
});
