// The example plugin's own tests, as its author would write them: the core plugin test kit (registration, options,
// requirements, every module parsed and evaluated by the real nix-instantiate), the nixpkgs option contract, and a
// deployment that uses it beside the built-in plugins.
import { readFileSync } from "node:fs";
import { checkOptionContract, createPlanFromUnknown, createRegistry, type OptionContract } from "@fediversity/core";
import { type CheckedModule, checkServicePlugin } from "@fediversity/core/testing";
import { mastodon } from "@fediversity/service-mastodon";
import { garage } from "@fediversity/storage-garage";
import { beforeAll, describe, expect, it } from "vitest";
import config from "../fedi.config.js";
import { GOTOSOCIAL_PORT, gotosocial } from "../src/index.js";

const contract = JSON.parse(
  readFileSync(new URL("../contract/nixpkgs-options.json", import.meta.url), "utf8"),
) as OptionContract;

let modules: CheckedModule[];

beforeAll(async () => {
  ({ modules } = await checkServicePlugin(gotosocial, {
    valid: [
      { name: "defaults", options: { domain: "chat.example.org" } },
      { name: "open", options: { domain: "chat.example.org", registrationOpen: true, instanceName: "Chat" } },
    ],
    invalid: [
      { name: "bad domain", options: { domain: "Not A Domain" }, path: "domain" },
      { name: "misspelt option", options: { domain: "chat.example.org", registrationsOpen: true }, path: "" },
    ],
    pkgs: ["gotosocial"],
  }));
});

describe("GoToSocial plugin (test kit)", () => {
  it("generates a module that sets GoToSocial's settings from the planner's S3 allocation", () => {
    const value = modules[0]!.value as any;
    const settings = value.services.gotosocial.settings;
    expect(settings).toMatchObject({
      host: "chat.example.org",
      port: GOTOSOCIAL_PORT,
      "bind-address": "127.0.0.1",
      "storage-backend": "s3",
      "storage-s3-endpoint": "10.0.0.5:3900",
      "storage-s3-use-ssl": false,
      "storage-s3-bucket": "test-gotosocial-media",
      "accounts-registration-open": false,
    });
    expect(value.services.gotosocial.environmentFile).toBe(modules[0]!.context.secretPath("env"));
    expect((modules[1]!.value as any).services.gotosocial.settings["accounts-registration-open"]).toBe(true);
  });
});

describe("GoToSocial nixpkgs option contract", () => {
  it("covers every option path the generator emits, with the recorded types", () => {
    for (const m of modules) {
      const report = checkOptionContract(m.value, contract);
      expect(report.problems, m.name).toEqual([]);
      expect(report.set, m.name).toContain("services.gotosocial.settings");
    }
  });

  it("would catch a misspelt nixpkgs option and a value of the wrong type", () => {
    const value = structuredClone(modules[0]!.value) as any;
    value.services.gotosocial.setupPostgresDB = true;
    value.services.gotosocial.openFirewall = "yes";
    const problems = checkOptionContract(value, contract).problems.join("\n");
    expect(problems).toContain("services.gotosocial.setupPostgresDB");
    expect(problems).toContain("services.gotosocial.openFirewall");
  });
});

describe("a deployment with GoToSocial beside the built-in plugins", () => {
  it("plans fedi.config.ts: GoToSocial gets its bucket, key and secret file next to Mastodon on the machine", () => {
    const { plugins, ...spec } = config as typeof config & { plugins: unknown[] };
    expect(plugins).toEqual([gotosocial]);
    const plan = createPlanFromUnknown({ spec, registry: createRegistry([garage, mastodon, gotosocial]) });
    expect(plan.instances.map((i) => [i.name, i.kind, i.machine])).toEqual([
      ["chat", "gotosocial", "fedi01"],
      ["social", "mastodon", "fedi01"],
    ]);
    expect(plan.buckets.filter((b) => b.instance === "chat").map((b) => [b.name, b.public])).toEqual([
      ["gts-chat-media", false],
    ]);
    expect(plan.keys.some((k) => k.instance === "chat")).toBe(true);
    const machine = plan.machines[0]!;
    expect(machine.nixosModule).toMatch(/\bgotosocial = \{/);
    expect(machine.nixosModule).toContain('storage-s3-bucket = "gts-chat-media";');
  });
});
