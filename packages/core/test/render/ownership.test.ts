// The deployment directory belongs to the SDK: a manifest of what it wrote; a file it did not write is never replaced
// or removed; an edited generated file is refused unless forced; a killed write leaves a folder the next run takes up.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createPlan,
  createRegistry,
  DEPLOYMENT_MANIFEST_FILE,
  deploymentFiles,
  type FediError,
  readDeploymentManifest,
  readNixosImports,
  renderDeployment,
  writeDeploymentDir,
} from "../../src/index.js";
import { bundleForChild } from "../fixtures/bundle.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);
const spec = (): any => ({
  name: "prod",
  acme: { email: "ops@example.org", staging: true },
  machines: [machine("store1", "10.0.1.1", { roles: ["storage"], zone: "a" }), machine("web1", "10.0.0.1")],
  storage: { kind: "toystore", options: {} },
  services: [{ name: "alpha", kind: "webapp", options: { domain: "alpha.example.org" } }],
});
const plan = (s: any = spec()) => createPlan({ spec: s, registry });
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

async function thrown(p: Promise<unknown>): Promise<FediError> {
  try {
    await p;
  } catch (error) {
    return error as FediError;
  }
  throw new Error("expected a rejection");
}

async function listFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, rel), { withFileTypes: true })) {
    const path = rel === "" ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, path)));
    else out.push(path);
  }
  return out.sort();
}

let root: string;
let out: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "fedi-own-"));
  out = join(root, "deploy");
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe("the deployment manifest", () => {
  it("lists every file written with its sha256, and a second render is a no-op", async () => {
    const first = await renderDeployment(plan(), { dir: out });
    const manifest = await readDeploymentManifest(out);
    expect(Object.keys(manifest!.files).sort()).toEqual(first.written);
    for (const [rel, hash] of Object.entries(manifest!.files)) {
      expect(sha(await readFile(join(out, rel), "utf8"))).toBe(hash);
    }
    expect(manifest!.pending).toBeUndefined();
    const before = await Promise.all([DEPLOYMENT_MANIFEST_FILE, ...first.written].map((f) => stat(join(out, f))));

    const again = await renderDeployment(plan(), { dir: out });
    expect(again).toEqual({ written: [], unchanged: first.written, removed: [] });
    const after = await Promise.all([DEPLOYMENT_MANIFEST_FILE, ...first.written].map((f) => stat(join(out, f))));
    // nothing was rewritten: same inodes, same modification times
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
  });
});

describe("files the SDK did not write", () => {
  it("keeps a hand-written flake.nix and refuses with DEPLOY_DIR_FOREIGN_FILE before writing anything", async () => {
    await mkdir(out);
    const mine = "{ outputs = _: { }; } # my own flake\n";
    await writeFile(join(out, "flake.nix"), mine);
    const error = await thrown(renderDeployment(plan(), { dir: out }));
    expect(error.code).toBe("DEPLOY_DIR_FOREIGN_FILE");
    expect(error.message).toContain(out);
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: "flake.nix",
        code: "FOREIGN_FILE",
        message: expect.stringContaining("not written by the SDK"),
      }),
    ]);
    expect(error.hint).toMatch(/--out/);
    expect(await readFile(join(out, "flake.nix"), "utf8")).toBe(mine);
    expect(await listFiles(out)).toEqual(["flake.nix"]); // nothing else written, no manifest
  });

  it("keeps the user's files and folders under machines/, even when machines and imports go", async () => {
    const configDir = join(root, "config");
    await mkdir(configDir);
    const hardware = '{ ... }: { fileSystems."/".device = "/dev/vda1"; }\n';
    await writeFile(join(configDir, "hw.nix"), hardware);
    const s = spec();
    s.machines[1].nixosImports = ["hw.nix"];
    await renderDeployment(createPlan({ spec: s, registry, imports: await readNixosImports(s, configDir) }), {
      dir: out,
      configDir,
    });
    expect(await readFile(join(out, "machines/web1/0-hw.nix"), "utf8")).toBe(hardware);
    // the user's own files beside the SDK's
    await writeFile(join(out, "machines/web1/hardware-configuration.nix"), hardware);
    await mkdir(join(out, "machines/notes"));
    await writeFile(join(out, "machines/notes/todo.txt"), "x\n");
    await writeFile(join(out, "machines/old.nix"), "{ }\n");

    const fewer = spec();
    fewer.machines.pop();
    fewer.services = [];
    const report = await renderDeployment(plan(fewer), { dir: out, configDir });
    expect(report.removed).toEqual(["machines/web1.nix", "machines/web1/0-hw.nix"]);
    expect(await readFile(join(out, "machines/web1/hardware-configuration.nix"), "utf8")).toBe(hardware);
    expect(await readFile(join(out, "machines/notes/todo.txt"), "utf8")).toBe("x\n");
    expect(await readFile(join(out, "machines/old.nix"), "utf8")).toBe("{ }\n");
    expect(Object.keys((await readDeploymentManifest(out))!.files)).not.toContain("machines/old.nix");
  });

  it("refuses a symbolic link where the SDK writes a folder (a link must not redirect the write)", async () => {
    const elsewhere = join(root, "elsewhere");
    await mkdir(elsewhere);
    await mkdir(out);
    await symlink(elsewhere, join(out, "machines"));
    const error = await thrown(renderDeployment(plan(), { dir: out }));
    expect(error.code).toBe("DEPLOY_DIR_FOREIGN_FILE");
    expect(error.issues.map((i) => i.path)).toContain("machines/web1.nix");
    expect(await readdir(elsewhere)).toEqual([]);
  });
});

describe("generated files edited since", () => {
  it("are refused with DEPLOY_DIR_EDITED unless overwriteEdited, for a write and for a removal", async () => {
    await renderDeployment(plan(), { dir: out });
    const edited = `${await readFile(join(out, "machines/web1.nix"), "utf8")}# my tweak\n`;
    await writeFile(join(out, "machines/web1.nix"), edited);
    const changed = spec();
    changed.services[0].options.domain = "alpha2.example.org";
    const error = await thrown(renderDeployment(plan(changed), { dir: out }));
    expect(error.code).toBe("DEPLOY_DIR_EDITED");
    expect(error.issues).toEqual([expect.objectContaining({ path: "machines/web1.nix", code: "EDITED" })]);
    expect(error.hint).toContain("--overwrite-edited");
    expect(await readFile(join(out, "machines/web1.nix"), "utf8")).toBe(edited);
    expect(await readFile(join(out, "plan.json"), "utf8")).toContain("alpha.example.org"); // nothing written

    const fewer = spec();
    fewer.machines.pop();
    fewer.services = [];
    expect((await thrown(renderDeployment(plan(fewer), { dir: out }))).code).toBe("DEPLOY_DIR_EDITED");

    const forced = await renderDeployment(plan(changed), { dir: out, overwriteEdited: true });
    expect(forced.written).toContain("machines/web1.nix");
    expect(await readFile(join(out, "machines/web1.nix"), "utf8")).toContain("alpha2.example.org");
  });
});

describe("a folder written before manifests", () => {
  it("is adopted: files with the SDK's header and its plan.json are taken over, other files stay", async () => {
    // what an older SDK left: every file of the plan, a machine that since left, and a file of the user's
    const files = deploymentFiles(plan());
    for (const [rel, text] of files) {
      await mkdir(join(out, rel, ".."), { recursive: true });
      await writeFile(join(out, rel), text);
    }
    const gone = files.get("machines/web1.nix")!.replaceAll("web1", "web9");
    await writeFile(join(out, "machines/web9.nix"), gone);
    await writeFile(join(out, "machines/mine.nix"), "{ }\n");
    const changed = spec();
    changed.services[0].options.domain = "alpha2.example.org";
    const report = await renderDeployment(plan(changed), { dir: out });
    expect(report.written).toEqual(["machines/web1.nix", "plan.json"]);
    expect(report.removed).toEqual(["machines/web9.nix"]);
    expect(await readFile(join(out, "machines/mine.nix"), "utf8")).toBe("{ }\n");
    expect((await readDeploymentManifest(out))!.files["machines/mine.nix"]).toBeUndefined();
  });
});

describe("where the deployment directory may be", () => {
  it("refuses the config's folder or a folder containing it, and the state folder and secret store", async () => {
    const configDir = join(root, "project");
    const stateDir = join(configDir, ".fedi");
    const secretsDir = join(stateDir, "secrets");
    await mkdir(secretsDir, { recursive: true });
    await writeFile(join(secretsDir, "alpha-key"), "s3cr3t");
    const guarded = { configDir, stateDir, secretsDir };
    for (const [dir, what] of [
      [configDir, "is the config's folder"],
      [root, "contains the config's folder"],
      [stateDir, "is the state folder"],
      [join(stateDir, "deploy"), "lies inside the state folder"],
      [join(secretsDir, "x"), "lies inside the state folder"],
    ] as const) {
      const error = await thrown(renderDeployment(plan(), { dir, ...guarded }));
      expect(error.code, dir).toBe("DEPLOY_DIR_OVERLAP");
      expect(error.message).toContain(what.split(" the ")[0]!);
      expect(error.message).toContain(what.split(" ").slice(1).join(" "));
      expect(error.hint).toContain("--out");
    }
    // through a symbolic link too
    await symlink(configDir, join(root, "link"));
    expect((await thrown(renderDeployment(plan(), { dir: join(root, "link"), ...guarded }))).code).toBe(
      "DEPLOY_DIR_OVERLAP",
    );
    // a custom secret store elsewhere
    const store = join(root, "vault");
    expect(
      (await thrown(renderDeployment(plan(), { dir: join(store, "deploy"), configDir, secretsDir: store }))).message,
    ).toContain("lies inside the secret store");
    expect(await listFiles(configDir)).toEqual([".fedi/secrets/alpha-key"]);
    // the default place, deploy/ next to the config, is fine
    await renderDeployment(plan(), { dir: join(configDir, "deploy"), ...guarded });
    expect(existsSync(join(configDir, "deploy", DEPLOYMENT_MANIFEST_FILE))).toBe(true);
  });
});

describe("one render entry point", () => {
  it("writes the imported files; the lower-level deploymentFiles refuses to leave them out", async () => {
    const configDir = join(root, "config");
    await mkdir(configDir);
    const hardware = '{ ... }: { fileSystems."/".device = "/dev/vda1"; }\n';
    await writeFile(join(configDir, "hw.nix"), hardware);
    const s = spec();
    s.machines[1].nixosImports = ["hw.nix"];
    const imports = await readNixosImports(s, configDir);
    const p = createPlan({ spec: s, registry, imports });
    const error = (() => {
      try {
        deploymentFiles(p);
      } catch (e) {
        return e as FediError;
      }
      throw new Error("expected a throw");
    })();
    expect(error.code).toBe("USAGE");
    expect(error.message).toContain("web1");
    expect(error.hint).toContain("renderDeployment");
    expect((await thrown(renderDeployment(p, { dir: out }))).code).toBe("USAGE");
    expect(existsSync(out)).toBe(false);

    const report = await renderDeployment(p, { dir: out, imports });
    expect(report.written).toContain("machines/web1/0-hw.nix");
    expect(await readFile(join(out, "machines/web1/0-hw.nix"), "utf8")).toBe(hardware);
    expect(await readFile(join(out, "machines/web1.nix"), "utf8")).toContain("../machines/web1/0-hw.nix");
    // read from the config's folder when not given
    await rm(out, { recursive: true });
    expect((await renderDeployment(p, { dir: out, configDir })).written).toContain("machines/web1/0-hw.nix");
  });
});

describe("a killed write", () => {
  let child = "";
  let bundle = "";
  afterAll(() => rm(bundle, { recursive: true, force: true }));
  beforeAll(async () => {
    bundle = await mkdtemp(join(tmpdir(), "fedi-own-bundle-"));
    await bundleForChild(resolve(import.meta.dirname, "../../src/render/write.ts"), bundle);
    child = join(bundle, "child.mjs");
    await writeFile(
      child,
      `import { readFileSync } from "node:fs";
import { writeDeploymentDir } from "./write.mjs";
const [dir, filesJson] = process.argv.slice(2);
const files = new Map(JSON.parse(readFileSync(filesJson, "utf8")));
for (;;) await writeDeploymentDir(dir, files);
`,
    );
  }, 60_000);

  it("leaves no partial manifest, and the next run (of another plan) finishes it", async () => {
    const many = (tag: string) =>
      new Map(Array.from({ length: 150 }, (_, i) => [`machines/m${i}.nix`, `# ${tag} ${i}\n${"x".repeat(4000)}\n`]));
    const a = many("a");
    const b = many("b");
    await writeFile(join(root, "a.json"), JSON.stringify([...a]));
    for (let trial = 0; trial < 6; trial++) {
      if (trial % 2 === 1) await writeDeploymentDir(out, b); // start from a complete folder of the other plan
      const proc = spawn(process.execPath, [child, out, join(root, "a.json")], { stdio: "ignore" });
      const deadline = Date.now() + 20_000;
      // kill it somewhere inside a write: once the pending manifest or a file of plan a shows up, plus a little
      for (;;) {
        const text = await readFile(join(out, DEPLOYMENT_MANIFEST_FILE), "utf8").catch(() => "");
        if (text.includes('"pending"') || (trial % 2 === 0 && existsSync(join(out, "machines/m0.nix")))) break;
        if (Date.now() > deadline) throw new Error("the child never started writing");
        await new Promise((r) => setTimeout(r, 1));
      }
      await new Promise((r) => setTimeout(r, trial * 3));
      proc.kill("SIGKILL");
      await new Promise((r) => proc.on("exit", r));

      const manifest = await readDeploymentManifest(out); // parses: never half-written
      if (manifest !== undefined) expect(manifest.manifestVersion).toBe(1);
      const report = await writeDeploymentDir(out, b);
      expect(report.written.length + report.unchanged.length).toBe(150);
      const after = await readDeploymentManifest(out);
      expect(after).toEqual({ manifestVersion: 1, files: Object.fromEntries([...b].map(([k, v]) => [k, sha(v)])) });
      expect(await listFiles(out)).toEqual([DEPLOYMENT_MANIFEST_FILE, ...[...b.keys()].sort()]); // no temp file left
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
