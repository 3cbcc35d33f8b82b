import { readFileSync } from "node:fs";
import { checkOptionContract, type OptionContract } from "@fediversity/core";
import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { mastodon } from "../src/index.js";

const contract = JSON.parse(
  readFileSync(new URL("../contract/nixpkgs-options.json", import.meta.url), "utf8"),
) as OptionContract;
const base = { domain: "social.example.org", adminEmail: "admin@example.org" };

let modules: CheckedModule[];

beforeAll(async () => {
  ({ modules } = await checkServicePlugin(mastodon, {
    pkgs: ["mastodon"],
    valid: [
      { name: "minimal", options: base },
      {
        name: "everything",
        options: {
          ...base,
          registrations: "open",
          smtp: { mode: "relay", host: "smtp.example.org", user: "u@example.org", security: "none", port: 25 },
          initialAdmin: { username: "alice", email: "alice@example.org", password: "import" },
          resources: { cpus: 8, memoryMiB: 8192, diskGiB: 50 },
          extraSettings: { SINGLE_USER_MODE: false },
        },
      },
      { name: "tiny", options: { ...base, resources: { cpus: 0.5, memoryMiB: 512, allowBelowFloor: true } } },
    ],
  }));
});

describe("Mastodon nixpkgs option contract", () => {
  it("records the application version next to the nixpkgs revision it was read at", () => {
    const app = (contract as unknown as { application: { version: string; package: { commit: string } } }).application;
    expect(app.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(app.package.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("records where its facts come from", () => {
    const module = contract.sources.find((s) => s.path.endsWith("web-apps/mastodon.nix"));
    expect(module?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(contract.required).toEqual(
      expect.arrayContaining(["services.mastodon.localDomain", "services.mastodon.streamingProcesses"]),
    );
  });

  it("covers every option path the generator emits, with the recorded types, and every required option", () => {
    for (const m of modules) {
      const report = checkOptionContract(m.value, contract);
      expect(report.problems, m.name).toEqual([]);
      for (const required of contract.required) expect(report.set, m.name).toContain(required);
    }
  });

  it("would catch an option the contract does not know and a value of the wrong type", () => {
    const value = structuredClone(modules[0]!.value) as any;
    value.services.mastodon.streamingPort = 55000;
    value.services.mastodon.streamingProcesses = 0;
    value.services.mastodon.extraEnvFiles = ["/nix/store/00000000000000000000000000000000-s3.env"];
    const problems = checkOptionContract(value, contract).problems.join("\n");
    expect(problems).toContain("services.mastodon.streamingPort: not an option of the contract");
    expect(problems).toContain(
      "services.mastodon.streamingProcesses: value does not fit the contract type 'ints.positive'",
    );
    expect(problems).toContain("services.mastodon.extraEnvFiles: value does not fit the contract type 'listOf path'");
    delete value.services.mastodon.localDomain;
    expect(checkOptionContract(value, contract).problems).toContain(
      "services.mastodon.localDomain: required option not set",
    );
  });
});
