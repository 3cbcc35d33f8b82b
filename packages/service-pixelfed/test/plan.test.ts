import { createPlanFromUnknown, createRegistry, type Plan } from "@fediversity/core";
import { nixParse } from "@fediversity/core/nix";
import { describe, expect, it } from "vitest";
import { specWith, storageDouble } from "../../core/test/fixtures/storage-double.js";
import { pixelfed } from "../src/index.js";

const registry = createRegistry([storageDouble, pixelfed]);
const options = {
  domain: "photos.example.org",
  adminEmail: "admin@example.org",
  smtp: { mode: "relay", host: "smtp.example.org", user: "photos@example.org" },
  initialAdmin: { username: "alice", email: "alice@example.org" },
};

function plan(opts: unknown = options): Plan {
  return createPlanFromUnknown({ spec: specWith([{ name: "photos", kind: "pixelfed", options: opts }]), registry });
}

describe("Pixelfed in a plan", () => {
  it("gets one public media bucket", () => {
    expect(plan().buckets.map((b) => ({ name: b.name, public: b.public }))).toEqual([
      { name: "demo-photos-media", public: true },
    ]);
  });

  it("puts APP_KEY, the S3 keys and the SMTP password in one root-only env file for pixelfed-data-setup", () => {
    const p = plan();
    const env = p.machines[0]!.secretFiles.find((f) => f.name === "photos-env")!;
    expect(env).toMatchObject({ owner: "root", mode: "0400", neededBy: ["pixelfed-data-setup.service"] });
    // after a change the setup (LoadCredential, writes .env, config:cache) runs again and the processes restart
    expect(env).toMatchObject({
      rerunUnits: ["pixelfed-data-setup.service"],
      restartUnits: ["phpfpm-pixelfed.service", "pixelfed-horizon.service"],
    });
    expect(env.content).toEqual({
      kind: "env",
      format: "dotenv",
      entries: {
        APP_KEY: { secret: "photos.app-key" },
        AWS_ACCESS_KEY_ID: { secret: "photos.s3-access-key-id" },
        AWS_SECRET_ACCESS_KEY: { secret: "photos.s3-secret-key" },
        MAIL_PASSWORD: { secret: "photos.smtp-password" },
      },
    });
    const generate = new Map(p.secrets.map((s) => [s.name, s.generate]));
    expect(generate.get("photos.app-key")).toEqual({ kind: "random-alnum", length: 32 });
    expect(generate.get("photos.smtp-password")?.kind).toBe("import");
    const admin = p.machines[0]!.secretFiles.find((f) => f.name === "photos-admin-password")!;
    expect(admin).toMatchObject({
      owner: "pixelfed",
      neededBy: ["pixelfed-fediversity-admin.service"],
      restartUnits: [],
      rerunUnits: [],
    });
  });

  it("without a relay user, has no SMTP password anywhere", () => {
    const p = plan({ domain: "photos.example.org", adminEmail: "admin@example.org" });
    expect(p.secrets.map((s) => s.name)).not.toContain("photos.smtp-password");
    const env = p.machines[0]!.secretFiles.find((f) => f.name === "photos-env")!;
    expect(Object.keys((env.content as { entries: object }).entries)).toEqual([
      "APP_KEY",
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
    ]);
  });

  it("renders a machine module the real Nix parses, with 80/443 open and health checks", async () => {
    const p = plan();
    expect(p.machines[0]!.tcpPorts).toEqual([80, 443]);
    await nixParse(p.machines[0]!.nixosModule);
    expect(p.instances[0]!.checks).toContainEqual({ kind: "systemd-unit", unit: "phpfpm-pixelfed.service" });
    expect(p.instances[0]!.checks).toContainEqual({
      kind: "http",
      url: "https://photos.example.org/api/nodeinfo/2.0.json",
      expectStatus: [200],
      viaMachine: true,
    });
  });
});
