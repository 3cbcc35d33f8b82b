import { existsSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPlanFromUnknown, createRegistry, deploymentFiles, hasErrorCode, nixops4Ssh } from "../../src/index.js";
import { identityFileProblem } from "../../src/nixops4/index.js";
import { requireNix } from "../../src/testing/index.js";
import {
  type NixosComponentSsh,
  nixosComponentCommand,
  nixosComponentFixedSshOptions,
  nixShellSplit,
  sshConfigArgument,
  sshIdentityFilePath,
} from "../doubles/nixops4-nixos-ssh.js";
import { machine, testPlugins } from "../fixtures/plugins.js";
import { type SshdFixture, startSshd } from "../fixtures/sshd.js";
import { type Recorded, runWithStubs } from "./ssh-command-runner.js";

const ORACLE = process.env.ORACLE_INPUTS || join(homedir(), ".cache", "nix-oracle");
const UPSTREAM_MODULE = join(ORACLE, "nixops4-nixos", "modules", "nixops4Resource", "nixos.nix");
const UPSTREAM_LIB = join(ORACLE, "nixlib", "lib");
const hasUpstream = existsSync(UPSTREAM_MODULE) && existsSync(join(UPSTREAM_LIB, "default.nix"));
if (!hasUpstream) {
  console.warn(
    `SKIPPING the tests against the real nixops4-nixos module: ${UPSTREAM_MODULE} (and nixpkgs.lib at ${UPSTREAM_LIB}) not found; set ORACLE_INPUTS`,
  );
}

const TOPLEVEL = "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-nixos-system-web1-25.05";
const KEY_TYPE = "ssh-ed25519";
const KEY_BLOB = "AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8";
const registry = createRegistry(testPlugins);

/** Paths that must reach ssh as exactly one option, unchanged. */
const CARRIED = [
  "/home/ops/.ssh/deploy",
  "/k/-oProxyCommand=touch,pwned", // an ssh option spelled inside a path stays part of the path
  "/keys/$(touch>pwned)/id",
  "/keys/`id`;&|<>/id",
  "/keys/clé-ключ-鍵-🔑/id",
  "/keys/50%/%h%%/id",
  "/keys/#hash/a=b/id",
  "/keys/nb\u00a0space/id",
];
/** Paths that cannot be carried, and the spec path the refusal must name. */
const REFUSED = [
  "/keys/with space/id",
  "/k -oProxyCommand=touch /tmp/pwned",
  "/keys/'quoted'/id",
  '/keys/"quoted"/id',
  "/keys/back\\slash/id",
  "/keys/new\nline/id",
  "/keys/tab\tbed/id",
  "/keys/*/id",
  "/keys/?/id",
  "/keys/[ab]/id",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text ${HOME}, which ssh would expand
  "/keys/${HOME}/id",
  "relative/key",
  "~/.ssh/id_ed25519",
];

function spec(identityFile: string, host = "2001:db8::7") {
  return {
    name: "prod",
    machines: [
      machine("web1", host, { ssh: { hostPublicKey: `${KEY_TYPE} ${KEY_BLOB} ops@laptop`, port: 2222, identityFile } }),
    ],
    storage: { kind: "toystore", options: {} },
    services: [],
  };
}

/** The options the SDK means NixOps4's ssh to get, written out by hand. */
function intended(path: string): string[] {
  return [
    "-Fnone",
    "-oPort=2222",
    "-oGlobalKnownHostsFile=/dev/null",
    "-oCheckHostIP=no",
    "-oIdentitiesOnly=yes",
    `-oIdentityFile=${path.replaceAll("%", "%%")}`,
  ];
}

/** Checks the recorded nix and ssh invocations against the intended options, exactly. */
function expectExactly(records: Recorded[], host: string, path: string, knownHostsPath: string): void {
  const options = [...nixosComponentFixedSshOptions(knownHostsPath), ...intended(path)];
  expect(records.map((r) => r.command)).toEqual(["nix", "ssh"]);
  const [copy, activate] = records as [Recorded, Recorded];
  expect(copy.argv).toEqual([
    "copy",
    "--to",
    `ssh-ng://root@${host}`,
    TOPLEVEL,
    "--no-check-sigs",
    "--extra-experimental-features",
    "nix-command",
    "--substitute-on-destination",
  ]);
  // Nix splits NIX_SSHOPTS itself; bash split it for the activation ssh: both must see the same words
  expect(nixShellSplit(copy.nixSshOpts ?? "")).toEqual(options);
  expect(activate.argv).toEqual([...options, `root@${host}`, `${TOPLEVEL}/bin/apply switch`]);
  const identity = sshConfigArgument(options.at(-1) as string);
  expect(identity).toEqual({ keyword: "identityfile", values: [expect.any(String)] });
  expect(sshIdentityFilePath(identity.values[0] as string)).toBe(path);
}

let work: string;
let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
  work = await mkdtemp(join(tmpdir(), "fedi-sshopts-test-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Renders the deployment and reads `members.web1.members.nixos.ssh` back with the real nix-instantiate. */
async function renderedSsh(identityFile: string, host?: string): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(work, "render-"));
  const files = deploymentFiles(createPlanFromUnknown({ spec: spec(identityFile, host), registry }));
  await writeFile(join(dir, "deployment.nix"), files.get("deployment.nix") as string);
  const expr = `(import ${dir}/deployment.nix { inputs = { nixpkgs = { }; nixops4.modules.nixops4Provider.local = { }; nixops4-nixos.modules.nixops4Component.nixos = { }; }; providers.local.exec = null; }).members.web1.members.nixos.ssh`;
  const { stdout } = await execa(
    "nix-instantiate",
    ["--eval", "--strict", "--json", "--store", "dummy://", "--expr", expr],
    {
      env: { HOME: dir, NIX_STATE_DIR: join(dir, "state") },
    },
  );
  return JSON.parse(stdout) as Record<string, string>;
}

/** Evaluates the real upstream nixos component with `ssh` and returns its exec args and known_hosts file. */
async function upstreamCommand(
  ssh: Record<string, string>,
): Promise<{ args: string[]; knownHostsPath: string; knownHosts: string }> {
  const dir = await mkdtemp(join(work, "upstream-"));
  const store = join(dir, "store");
  const expr = `let
    lib = import ${UPSTREAM_LIB};
    module = import ${UPSTREAM_MODULE} { self = { modules.nixos.apply = { }; }; withSystem = _: _: "bash"; };
  in (lib.evalModules { modules = [
    module
    { options.inputs = lib.mkOption { type = lib.types.raw; }; }
    { _module.args.resourceProviderSystem = "x86_64-linux"; }
    { nixpkgs.lib.nixosSystem = _: { config.system.build.toplevel = "${TOPLEVEL}"; }; nixos.module = { }; ssh = builtins.fromJSON (builtins.readFile ${dir}/ssh.json); }
  ]; }).config.inputs`;
  await writeFile(join(dir, "ssh.json"), JSON.stringify(ssh));
  const { stdout } = await execa(
    "nix-instantiate",
    [
      "--eval",
      "--strict",
      "--json",
      "--read-write-mode",
      "--store",
      store,
      "--option",
      "build-users-group",
      "",
      "--expr",
      expr,
    ],
    { env: { HOME: dir, NIX_STATE_DIR: join(dir, "state") } },
  );
  const inputs = JSON.parse(stdout) as { executable: string; args: string[] };
  expect(inputs.executable).toBe("bash");
  const knownHostsPath = /UserKnownHostsFile=(\S+)/.exec(inputs.args[1] ?? "")?.[1] as string;
  const knownHosts = await readFile(join(store, knownHostsPath), "utf8");
  return { args: inputs.args, knownHostsPath, knownHosts };
}

describe.skipIf(!hasUpstream)("generated ssh options through the real nixops4-nixos module", () => {
  for (const path of CARRIED) {
    it(`carries ${JSON.stringify(path)} as exactly one ssh option`, async () => {
      if (!hasNix) return;
      const ssh = await renderedSsh(path);
      const command = await upstreamCommand(ssh);
      expect(command.knownHosts).toBe(`2001:db8::7 ${KEY_TYPE} ${KEY_BLOB}\n`);
      const run = await runWithStubs(command.args);
      expect(run.exitCode, run.stderr).toBe(0);
      expectExactly(run.records, "2001:db8::7", path, command.knownHostsPath);
    });
  }
});

describe("generated ssh options through the nixops4-nixos double", () => {
  for (const path of CARRIED) {
    it(`carries ${JSON.stringify(path)} as exactly one ssh option`, async () => {
      if (!hasNix) return;
      const ssh = await renderedSsh(path);
      expect(ssh).toEqual({
        host: "2001:db8::7",
        user: "root",
        hostPublicKey: `${KEY_TYPE} ${KEY_BLOB}`,
        opts: intended(path).join(" "),
      });
      const command = nixosComponentCommand(ssh as unknown as NixosComponentSsh, TOPLEVEL, "/nix/store/x-known_hosts");
      const run = await runWithStubs(command.args);
      expect(run.exitCode, run.stderr).toBe(0);
      expectExactly(run.records, "2001:db8::7", path, "/nix/store/x-known_hosts");
    });
  }

  it("refuses every path it cannot carry, naming the spec field", () => {
    for (const path of REFUSED) {
      let error: unknown;
      try {
        createPlanFromUnknown({ spec: spec(path), registry });
      } catch (e) {
        error = e;
      }
      expect(hasErrorCode(error, "SPEC_INVALID"), JSON.stringify(path)).toBe(true);
      expect((error as { issues: Array<{ path: string }> }).issues.map((i) => i.path)).toContain(
        "machines[0].ssh.identityFile",
      );
    }
  });

  it("property: any path is carried exactly as one option by bash, Nix and ssh, or refused", async () => {
    const unit = fc.oneof(
      fc.constantFrom(" ", "'", '"', "\\", "\n", "\t", "\r", "$", "(", ")", "{", "}", "%", "#", "*", "?", "[", "]"),
      fc.constantFrom("-o", "=", ";", "`", "~", "é", "鍵", "🔑", "\u00a0", "\u2028", "/", "a", "-", "_", "."),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    const path = fc.array(unit, { maxLength: 24 }).map((parts) => `/${parts.join("")}`);
    let carried = 0;
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        fc.pre(!p.includes("\0"));
        const input = {
          machine: "web1",
          host: "198.51.100.7",
          user: "root",
          port: 2222,
          hostPublicKey: `${KEY_TYPE} ${KEY_BLOB}`,
          identityFile: p,
        };
        if (identityFileProblem(p) !== undefined) {
          expect(() => nixops4Ssh(input)).toThrow(
            expect.objectContaining({
              code: "SPEC_INVALID",
              issues: [expect.objectContaining({ path: "machines.web1.ssh.identityFile" })],
            }),
          );
          return;
        }
        carried += 1;
        const ssh = nixops4Ssh(input);
        const command = nixosComponentCommand(ssh, TOPLEVEL, "/nix/store/x-known_hosts");
        const run = await runWithStubs(command.args);
        expect(run.exitCode, run.stderr).toBe(0);
        expectExactly(run.records, "198.51.100.7", p, "/nix/store/x-known_hosts");
      }),
      { numRuns: 150 },
    );
    expect(carried).toBeGreaterThan(10);
  }, 120_000);
});

describe("NixOps4's command with the real ssh against a real sshd", () => {
  let sshd: SshdFixture;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.dispose();
  });

  async function attempt(hostPublicKey: string, drop?: (arg: string) => boolean) {
    const dir = await mkdtemp(join(work, "real-"));
    const keyDir = join(dir, "clé-$(touch>pwned)-50%-#1");
    await mkdir(keyDir);
    const key = join(keyDir, "id_ed25519");
    await copyFile(sshd.clientKeyPath, key);
    await chmod(key, 0o600);
    const toplevel = join(dir, "toplevel");
    await mkdir(join(toplevel, "bin"), { recursive: true });
    const marker = join(dir, "applied");
    await writeFile(join(toplevel, "bin", "apply"), `#!/bin/sh\nprintf '%s' "$*" > '${marker}'\n`);
    await chmod(join(toplevel, "bin", "apply"), 0o755);
    const ssh = nixops4Ssh({
      machine: "web1",
      host: sshd.host,
      user: sshd.user,
      port: sshd.port,
      hostPublicKey,
      identityFile: key,
    });
    const opts = drop ? ssh.args.filter((a) => !drop(a)).join(" ") : ssh.opts;
    const knownHostsPath = join(dir, "known_hosts");
    const built = nixosComponentCommand({ ...ssh, opts }, toplevel, knownHostsPath);
    await writeFile(knownHostsPath, built.knownHosts);
    const run = await runWithStubs(built.args, { realSsh: true, env: { HOME: dir, SSH_AUTH_SOCK: "" } });
    return {
      run,
      applied: existsSync(marker) ? await readFile(marker, "utf8") : undefined,
      pwned: existsSync(join(dir, "pwned")),
    };
  }

  it("logs in with the identity file at a hostile path, on a non-22 port, with the pinned key only", async () => {
    const { run, applied, pwned } = await attempt(sshd.hostPublicKey);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(applied).toBe("switch");
    expect(pwned).toBe(false);
  });

  it("refuses a machine that shows another host key", async () => {
    const other = `${KEY_TYPE} ${KEY_BLOB}`;
    const { run, applied } = await attempt(other);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("Host key verification failed.");
    expect(applied).toBeUndefined();
  });

  it("logs in with the identity file it names: without it (no agent, no default keys) the login fails", async () => {
    const { run, applied } = await attempt(sshd.hostPublicKey, (a) => a.startsWith("-oIdentit"));
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("Permission denied (publickey)");
    expect(applied).toBeUndefined();
  });
});
