import { readFileSync } from "node:fs";
import { checkOptionContract, type OptionContract } from "@fediversity/core";
import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { peertube } from "../src/index.js";

const contract = JSON.parse(
  readFileSync(new URL("../contract/nixpkgs-options.json", import.meta.url), "utf8"),
) as OptionContract;
const base = { domain: "tube.example.org", adminEmail: "admin@example.org" };

let modules: CheckedModule[];

beforeAll(async () => {
  ({ modules } = await checkServicePlugin(peertube, {
    valid: [
      { name: "minimal", options: base },
      {
        name: "everything",
        options: {
          ...base,
          registrations: "open",
          smtp: { mode: "relay", host: "smtp.example.org", user: "u@example.org", security: "tls", port: 465 },
          initialAdmin: {},
          resources: { cpus: 8, memoryMiB: 16384, diskGiB: 100 },
          extraSettings: { log: { level: "debug" }, trust_proxy: ["loopback", "10.0.0.0/8"] },
        },
      },
    ],
  }));
});

describe("PeerTube nixpkgs option contract", () => {
  it("records the application version next to the nixpkgs revision it was read at", () => {
    const app = (contract as unknown as { application: { version: string; package: { commit: string } } }).application;
    expect(app.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(app.package.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("records where its facts come from (the PeerTube copy by its size, no commit was reported)", () => {
    const source = contract.sources.find((s) => s.path.endsWith("web-apps/peertube.nix"))!;
    expect(source.chars).toBe(30652);
    expect(source.commit === null ? source.note : source.commit).toBeTruthy();
  });

  it("covers every option path the generator emits, with the recorded types, and every required option", () => {
    for (const m of modules) {
      const report = checkOptionContract(m.value, contract);
      expect(report.problems, m.name).toEqual([]);
      for (const required of contract.required) expect(report.set, m.name).toContain(required);
    }
  });

  it("would catch an unknown option, a wrong type and a missing required option", () => {
    const value = structuredClone(modules[0]!.value) as any;
    value.services.peertube.objectStorage = {};
    value.services.peertube.listenWeb = 70000;
    delete value.services.peertube.secrets;
    const problems = checkOptionContract(value, contract).problems;
    expect(problems).toContain("services.peertube.objectStorage: not an option of the contract");
    expect(problems).toContain("services.peertube.listenWeb: value does not fit the contract type 'port'");
    expect(problems).toContain("services.peertube.secrets.secretsFile: required option not set");
  });
});
