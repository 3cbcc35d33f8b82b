import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEPLOYMENT_COMMIT_IDENTITY, prepareDeploymentRepo } from "../../src/nixops4/index.js";
import { writeDeploymentDir } from "../../src/render/index.js";

const git = async (dir: string, args: string[]) =>
  (await execa("git", args, { cwd: dir, env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" } })).stdout;

describe("prepareDeploymentRepo", () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "fedi-repo-"));
    dir = join(root, "deployment");
    await mkdir(dir);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("initialises, commits new files, then reports an unchanged tree", async () => {
    await writeFile(join(dir, "flake.nix"), "{ }\n");
    await mkdir(join(dir, "machines"));
    await writeFile(join(dir, "machines", "web01.nix"), "{ }\n");

    const first = await prepareDeploymentRepo(dir, { message: "deploy 1", files: ["flake.nix", "machines/web01.nix"] });
    expect(first.changed).toBe(true);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect((await git(dir, ["ls-files"])).split("\n").sort()).toEqual(["flake.nix", "machines/web01.nix"]);
    expect(await git(dir, ["status", "--porcelain", "--untracked-files=all"])).toBe("");
    expect(await git(dir, ["log", "-1", "--format=%an <%ae>|%cn <%ce>|%s"])).toBe(
      `${DEPLOYMENT_COMMIT_IDENTITY.name} <${DEPLOYMENT_COMMIT_IDENTITY.email}>|` +
        `${DEPLOYMENT_COMMIT_IDENTITY.name} <${DEPLOYMENT_COMMIT_IDENTITY.email}>|deploy 1`,
    );

    const second = await prepareDeploymentRepo(dir, {
      message: "deploy 2",
      files: ["flake.nix", "machines/web01.nix"],
    });
    expect(second).toEqual({ commit: first.commit, changed: false });
    expect(await git(dir, ["rev-list", "--count", "HEAD"])).toBe("1");
  });

  it("commits changed and deleted files", async () => {
    await writeFile(join(dir, "flake.nix"), "{ }\n");
    await writeFile(join(dir, "old.nix"), "{ }\n");
    const first = await prepareDeploymentRepo(dir, { message: "one", files: ["flake.nix", "old.nix"] });
    await writeFile(join(dir, "flake.nix"), "{ changed = true; }\n");
    await rm(join(dir, "old.nix"));
    const second = await prepareDeploymentRepo(dir, { message: "two", files: ["flake.nix"] });
    expect(second.changed).toBe(true);
    expect(second.commit).not.toBe(first.commit);
    expect(await git(dir, ["ls-files"])).toBe("flake.nix");
    expect(await git(dir, ["show", "HEAD:flake.nix"])).toBe("{ changed = true; }");
  });

  it("makes its own repository inside a parent repository and ignores GIT_* variables and user config", async () => {
    await git(root, ["init", "--quiet"]);
    await writeFile(join(dir, "flake.nix"), "{ }\n");
    const saved = { GIT_DIR: process.env.GIT_DIR, GIT_WORK_TREE: process.env.GIT_WORK_TREE };
    process.env.GIT_DIR = join(root, "elsewhere.git");
    process.env.GIT_WORK_TREE = root;
    try {
      const result = await prepareDeploymentRepo(dir, { message: "nested", files: ["flake.nix"] });
      expect(result.changed).toBe(true);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    expect(await git(dir, ["rev-parse", "--show-toplevel"])).toBe(dir);
    expect(await git(root, ["status", "--porcelain"])).toBe("?? deployment/");
  });

  it("gives an empty directory a first commit so HEAD exists", async () => {
    const result = await prepareDeploymentRepo(dir, { message: "empty", files: [] });
    expect(result.changed).toBe(true);
    expect((await prepareDeploymentRepo(dir, { message: "again", files: [] })).changed).toBe(false);
  });

  it("refuses a missing directory with IO_FAILED", async () => {
    await expect(prepareDeploymentRepo(join(root, "nope"), { message: "x" })).rejects.toMatchObject({
      code: "IO_FAILED",
    });
  });
});

describe("prepareDeploymentRepo of a rendered deployment directory", () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "fedi-repo-manifest-"));
    dir = join(root, "deploy");
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it("commits only the manifest's files: never secrets or other files lying in the folder", async () => {
    await writeDeploymentDir(
      dir,
      new Map([
        ["flake.nix", "{ }\n"],
        ["machines/web1.nix", "{ }\n"],
      ]),
    );
    // files the SDK did not write: a secret store someone put here, a note, and a file an old `git add -A` tracked
    await mkdir(join(dir, ".fedi", "secrets"), { recursive: true });
    await writeFile(join(dir, ".fedi", "secrets", "alpha-key"), "s3cr3t");
    await writeFile(join(dir, "notes.txt"), "mine\n");
    await git(dir, ["init", "--quiet"]);
    await writeFile(join(dir, "old-tracked.txt"), "tracked\n");
    await git(dir, ["add", "old-tracked.txt"]);
    const result = await prepareDeploymentRepo(dir, { message: "deploy" });
    expect(result.changed).toBe(true);
    expect((await git(dir, ["ls-tree", "-r", "--name-only", "HEAD"])).split("\n").sort()).toEqual([
      ".fedi-manifest.json",
      "flake.nix",
      "machines/web1.nix",
    ]);
    expect(await readFile(join(dir, "old-tracked.txt"), "utf8")).toBe("tracked\n"); // untracked, not deleted
    expect((await prepareDeploymentRepo(dir, { message: "again" })).changed).toBe(false);
  });

  it("refuses a folder without a manifest, and a file changed after it was written", async () => {
    await mkdir(dir);
    await writeFile(join(dir, "flake.nix"), "{ }\n");
    await expect(prepareDeploymentRepo(dir, { message: "x" })).rejects.toMatchObject({
      code: "DEPLOY_DIR_FOREIGN_FILE",
    });
    await writeDeploymentDir(dir, new Map([["flake.nix", "{ }\n"]]), { overwriteEdited: true });
    await writeFile(join(dir, "flake.nix"), "{ evil = true; }\n");
    await expect(prepareDeploymentRepo(dir, { message: "x" })).rejects.toMatchObject({ code: "DEPLOY_DIR_EDITED" });
  });
});
