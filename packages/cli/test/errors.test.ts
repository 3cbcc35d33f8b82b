// Invalid configs through the built binary: every mistake printed with its path, exit 1, and --json error output.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fedi, tempDir } from "./support/fedi.js";
import { schemaErrors, validateErrorOutput } from "./support/schema.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlmEJY3Zj75XY5td5+vVlmAsFeCvpdbtYJJK5wA9lrK";
let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

async function config(spec: unknown): Promise<void> {
  await writeFile(join(dir, "fedi.config.json"), JSON.stringify(spec, null, 2));
}

describe("a config with several mistakes", () => {
  it("prints every schema mistake with its path and exits 1", async () => {
    await config({
      name: "demo",
      machines: [
        {
          name: "Bad_Name",
          host: "203.0.113.10",
          ssh: { hostPublicKey: "ssh-foo AAAA" },
          resources: { cpus: -1, memoryMiB: 16384, diskGiB: 200 },
        },
      ],
      storage: { kind: "garage" },
      services: [{ name: "social", options: {} }],
      colour: "blue",
    });
    const run = await fedi(["validate"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error SPEC_INVALID: The deployment spec has \d+ problems\./m);
    for (const path of [
      "machines[0].name",
      "machines[0].ssh.hostPublicKey",
      "machines[0].resources.cpus",
      "services[0].kind",
    ]) {
      expect(run.stderr).toMatch(new RegExp(`^  - ${path.replace(/[[\].]/g, "\\$&")}: `, "m"));
    }
    expect(run.stderr).toContain("unknown field(s) 'colour'");
    expect(run.stdout).toBe("");
  });

  it("prints every plugin option mistake with its path", async () => {
    await config({
      name: "demo",
      acme: { email: "admin@example.org" },
      machines: [
        {
          name: "fedi01",
          host: "203.0.113.10",
          ssh: { hostPublicKey: KEY },
          resources: { cpus: 8, memoryMiB: 32768, diskGiB: 500 },
        },
      ],
      storage: { kind: "garage", options: { replicationFactor: 7 } },
      services: [
        { name: "social", kind: "mastodon", options: { domain: "Not A Domain", adminEmail: "admin@example.org" } },
        { name: "photos", kind: "pixelfed", options: { domain: "photos.example.org", adminEmail: "nope" } },
        { name: "chat", kind: "friendica", options: {} },
      ],
    });
    const run = await fedi(["validate"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    for (const path of [
      "storage.options.replicationFactor",
      "services[0].options.domain",
      "services[1].options.adminEmail",
      "services[2].kind",
    ]) {
      expect(run.stderr).toMatch(new RegExp(`^  - ${path.replace(/[[\].]/g, "\\$&")}: `, "m"));
    }
    expect(run.stderr).toContain(
      "no service plugin provides kind 'friendica' (registered: mastodon, peertube, pixelfed)",
    );

    const json = await fedi(["plan", "--json", "--quiet"], { cwd: dir });
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(validateErrorOutput(parsed), schemaErrors(validateErrorOutput)).toBe(true);
    expect(parsed.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining([
        "storage.options.replicationFactor",
        "services[0].options.domain",
        "services[1].options.adminEmail",
        "services[2].kind",
      ]),
    );
    expect(json.stderr).toMatch(/^error SPEC_INVALID/m);
  });

  it("prints schema, plugin option, unknown kind and duplicate name mistakes together (fedi validate; fedi plan --json)", async () => {
    await config({
      name: "demo",
      acme: { email: "admin@example.org" },
      machines: [
        {
          name: "fedi01",
          host: "203.0.113.10",
          ssh: { hostPublicKey: KEY },
          resources: { cpus: -1, memoryMiB: 32768, diskGiB: 500 },
        },
      ],
      storage: { kind: "garage" },
      services: [
        { name: "social", kind: "mastodon", options: { domain: "Not A Domain", adminEmail: "admin@example.org" } },
        { name: "chat", kind: "friendica", options: {} },
        {
          name: "social",
          kind: "pixelfed",
          options: { domain: "photos.example.org", adminEmail: "admin@example.org" },
        },
      ],
    });
    const paths = ["machines[0].resources.cpus", "services[0].options.domain", "services[1].kind", "services[2].name"];
    const run = await fedi(["validate"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error SPEC_INVALID: The deployment spec has 4 problems\./m);
    for (const path of paths) {
      expect(run.stderr).toMatch(new RegExp(`^  - ${path.replace(/[[\].]/g, "\\$&")}: `, "m"));
    }
    expect(run.stderr).toContain("instance name 'social' is used twice");
    expect(run.stdout).toBe("");

    // `fedi validate` has no --json; `fedi plan --json` reports the same validation error as a JSON document.
    const json = await fedi(["plan", "--json", "--quiet"], { cwd: dir });
    expect(json.exitCode).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(validateErrorOutput(parsed), schemaErrors(validateErrorOutput)).toBe(true);
    expect(parsed.error.issues.map((i: { path: string }) => i.path)).toEqual(paths);
  });

  it("says how to start when there is no config", async () => {
    const run = await fedi(["plan"], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error CONFIG_NOT_FOUND: No fedi\.config\.\* file in /m);
    expect(run.stderr).toContain("hint: Run `fedi init`");
  });
});
