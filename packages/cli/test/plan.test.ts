// `fedi plan` on every example, through the built binary: exit code, summary, --json against its schema, files that
// the real nix-instantiate parses, idempotent re-runs, and the diff against a recorded state.
import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Plan, stateFromPlan } from "@fediversity/core";
import { nixParseFile } from "@fediversity/core/nix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES, fedi, tempDir } from "./support/fedi.js";
import { schemaErrors, validatePlanOutput } from "./support/schema.js";

const EXAMPLE_NAMES = ["all-in-one", "separate-storage", "hosting-provider"];

let tmp: string;
let removeTmp: () => Promise<void>;
beforeAll(async () => ({ dir: tmp, remove: removeTmp } = await tempDir()));
afterAll(() => removeTmp());

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe.each(EXAMPLE_NAMES)("fedi plan on examples/%s", (example) => {
  const config = join(EXAMPLES, example, "fedi.config.ts");
  let out: string;
  let state: string;
  let output: { plan: Plan; files: { written: string[]; unchanged: string[]; removed: string[] }; outDir: string };

  beforeAll(async () => {
    out = join(tmp, example, "deploy");
    state = join(tmp, example, "state");
    const run = await fedi(["plan", "--config", config, "--out", out, "--state", state, "--json"]);
    expect(run.stderr).not.toMatch(/^error /m);
    expect(run.exitCode).toBe(0);
    output = JSON.parse(run.stdout);
    expect(run.stderr).toMatch(/✓ config: Loaded .*fedi\.config\.ts/);
  });

  it("prints JSON that matches the documented schema", () => {
    const valid = validatePlanOutput(output);
    expect(valid, schemaErrors(validatePlanOutput)).toBe(true);
    expect(output.outDir).toBe(out);
  });

  it("writes every file it reports, plan.json equal to the printed plan, and every .nix file parses", async () => {
    const files = await listFiles(out);
    // the files it reports, and the manifest listing exactly them with their hashes
    expect(files).toEqual([".fedi-manifest.json", ...output.files.written].sort());
    const manifest = JSON.parse(await readFile(join(out, ".fedi-manifest.json"), "utf8"));
    expect(Object.keys(manifest.files).sort()).toEqual([...output.files.written].sort());
    expect(files).toEqual(
      expect.arrayContaining([
        "flake.nix",
        "deployment.nix",
        "plan.json",
        ...output.plan.machines.map((m) => `machines/${m.name}.nix`),
      ]),
    );
    expect(JSON.parse(await readFile(join(out, "plan.json"), "utf8"))).toEqual(output.plan);
    for (const f of files.filter((f) => f.endsWith(".nix"))) await nixParseFile(join(out, f));
  });

  it("rewrites nothing when run again", async () => {
    const run = await fedi(["plan", "--config", config, "--out", out, "--state", state, "--json", "--quiet"]);
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe("");
    const again = JSON.parse(run.stdout);
    expect(again.files.written).toEqual([]);
    expect(again.files.unchanged).toEqual([...output.files.written].sort());
    expect(again.plan).toEqual(output.plan);
  });

  it("prints a summary with every machine's resource use, every instance, bucket, key and secret name", async () => {
    const run = await fedi(["plan", "--config", config, "--out", out, "--state", state]);
    expect(run.exitCode).toBe(0);
    const text = run.stdout;
    const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ""));
    for (const m of output.plan.machines) {
      expect(text).toContain(`  ${m.name}  ${m.host}`);
      expect(text).toContain(`cpu ${num(m.used.cpus)}/${num(m.resources.cpus)}`);
      expect(text).toContain(`memory ${num(m.used.memoryMiB / 1024)}/${num(m.resources.memoryMiB / 1024)} GiB`);
    }
    for (const i of output.plan.instances)
      expect(text).toMatch(new RegExp(`\\+ add\\s+${i.name} \\(${i.kind}\\) on ${i.machine}`));
    for (const b of output.plan.buckets) expect(text).toContain(b.name);
    for (const k of output.plan.keys) expect(text).toContain(k.name);
    for (const s of output.plan.secrets) expect(text).toContain(s.name);
    expect(text).toContain(`0 written, ${output.files.written.length} unchanged`);
  });
});

describe("fedi plan against a recorded state", () => {
  it("shows a removed instance with what it leaves behind, in the summary and in --json", async () => {
    const config = join(EXAMPLES, "all-in-one", "fedi.config.ts");
    const dir = join(tmp, "diff");
    const first = JSON.parse(
      (await fedi(["plan", "--config", config, "--out", join(dir, "a"), "--state", join(dir, "state"), "--json"]))
        .stdout,
    );
    const plan = first.plan as Plan;
    await mkdir(join(dir, "state"), { recursive: true });
    await writeFile(
      join(dir, "state", "state.json"),
      JSON.stringify(stateFromPlan(plan, undefined, new Date("2026-04-01T12:00:00Z"))),
    );

    const same = await fedi(["plan", "--config", config, "--out", join(dir, "a"), "--state", join(dir, "state")]);
    expect(same.exitCode).toBe(0);
    expect(same.stdout).toContain("Up to date: nothing to apply.");

    // The same deployment as JSON, without its last service.
    const { loadConfig } = await import("../src/config/load.js");
    const { spec } = await loadConfig(config, {
      alias: { "@fediversity/cli": new URL("../src/index.ts", import.meta.url).pathname },
    });
    const services = spec.services as Array<{ name: string }>;
    const gone = services.at(-1)!.name;
    // machines' imported files must lie in the config's folder: copy them beside the config
    for (const m of spec.machines as Array<{ nixosImports?: string[] }>) {
      for (const p of m.nixosImports ?? []) {
        await mkdir(dirname(join(dir, p)), { recursive: true });
        await copyFile(join(EXAMPLES, "all-in-one", p), join(dir, p));
      }
    }
    await writeFile(join(dir, "fedi.config.json"), JSON.stringify({ ...spec, services: services.slice(0, -1) }));

    const run = await fedi(["plan", "--out", join(dir, "b"), "--state", join(dir, "state")], { cwd: dir });
    expect(run.exitCode).toBe(0);
    const removed = plan.instances.find((i) => i.name === gone)!;
    expect(run.stdout).toMatch(
      new RegExp(`- remove\\s+${gone} \\(${removed.kind}\\) from ${removed.machine}; left behind:`),
    );
    for (const b of removed.buckets) expect(run.stdout).toContain(`bucket '${b}' and its objects stay in storage`);
    expect(run.stdout).toContain("since the apply of 2026-04-01T12:00:00.000Z");

    const json = JSON.parse(
      (await fedi(["plan", "--out", join(dir, "b"), "--state", join(dir, "state"), "--json"], { cwd: dir })).stdout,
    );
    expect(validatePlanOutput(json), schemaErrors(validatePlanOutput)).toBe(true);
    expect(json.plan.diff.removed.map((r: { instance: string }) => r.instance)).toEqual([gone]);
    expect(json.plan.diff.removed[0].leftovers.map((l: { kind: string }) => l.kind)).toEqual(
      expect.arrayContaining(["bucket", "key", "secret", "data"]),
    );
  });
});

describe("fedi plan --allow-moves", () => {
  it("refuses a move by default and shows it when allowed", async () => {
    const dir = join(tmp, "moves");
    await mkdir(dir, { recursive: true });
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBlmEJY3Zj75XY5td5+vVlmAsFeCvpdbtYJJK5wA9lrK";
    const spec = (memory: Record<string, number>) => ({
      name: "moves",
      acme: { email: "admin@example.org" },
      machines: ["one", "two", "store"].map((name, i) => ({
        name,
        host: `192.0.2.${i + 1}`,
        ssh: { hostPublicKey: key, authorizedKeys: [key] },
        resources: { cpus: 8, memoryMiB: memory[name] ?? 16384, diskGiB: 200 },
        stateVersion: "25.05",
        boot: { loader: "grub", devices: ["/dev/vda"] },
        nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } } },
      })),
      storage: {
        kind: "garage",
        options: { replicationFactor: 1, nodes: ["store"], webRootDomain: "media.example.org" },
      },
      services: [
        {
          name: "social",
          kind: "mastodon",
          options: { domain: "social.example.org", adminEmail: "admin@example.org" },
        },
      ],
    });
    const args = ["plan", "--out", join(dir, "deploy"), "--state", join(dir, "state")];
    await writeFile(join(dir, "fedi.config.json"), JSON.stringify(spec({})));
    const first = await fedi([...args, "--json", "--quiet"], { cwd: dir });
    expect(first.exitCode).toBe(0);
    const plan = JSON.parse(first.stdout).plan as Plan;
    const from = plan.instances[0]!.machine;
    const to = from === "one" ? "two" : "one"; // "store" is a dedicated storage node
    await mkdir(join(dir, "state"), { recursive: true });
    await writeFile(join(dir, "state", "state.json"), JSON.stringify(stateFromPlan(plan, undefined, new Date())));

    await writeFile(join(dir, "fedi.config.json"), JSON.stringify(spec({ [from]: 4096 })));
    const refused = await fedi(args, { cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^error PLACEMENT_MOVE_REQUIRED: /m);

    const allowed = await fedi([...args, "--allow-moves"], { cwd: dir });
    expect(allowed.stderr).not.toMatch(/^error/m);
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toMatch(new RegExp(`> move\\s+social from ${from} to ${to}: `));
  });
});
