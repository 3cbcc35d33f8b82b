// Imported NixOS module files (machines[].nixosImports) are read by one function for validate, plan and apply:
// regular files inside the config's folder tree only, parse-checked by the real Nix, problems reported with their
// spec path and code by the planner.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  type FediError,
  isFediError,
  MAX_IMPORT_BYTES,
  readNixosImports,
} from "../../src/index.js";
import { requireNix } from "../../src/testing/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const registry = createRegistry(testPlugins);
const HARDWARE = '{ ... }:\n{\n  fileSystems."/" = {\n    device = "/dev/vda1";\n    fsType = "ext4";\n  };\n}\n';

let hasNix = false;
let dir: string;
let config: string;
beforeAll(async () => {
  hasNix = await requireNix();
  dir = await mkdtemp(join(tmpdir(), "fedi-imports-"));
  config = join(dir, "config");
  await mkdir(join(config, "machines", "box"), { recursive: true });
  await writeFile(join(config, "machines", "box", "hardware-configuration.nix"), HARDWARE);
  await writeFile(join(dir, "outside.nix"), HARDWARE);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const spec = (imports: string[]) => ({
  name: "prod",
  machines: [machine("box", "10.0.0.1", { nixosImports: imports, nixos: {} })],
  storage: { kind: "toystore" },
});

async function planError(imports: string[]): Promise<FediError> {
  const s = spec(imports);
  try {
    createPlanFromUnknown({ spec: s, registry, imports: await readNixosImports(s, config) });
  } catch (error) {
    if (isFediError(error)) return error;
    throw error;
  }
  throw new Error("the plan was not refused");
}

describe("imported module files", () => {
  it("a regular file inside the config's tree is read, hashed and planned", async () => {
    const s = spec(["machines/box/hardware-configuration.nix"]);
    const imports = await readNixosImports(s, config);
    const read = imports.get("machines/box/hardware-configuration.nix");
    expect(read).toMatchObject({ ok: true, text: HARDWARE, parseChecked: hasNix });
    const plan = createPlanFromUnknown({ spec: s, registry, imports });
    expect(plan.machines[0]!.nixosImports[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("a symlink to /etc/shadow is refused before anything is read from it", async () => {
    await symlink("/etc/shadow", join(config, "shadow.nix"));
    const error = await planError(["shadow.nix"]);
    expect(error.code).toBe("MACHINE_IMPORT_INVALID");
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: "machines[0].nixosImports[0]",
        code: "IMPORT_OUTSIDE_CONFIG_DIR",
        message: expect.stringContaining("resolves to /etc/shadow, outside the config's folder"),
      }),
    ]);
  });

  it("paths leaving the tree (../, absolute, a linked folder) are refused; a link inside the tree is fine", async () => {
    await symlink(dir, join(config, "up"));
    await symlink("machines/box/hardware-configuration.nix", join(config, "link.nix"));
    const error = await planError(["../outside.nix", join(dir, "outside.nix"), "up/outside.nix", "link.nix"]);
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ["machines[0].nixosImports[0]", "IMPORT_OUTSIDE_CONFIG_DIR"],
      ["machines[0].nixosImports[1]", "IMPORT_OUTSIDE_CONFIG_DIR"],
      ["machines[0].nixosImports[2]", "IMPORT_OUTSIDE_CONFIG_DIR"],
    ]);
    const inside = await readNixosImports(spec(["link.nix"]), config);
    expect(inside.get("link.nix")).toMatchObject({ ok: true, text: HARDWARE });
  });

  it("a FIFO, a directory and a missing file are refused without blocking", async () => {
    await promisify(execFile)("mkfifo", [join(config, "pipe.nix")]);
    await mkdir(join(config, "dir.nix"));
    const error = await planError(["pipe.nix", "dir.nix", "missing.nix"]);
    expect(error.issues.map((i) => [i.path, i.code])).toEqual([
      ["machines[0].nixosImports[0]", "IMPORT_NOT_REGULAR_FILE"],
      ["machines[0].nixosImports[1]", "IMPORT_NOT_REGULAR_FILE"],
      ["machines[0].nixosImports[2]", "IMPORT_NOT_FOUND"],
    ]);
    expect(error.issues[0]!.message).toContain("FIFO");
    expect(error.issues[0]!.hint).toBeDefined();
  });

  it("an oversized file is refused", async () => {
    await writeFile(join(config, "big.nix"), `{ x = "${"a".repeat(MAX_IMPORT_BYTES)}"; }`);
    expect((await planError(["big.nix"])).issues.map((i) => i.code)).toEqual(["IMPORT_TOO_LARGE"]);
  });

  it("an unparsable file is reported with the real Nix's message", async (ctx) => {
    if (!hasNix) ctx.skip();
    await writeFile(join(config, "broken.nix"), '{ fileSystems."/" = { device = "/dev/vda1"; };\n');
    const error = await planError(["broken.nix"]);
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: "machines[0].nixosImports[0]",
        code: "IMPORT_PARSE_FAILED",
        message: expect.stringMatching(/is not valid Nix: .*syntax error/s),
      }),
    ]);
    // without the parse check the file is read as text
    const unchecked = await readNixosImports(spec(["broken.nix"]), config, { parse: false });
    expect(unchecked.get("broken.nix")).toMatchObject({ ok: true, parseChecked: false });
  });

  it("createPlan without the files' texts refuses a machine that imports files", () => {
    let error: unknown;
    try {
      createPlanFromUnknown({ spec: spec(["machines/box/hardware-configuration.nix"]), registry });
    } catch (e) {
      error = e;
    }
    expect(isFediError(error) && error.code).toBe("MACHINE_IMPORT_INVALID");
    expect((error as FediError).issues[0]).toMatchObject({
      code: "IMPORT_NOT_READ",
      path: "machines[0].nixosImports[0]",
    });
  });
});
