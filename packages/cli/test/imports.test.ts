// Imported module files are checked the same way by `fedi validate` and `fedi plan`: a file outside the config's
// folder (a symlink to /etc/shadow) and a file that is not valid Nix are reported with their spec paths by both.
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fedi, tempDir } from "./support/fedi.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N";

let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

describe("imported module files in validate and plan", () => {
  it("reports the same problems, with codes and paths, from both commands", async () => {
    await mkdir(join(dir, "machines", "web1"), { recursive: true });
    await writeFile(join(dir, "machines", "web1", "hardware-configuration.nix"), '{ fileSystems."/" = {\n');
    await symlink("/etc/shadow", join(dir, "machines", "web1", "secrets.nix"));
    await writeFile(
      join(dir, "fedi.config.json"),
      JSON.stringify({
        name: "demo",
        machines: [
          {
            name: "web1",
            host: "203.0.113.10",
            ssh: { hostPublicKey: KEY, authorizedKeys: [KEY] },
            resources: { cpus: 8, memoryMiB: 16384, diskGiB: 200 },
            stateVersion: "25.05",
            boot: { loader: "grub", devices: ["/dev/vda"] },
            nixosImports: ["machines/web1/hardware-configuration.nix", "machines/web1/secrets.nix"],
          },
        ],
        storage: { kind: "garage", options: { replicationFactor: 1 } },
      }),
    );
    const validate = await fedi(["validate"], { cwd: dir });
    expect(validate.exitCode).toBe(1);
    expect(validate.stderr).toMatch(/^error MACHINE_IMPORT_INVALID: 2 imported NixOS module files cannot be used\./m);
    expect(validate.stderr).toMatch(
      /- machines\[0\]\.nixosImports\[0\]: .*hardware-configuration\.nix is not valid Nix/,
    );
    expect(validate.stderr).toMatch(/- machines\[0\]\.nixosImports\[1\]: .*resolves to \/etc\/shadow, outside/);

    const plan = await fedi(["plan", "--json"], { cwd: dir });
    expect(plan.exitCode).toBe(1);
    const { error } = JSON.parse(plan.stdout);
    expect(error.code).toBe("MACHINE_IMPORT_INVALID");
    expect(error.issues.map((i: { path: string; code: string }) => [i.path, i.code])).toEqual([
      ["machines[0].nixosImports[0]", "IMPORT_PARSE_FAILED"],
      ["machines[0].nixosImports[1]", "IMPORT_OUTSIDE_CONFIG_DIR"],
    ]);
    for (const issue of error.issues)
      expect(validate.stderr).toContain(`${issue.path}: ${issue.message.split("\n")[0]}`);
  });
});
