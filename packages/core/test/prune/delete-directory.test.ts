// A storage node's directories under systemd's DynamicUser (nixpkgs' services.garage): /var/lib/garage is a symlink to
// /var/lib/private/garage. The delete-directory command must delete the real data when given the configured paths,
// and only the link when given the link (it never follows a symlink as the last component).
import { execFileSync } from "node:child_process";
import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkPrunablePath, deleteDirectoryCommand } from "../../src/prune/index.js";

let root: string;
let lib: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "fedi-prune-dir-"));
  lib = join(root, "var", "lib");
  // What systemd makes of StateDirectory=garage with DynamicUser=yes.
  await mkdir(join(lib, "private", "garage", "meta"), { recursive: true });
  await mkdir(join(lib, "private", "garage", "data"), { recursive: true });
  await writeFile(join(lib, "private", "garage", "meta", "node_key"), "k");
  await writeFile(join(lib, "private", "garage", "data", "block"), "b");
  await symlink("private/garage", join(lib, "garage"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const run = (path: string) => execFileSync("sh", ["-c", deleteDirectoryCommand(path)], { encoding: "utf8" }).trim();
const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe("deleteDirectoryCommand and a DynamicUser state directory", () => {
  it("deletes the real directories through the /var/lib/garage symlink, then the private state directory", async () => {
    expect(run(join(lib, "garage", "meta"))).toBe("deleted");
    expect(run(join(lib, "garage", "data"))).toBe("deleted");
    expect(await readdir(join(lib, "private", "garage"))).toEqual([]);
    expect(run(join(lib, "private", "garage"))).toBe("deleted");
    expect(await exists(join(lib, "private", "garage"))).toBe(false);
    // A second run finds nothing (through the now dangling link, too).
    expect(run(join(lib, "garage", "meta"))).toBe("absent");
    expect(run(join(lib, "private", "garage"))).toBe("absent");
    // The dangling link goes last.
    expect(run(join(lib, "garage"))).toBe("deleted");
    expect(await readdir(lib)).toEqual(["private"]);
  });

  it("given the symlink itself, deletes only the link and leaves the data (so it is never the only path)", async () => {
    expect(run(join(lib, "garage"))).toBe("deleted");
    expect(await exists(join(lib, "garage"))).toBe(false);
    expect(await exists(join(lib, "private", "garage", "meta", "node_key"))).toBe(true);
  });

  it("accepts the paths Garage declares", () => {
    for (const path of ["/var/lib/garage/meta", "/var/lib/garage/data", "/var/lib/private/garage", "/var/lib/garage"])
      expect(checkPrunablePath(path)).toBeUndefined();
  });
});
