// Loading configs that misbehave, through the built binary: a config that never settles stops with CONFIG_TIMEOUT
// (not a silent exit 13), a throwing getter or proxy is a config error naming the field (not INTERNAL), and what a
// config prints never reaches stdout, so `--json` output stays one JSON document.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fedi, tempDir } from "./support/fedi.js";
import { machine } from "./support/plugins.js";
import { schemaErrors, validateErrorOutput, validatePlanOutput } from "./support/schema.js";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir("fedi-config-load-")));
afterEach(() => remove());

/** A valid deployment as TypeScript source (an object literal), with `extra` lines spliced into it. */
function deployment(extra = ""): string {
  return `{
    name: "demo",
    machines: [${JSON.stringify(machine("box", "192.0.2.1", { resources: { cpus: 8, memoryMiB: 16384, diskGiB: 200 } }))}],
    storage: { kind: "garage", options: { replicationFactor: 1 } },
    ${extra}
  }`;
}

describe("a config that never settles", () => {
  it.each([
    ["a default export promise that never resolves", "export default new Promise(() => {});"],
    ["an async function that never returns", "export default async () => { await new Promise(() => {}); };"],
    ["a top-level await that never settles", "await new Promise(() => {});\nexport default {};"],
  ])("%s stops with CONFIG_TIMEOUT after the time limit", async (_what, source) => {
    await writeFile(join(dir, "fedi.config.ts"), source);
    const started = Date.now();
    const run = await fedi(["plan", "--json", "--out", join(dir, "deploy")], {
      cwd: dir,
      env: { FEDI_CONFIG_TIMEOUT_MS: "700" },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(
      /^error CONFIG_TIMEOUT: fedi\.config\.ts did not finish loading within 700 ms: it \(or a promise it awaits\) never settles\./m,
    );
    expect(run.stderr).toMatch(/^hint: .*FEDI_CONFIG_TIMEOUT_MS/m);
    const json = JSON.parse(run.stdout);
    expect(validateErrorOutput(json), schemaErrors(validateErrorOutput)).toBe(true);
    expect(json.error.code).toBe("CONFIG_TIMEOUT");
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it("refuses a time limit that is not a number", async () => {
    await writeFile(join(dir, "fedi.config.ts"), `export default ${deployment()};`);
    const run = await fedi(["validate"], { cwd: dir, env: { FEDI_CONFIG_TIMEOUT_MS: "soon" } });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/^error USAGE: FEDI_CONFIG_TIMEOUT_MS is 'soon'/m);
  });
});

describe("getters and proxies in a config", () => {
  it("report what they throw as CONFIG_LOAD_FAILED with the field's path", async () => {
    await writeFile(
      join(dir, "fedi.config.ts"),
      [
        "const hostile = new Proxy({}, {",
        "  ownKeys: () => ['name', 'host'],",
        "  getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),",
        "  get: (_t, key) => { throw new Error('no ' + String(key) + ' for you'); },",
        "});",
        "const opaque = new Proxy({}, { ownKeys: () => { throw new Error('keys are secret'); } });",
        `const config = ${deployment("services: [],")};`,
        "Object.defineProperty(config, 'acme', { enumerable: true, get() { throw new Error('acme is down'); } });",
        "config.machines.push(hostile, opaque);",
        "export default config;",
      ].join("\n"),
    );
    const run = await fedi(["plan", "--json", "--out", join(dir, "deploy")], { cwd: dir });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^error CONFIG_LOAD_FAILED: fedi\.config\.ts has 4 fields that cannot be read\./m);
    expect(run.stderr).toContain("- acme: reading it threw: acme is down");
    expect(run.stderr).toContain("- machines[1].name: reading it threw: no name for you");
    expect(run.stderr).toContain("- machines[1].host: reading it threw: no host for you");
    expect(run.stderr).toContain("- machines[2]: cannot be read: keys are secret");
    expect(run.stderr).not.toMatch(/INTERNAL|bug in fedi/);
    const json = JSON.parse(run.stdout);
    expect(validateErrorOutput(json), schemaErrors(validateErrorOutput)).toBe(true);
    expect(json.error.issues.map((i: { path: string }) => i.path)).toEqual([
      "machines[1].name",
      "machines[1].host",
      "machines[2]",
      "acme",
    ]);
  });

  it("are read once: a getter that changes its answer gives validation and planning the same value", async () => {
    await writeFile(
      join(dir, "fedi.config.ts"),
      [
        "let reads = 0;",
        `const config = ${deployment("services: [],")};`,
        "Object.defineProperty(config, 'name', { enumerable: true, get: () => (reads++ === 0 ? 'first' : 'Not A Name') });",
        "export default config;",
      ].join("\n"),
    );
    const run = await fedi(["plan", "--json", "--out", join(dir, "deploy")], { cwd: dir });
    expect(run.stderr).not.toMatch(/^error/m);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout).plan.deployment.name).toBe("first");
  });
});

describe("console output of a config", () => {
  it("goes to stderr, so fedi plan --json prints only its JSON on stdout", async () => {
    await writeFile(
      join(dir, "fedi.config.ts"),
      [
        "console.log('hello from the config');",
        "console.info('info from the config');",
        "export default async () => {",
        "  console.log('building the deployment');",
        "  console.table([{ a: 1 }]);",
        `  return ${deployment("services: [],")};`,
        "};",
      ].join("\n"),
    );
    const run = await fedi(["plan", "--json", "--out", join(dir, "deploy")], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const output = JSON.parse(run.stdout);
    expect(validatePlanOutput(output), schemaErrors(validatePlanOutput)).toBe(true);
    for (const text of ["hello from the config", "info from the config", "building the deployment"]) {
      expect(run.stdout).not.toContain(text);
      expect(run.stderr).toContain(text);
    }
  });
});
