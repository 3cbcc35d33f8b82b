import { describe, expect, it } from "vitest";
import { dnsStage } from "../../../src/plan/stages/dns.js";
import { stagesOf } from "./later-stages.js";
import { twoMachines } from "./spec.js";

describe("dns stage", () => {
  it("points each instance's domains at its machine", () => {
    const { v, a, mm } = stagesOf(twoMachines());
    expect(dnsStage(v, a, mm()).map((r) => [r.name, r.type, r.value])).toEqual([
      ["social.example.org", "A", "10.0.0.2"],
    ]);
  });
});
