import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";

/** One command the stubs recorded: its name, its argv (without argv[0]) and the NIX_SSHOPTS it saw. */
export interface Recorded {
  command: "nix" | "ssh";
  argv: string[];
  nixSshOpts: string | undefined;
}

/**
 * Runs `bash -c <script> <$0> <$1>` (the nixos component's exec resource) with stub `nix` and/or `ssh` first on
 * PATH. Each stub writes its argv NUL-separated (so any byte but NUL survives) and exits 0. `realSsh` leaves the
 * system's ssh in place (only `nix` is stubbed).
 */
export async function runWithStubs(
  args: readonly string[],
  options: { realSsh?: boolean; env?: Record<string, string> } = {},
): Promise<{ exitCode: number; stderr: string; records: Recorded[] }> {
  const dir = await mkdtemp(join(tmpdir(), "fedi-sshopts-"));
  try {
    const bin = join(dir, "bin");
    const out = join(dir, "out");
    await mkdir(bin);
    await mkdir(out);
    const stubs = options.realSsh ? ["nix"] : ["nix", "ssh"];
    for (const name of stubs) {
      const stub = join(bin, name);
      // the counter file orders the records; printf '%s\0' keeps every argument byte-exact
      await writeFile(
        stub,
        `#!/bin/sh\nn=$(ls "${out}" | wc -l)\nf="${out}/$n-${name}"\n{ printf '%s\\0' "\${NIX_SSHOPTS-<unset>}"; printf '%s\\0' "$@"; } > "$f"\n`,
      );
      await chmod(stub, 0o755);
    }
    const result = await execa("bash", [...args], {
      reject: false,
      env: { ...options.env, PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` },
      extendEnv: true,
      timeout: 30_000,
    });
    const files = (await readdir(out)).sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10));
    const records: Recorded[] = [];
    for (const file of files) {
      const parts = (await readFile(join(out, file), "utf8")).split("\0");
      parts.pop();
      const [opts, ...argv] = parts;
      records.push({
        command: file.endsWith("-nix") ? "nix" : "ssh",
        argv,
        nixSshOpts: opts === "<unset>" ? undefined : opts,
      });
    }
    return { exitCode: result.exitCode ?? -1, stderr: String(result.stderr), records };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
