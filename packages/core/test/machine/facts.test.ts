import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { arch as nodeArch, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrorCode } from "../../src/errors.js";
import {
  checkFacts,
  connect,
  FACTS_SCRIPT,
  gatherFacts,
  nixSystem,
  type PreflightFacts,
  parseFacts,
  type SshConnection,
} from "../../src/machine/index.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";

const run = promisify(execFile);

/**
 * What FACTS_SCRIPT prints on a NixOS 24.05 x86_64 machine: os-release fields as NixOS writes them
 * (nixos/modules/misc/version.nix), `nix --version`, df -Pk of /nix on an ext4 root, `systemctl is-system-running`.
 */
const NIXOS_X86 = `fedi-facts=1
os.ANSI_COLOR="1;34"
os.BUG_REPORT_URL="https://github.com/NixOS/nixpkgs/issues"
os.BUILD_ID="24.05.20240619.dd457de"
os.DOCUMENTATION_URL="https://nixos.org/learn.html"
os.HOME_URL="https://nixos.org/"
os.ID=nixos
os.IMAGE_ID=""
os.IMAGE_VERSION=""
os.LOGO="nix-snowflake"
os.NAME=NixOS
os.PRETTY_NAME="NixOS 24.05 (Uakari)"
os.SUPPORT_END="2024-12-31"
os.SUPPORT_URL="https://nixos.org/community.html"
os.VERSION="24.05 (Uakari)"
os.VERSION_CODENAME=uakari
os.VERSION_ID="24.05"
arch=x86_64
kernel=Linux
nix=nix (Nix) 2.18.2
mem-kib=8135580
disk-path=/nix
disk-df=/dev/disk/by-label/nixos  81987992 12345678  65432100      16% /
cpus=4
systemd=running
fedi-facts-end=1
`;

/** An aarch64 NixOS machine with a failed unit, seen through a login shell that prints a banner first. */
const NIXOS_ARM_DEGRADED = `Welcome!
fedi-facts=1
os.ID=nixos
os.PRETTY_NAME="NixOS 23.11 (Tapir)"
os.NAME=NixOS
arch=aarch64
kernel=Linux
nix=nix (Nix) 2.18.1
mem-kib=2014000
disk-path=/nix
disk-df=/dev/sda2 30787492 9000000 20000000 32% /
cpus=2
systemd=degraded
fedi-facts-end=1
`;

describe("parseFacts (recorded NixOS outputs)", () => {
  it("parses an x86_64 NixOS machine", () => {
    const facts = parseFacts("web1", NIXOS_X86);
    expect(facts).toEqual<PreflightFacts>({
      machine: "web1",
      isNixOS: true,
      osRelease: expect.objectContaining({
        ID: "nixos",
        PRETTY_NAME: "NixOS 24.05 (Uakari)",
        VERSION_ID: "24.05",
        IMAGE_ID: "",
        ANSI_COLOR: "1;34",
      }) as Record<string, string>,
      nixVersion: "2.18.2",
      arch: "x86_64",
      system: "x86_64-linux",
      memoryMiB: 7944,
      freeDiskGiB: 62.4,
      diskPath: "/nix",
      cpus: 4,
      systemd: "running",
    });
    expect(checkFacts(facts, { system: "x86_64-linux", memoryMiB: 8192, diskGiB: 20, cpus: 2 })).toEqual([]);
  });

  it("parses an aarch64 machine behind a banner and reports every unmet requirement", () => {
    const facts = parseFacts("arm1", NIXOS_ARM_DEGRADED);
    expect(facts.system).toBe("aarch64-linux");
    expect(facts.systemd).toBe("degraded");
    expect(facts.freeDiskGiB).toBe(19);
    const problems = checkFacts(facts, { system: "x86_64-linux", memoryMiB: 4096, diskGiB: 40, cpus: 4 });
    expect(problems.map((p) => [p.check, p.expected, p.actual])).toEqual([
      ["system", "x86_64-linux", "aarch64-linux"],
      ["memory", "4096 MiB", "1966 MiB"],
      ["disk", "40 GiB free on /nix", "19 GiB free"],
      ["cpus", "4 CPUs", "2 CPUs"],
    ]);
    expect(problems.every((p) => p.machine === "arm1" && p.hint.length > 10)).toBe(true);
    // A degraded system (some unit failed) is not a blocker.
    expect(problems.some((p) => p.check === "systemd")).toBe(false);
  });

  it("tolerates MemTotal up to 10% under the requirement", () => {
    const facts = parseFacts("web1", NIXOS_X86); // 7944 MiB
    expect(checkFacts(facts, { system: "x86_64-linux", memoryMiB: 8800, diskGiB: 1 })).toEqual([]);
    expect(checkFacts(facts, { system: "x86_64-linux", memoryMiB: 8900, diskGiB: 1 }).map((p) => p.check)).toEqual([
      "memory",
    ]);
  });

  it("reports NixOS without nix on PATH, and a machine still booting", () => {
    const facts = parseFacts(
      "web1",
      NIXOS_X86.replace("nix=nix (Nix) 2.18.2", "nix=").replace("systemd=running", "systemd=starting"),
    );
    expect(facts.nixVersion).toBeNull();
    expect(checkFacts(facts, { system: "x86_64-linux", memoryMiB: 1, diskGiB: 1 }).map((p) => p.check)).toEqual([
      "nix",
      "systemd",
    ]);
  });

  it("fails on output without markers or truncated output", () => {
    expect(() => parseFacts("web1", "bash: sh: command not found\n")).toThrow(/no start marker/);
    const truncated = NIXOS_X86.slice(0, NIXOS_X86.indexOf("cpus="));
    try {
      parseFacts("web1", truncated);
      expect.unreachable();
    } catch (error) {
      expect(hasErrorCode(error, "PREFLIGHT_FAILED")).toBe(true);
      expect((error as Error).message).toContain('machine "web1"');
      expect((error as Error).message).toContain("truncated");
    }
  });

  it("maps uname -m to Nix systems", () => {
    expect(nixSystem("x86_64")).toBe("x86_64-linux");
    expect(nixSystem("aarch64")).toBe("aarch64-linux");
    expect(nixSystem("arm64")).toBe("aarch64-linux");
    expect(nixSystem("i686")).toBe("i686-linux");
    expect(nixSystem("riscv64")).toBe("riscv64-linux");
  });
});

describe("gatherFacts on a real machine over SSH (this Debian host)", () => {
  let sshd: SshdFixture;
  let conn: SshConnection;

  beforeAll(async () => {
    sshd = await startSshd();
    conn = await connect(sshd.target("debian1"));
  });

  afterAll(async () => {
    await conn?.close();
    await sshd?.dispose();
  });

  it("gathers the same facts the host shows locally", async () => {
    const facts = await gatherFacts(conn);
    const osRelease = await readFile("/etc/os-release", "utf8");
    const id = /^ID=(.*)$/m.exec(osRelease)?.[1]?.replace(/"/g, "");
    expect(facts.machine).toBe("debian1");
    expect(facts.osRelease.ID).toBe(id);
    expect(facts.isNixOS).toBe(id === "nixos");
    expect(facts.arch).toBe((await run("uname", ["-m"])).stdout.trim());
    expect(facts.system).toBe(
      nodeArch() === "x64" ? "x86_64-linux" : nodeArch() === "arm64" ? "aarch64-linux" : facts.system,
    );
    expect(facts.cpus).toBe(Number((await run("nproc")).stdout.trim()));
    const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(await readFile("/proc/meminfo", "utf8"))?.[1]);
    expect(facts.memoryMiB).toBe(Math.floor(memKiB / 1024));
    expect(facts.diskPath).toBe(existsSync("/nix") ? "/nix" : "/");
    expect(facts.freeDiskGiB).toBeGreaterThan(0);
    expect(facts.systemd).toBe(existsSync("/run/systemd/system") ? expect.any(String) : "absent");
    expect(facts.user).toBe((await run("id", ["-un"])).stdout.trim());
    if ((await run("id", ["-u"])).stdout.trim() === "0") expect(facts.sudo).toBe("root");
    else expect(facts.sudo).not.toBe("root");
  });

  it("reports that this host is not NixOS, with a hint", async () => {
    const facts = await gatherFacts(conn);
    const problems = checkFacts(facts, { system: facts.system, memoryMiB: 1, diskGiB: 0 });
    const nixos = problems.find((p) => p.check === "nixos");
    if (facts.isNixOS) {
      expect(nixos).toBeUndefined();
    } else {
      expect(nixos?.expected).toBe("NixOS");
      expect(nixos?.actual).toBe(facts.osRelease.PRETTY_NAME);
      expect(nixos?.hint).toMatch(/Install NixOS/);
    }
  });

  it("runs as one POSIX sh script that changes nothing", async () => {
    expect(FACTS_SCRIPT).not.toMatch(/\b(rm|mv|cp|tee|touch|mkdir)\b/);
    // dash is Debian's /bin/sh: the strictest POSIX shell at hand.
    const { stdout } = await run("dash", ["-n", "-c", FACTS_SCRIPT]).catch(() => run("sh", ["-n", "-c", FACTS_SCRIPT]));
    expect(stdout).toBe("");
  });
});

/** Runs FACTS_SCRIPT locally in `shell` (fed on standard input, as over SSH), optionally through a wrapper command. */
async function runScript(
  shell: string,
  wrapper: readonly string[] = [],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<string> {
  const { spawn } = await import("node:child_process");
  const [command, ...args] = [...wrapper, shell, "-s"];
  return await new Promise((resolve, reject) => {
    const child = spawn(command!, args, { stdio: ["pipe", "pipe", "ignore"], ...options });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${shell} exited with ${code}`))));
    child.stdin.end(FACTS_SCRIPT);
  });
}

/** The facts without the ones that change between two runs (free disk space). */
function stable(facts: PreflightFacts): Omit<PreflightFacts, "freeDiskGiB"> {
  const { freeDiskGiB: _, ...rest } = facts;
  return rest;
}

const isRoot = process.getuid?.() === 0;

describe("FACTS_SCRIPT in the shells a machine's sh may be (dash: Debian; bash: NixOS' /bin/sh)", () => {
  it("prints the same facts in dash and in bash, and the ones the host's tools print", async () => {
    const dash = parseFacts("local", await runScript("dash"));
    const bash = parseFacts("local", await runScript("bash"));
    expect(stable(bash)).toEqual(stable(dash));
    const uname = (await run("uname", ["-sm"])).stdout.trim().split(" ");
    expect(dash.arch).toBe(uname[1]);
    expect(dash.system).toBe(nixSystem(uname[1]!, uname[0]));
    expect(dash.cpus).toBe(Number((await run("nproc")).stdout.trim()));
    expect(dash.user).toBe((await run("id", ["-un"])).stdout.trim());
    // df's last line, as `df -Pk PATH | tail -n 1` printed it before the script dropped tail.
    const df = (await run("df", ["-Pk", dash.diskPath])).stdout.trim().split("\n").at(-1)!.split(/\s+/);
    expect(Math.abs(dash.freeDiskGiB - Number(df[3]) / (1024 * 1024))).toBeLessThan(1);
  });

  it.runIf(isRoot && existsSync("/proc/sys/kernel/arch"))(
    "asks uname where /proc/sys/kernel has no arch (Linux before 6.1)",
    async () => {
      // In a mount namespace of its own, /proc/sys/kernel/arch reads empty.
      const hide =
        'mount --bind /dev/null /proc/sys/kernel/arch && [ -z "$(cat /proc/sys/kernel/arch)" ] && exec "$0" "$@"';
      const wrapper = ["unshare", "--mount", "--propagation", "private", "sh", "-c", hide];
      const uname = (await run("uname", ["-sm"])).stdout.trim().split(" ");
      for (const shell of ["dash", "bash"]) {
        const facts = parseFacts("local", await runScript(shell, wrapper));
        expect([facts.arch, facts.system]).toEqual([uname[1], nixSystem(uname[1]!, uname[0])]);
      }
    },
  );

  it("counts the CPUs the shell may run on, as nproc does (taskset -c 0)", async () => {
    for (const shell of ["dash", "bash"]) {
      const facts = parseFacts("local", await runScript(shell, ["taskset", "-c", "0"]));
      expect(facts.cpus).toBe(1);
    }
  });

  it("counts kernel CPU lists, and gives up on anything else so nproc is asked", async () => {
    const fn = /^count_cpus\(\) \{$[\s\S]*?^\}$/m.exec(FACTS_SCRIPT)?.[0];
    expect(fn).toBeDefined();
    const cases: [string, string][] = [
      ["0", "1"],
      ["0-1", "2"],
      ["0-3,8-11", "8"],
      ["0,2,4-5", "4"],
      ["3", "1"],
      ["0-127", "128"],
      ["", ""],
      ["0-", ""],
      ["-1", ""],
      ["3-1", ""],
      ["0-3-5", ""],
      ["08", ""],
      ["0,,1", ""],
      ["ff", ""],
      ["0-1 2", ""],
    ];
    const probe = `${fn}\n${cases.map(([list]) => `count_cpus '${list}'; echo "[$cpus]"`).join("\n")}\n`;
    for (const shell of ["dash", "bash"]) {
      const { stdout } = await run(shell, ["-c", probe]);
      expect(stdout.trim().split("\n")).toEqual(cases.map(([, n]) => `[${n}]`));
    }
  });

  it.runIf(isRoot)("names a login user other than root from /etc/passwd as id -un does (as nobody)", async () => {
    for (const shell of ["dash", "bash"]) {
      const nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];
      const facts = parseFacts("local", await runScript(shell, nobody));
      expect(facts.user).toBe((await run(nobody[0]!, [...nobody.slice(1), "id", "-un"])).stdout.trim());
      expect(facts.sudo).not.toBe("root");
      expect(facts.sudo).toBeDefined();
    }
  });

  it.runIf(isRoot)("asks id for a uid /etc/passwd has no entry for, and names no user when id cannot", async () => {
    for (const shell of ["dash", "bash"]) {
      const stranger = ["setpriv", "--reuid=54321", "--regid=54321", "--clear-groups"];
      // id prints no name either ("uid=54321 gid=54321 groups=54321").
      expect((await run(stranger[0]!, [...stranger.slice(1), "id"])).stdout).toMatch(/^uid=54321 /);
      const facts = parseFacts("local", await runScript(shell, stranger));
      expect(facts.user).toBeUndefined();
      expect(facts.sudo).not.toBe("root");
    }
  });

  it.runIf(isRoot)("takes the name of the first /etc/passwd entry with the uid, as getpwuid does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fedi-facts-passwd-"));
    try {
      const passwd = join(dir, "passwd");
      // Two names for uid 0 (a "toor" alias first), as getpwuid's files backend reads them: the first wins.
      await writeFile(passwd, "daemon:x:1:1::/:/bin/false\ntoor:x:0:0::/root:/bin/sh\nroot:x:0:0::/root:/bin/sh\n");
      const swap = 'mount --bind "$FEDI_PASSWD" /etc/passwd && exec "$0" "$@"';
      const wrapper = ["unshare", "--mount", "--propagation", "private", "sh", "-c", swap];
      for (const shell of ["dash", "bash"]) {
        const facts = parseFacts(
          "local",
          await runScript(shell, wrapper, { env: { ...process.env, FEDI_PASSWD: passwd } }),
        );
        const id = await run("unshare", ["--mount", "--propagation", "private", "sh", "-c", swap, "id", "-un"], {
          env: { ...process.env, FEDI_PASSWD: passwd },
        });
        expect(facts.user).toBe(id.stdout.trim());
        expect(facts.user).toBe("toor");
        expect(facts.sudo).toBe("root");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("finds nix on $PATH as command -v does (an empty entry is the current folder)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fedi-facts-path-"));
    try {
      const [notExecutable, folder, found, later] = ["a", "b", "c", "d"].map((d) => join(dir, d));
      for (const d of [notExecutable, folder, found, later]) await mkdir(d!);
      await writeFile(join(notExecutable!, "nix"), "#!/bin/sh\necho 'nix (Nix) 1.0'\n", { mode: 0o644 });
      await mkdir(join(folder!, "nix")); // a folder named nix is no command
      await writeFile(join(found!, "nix"), "#!/bin/sh\necho 'nix (Nix) 9.9.9'\n", { mode: 0o755 });
      await writeFile(join(later!, "nix"), "#!/bin/sh\necho 'nix (Nix) 2.0'\n", { mode: 0o755 });
      const system = "/usr/bin:/bin";
      const cases: [string, string, string][] = [
        [`${dir}/none:${notExecutable}:${folder}:${found}:${later}:${system}`, dir, "9.9.9"],
        [`${later}:${found}:${system}`, dir, "2.0"],
        // An empty entry: the current folder (here `found`).
        [`${notExecutable}::${later}:${system}`, found!, "9.9.9"],
      ];
      for (const shell of ["dash", "bash"]) {
        for (const [path, cwd, version] of cases) {
          const env = { ...process.env, PATH: path };
          const facts = parseFacts("local", await runScript(shell, [], { cwd, env }));
          // The nix that command -v names (in that shell, folder and PATH) prints the same version.
          const viaCommandV = await run(shell, ["-c", '"$(command -v nix)" --version'], { cwd, env });
          expect(viaCommandV.stdout.trim()).toBe(`nix (Nix) ${version}`);
          expect(facts.nixVersion).toBe(version);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
