import { describe, expect, it } from "vitest";
import { nixParse } from "../../../src/nix/index.js";
import { hashOf } from "../../../src/plan/allocate.js";
import { requireNix } from "../../../src/testing/index.js";
import { stagesOf } from "./later-stages.js";
import { twoMachines } from "./spec.js";

describe("machine-modules stage", () => {
  it("prints each machine's module from the plugins' contributions and hashes it", async () => {
    const { machines, instances } = stagesOf(twoMachines()).mm();
    expect(machines.map((m) => [m.name, m.storageNode, m.instances, m.tcpPorts])).toEqual([
      ["a", true, [], []],
      ["b", false, ["jobs", "social"], [80, 443]],
    ]);
    const [a, b] = machines;
    expect(a!.nixosModule).toContain("toystore");
    expect(a!.nixosModule).not.toContain("webapp");
    expect(b!.nixosModule).toContain("webapp");
    expect(b!.configHash).toBe(hashOf(b!.nixosModule));
    expect(a!.secretFiles.map((f) => f.name)).toEqual(["storage-env"]);
    expect(b!.secretFiles.map((f) => [f.name, f.declaredBy])).toEqual([["social-env", "social"]]);
    expect(b!.used).toEqual({ cpus: 2, memoryMiB: 1024 + 1024 + 512, diskGiB: 10 + 5 + 1 });
    expect(instances.map((i) => i.name)).toEqual(["jobs", "social"]);
    expect(instances.every((i) => /^[0-9a-f]{64}$/.test(i.fingerprint))).toBe(true);
    await requireNix();
    for (const m of machines) await nixParse(m.nixosModule);
  });

  it("changes an instance's fingerprint with its options, and only that instance's", () => {
    const before = stagesOf(twoMachines()).mm().instances;
    const spec = twoMachines();
    spec.services[0].options.memoryMiB = 2048;
    const after = stagesOf(spec).mm().instances;
    expect(after.find((i) => i.name === "social")!.fingerprint).not.toBe(
      before.find((i) => i.name === "social")!.fingerprint,
    );
    expect(after.find((i) => i.name === "jobs")!.fingerprint).toBe(before.find((i) => i.name === "jobs")!.fingerprint);
  });

  it("reports machines[].nixos that is not plain data at its spec path", () => {
    const spec = twoMachines();
    spec.machines[1].nixos = { ...spec.machines[1].nixos, bad: () => 1 };
    let error: any;
    try {
      stagesOf(spec).mm();
    } catch (e) {
      error = e;
    }
    expect(error?.code).toBe("SPEC_INVALID");
    expect(error?.issues?.[0]?.path).toBe("machines[1].nixos");
  });
});
