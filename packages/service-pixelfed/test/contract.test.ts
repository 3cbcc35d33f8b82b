import { readFileSync } from "node:fs";
import { checkOptionContract, type OptionContract } from "@fediversity/core";
import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { pixelfed } from "../src/index.js";

const contract = JSON.parse(
  readFileSync(new URL("../contract/nixpkgs-options.json", import.meta.url), "utf8"),
) as OptionContract;
const base = { domain: "photos.example.org", adminEmail: "admin@example.org" };

let modules: CheckedModule[];

beforeAll(async () => {
  ({ modules } = await checkServicePlugin(pixelfed, {
    valid: [
      { name: "minimal", options: base },
      {
        name: "everything",
        options: {
          ...base,
          registrations: "open",
          smtp: { mode: "relay", host: "smtp.example.org", user: "u@example.org", security: "none", port: 25 },
          initialAdmin: { username: "alice", email: "alice@example.org" },
          resources: { cpus: 8, memoryMiB: 8192, diskGiB: 50 },
          extraSettings: { PF_OPTIMIZE_VIDEOS: false, MAX_CAPTION_LENGTH: 1000, APP_NAME: "Photos" },
        },
      },
    ],
  }));
});

describe("Pixelfed nixpkgs option contract", () => {
  it("records the application version next to the nixpkgs revision it was read at", () => {
    const app = (contract as unknown as { application: { version: string; package: { commit: string } } }).application;
    expect(app.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(app.package.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("records where its facts come from", () => {
    expect(contract.sources.find((s) => s.path.endsWith("web-apps/pixelfed.nix"))?.commit).toMatch(/^[0-9a-f]{40}$/);
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
    value.services.pixelfed.appKey = "x";
    value.services.pixelfed.settings.RATE = 1.5;
    delete value.services.pixelfed.secretFile;
    const problems = checkOptionContract(value, contract).problems;
    expect(problems).toContain("services.pixelfed.appKey: not an option of the contract");
    expect(problems).toContain(
      "services.pixelfed.settings: value does not fit the contract type 'attrsOf (oneOf [bool int str])'",
    );
    expect(problems).toContain("services.pixelfed.secretFile: required option not set");
  });
});
