import { describe, expect, it } from "vitest";
import {
  createPlanFromUnknown,
  createRegistry,
  deploymentFiles,
  nixops4Ssh,
  nixops4SshEnvironment,
} from "../../src/index.js";
import { machine, testPlugins } from "../fixtures/plugins.js";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8";
const base = { machine: "web1", host: "192.0.2.1", user: "root", port: 22, hostPublicKey: `${KEY} ops@laptop` };
const registry = createRegistry(testPlugins);

function thrown(run: () => unknown): {
  code: string;
  issues: Array<{ path: string; message: string }>;
  machine?: string;
} {
  try {
    run();
  } catch (error) {
    return error as never;
  }
  throw new Error("expected an error");
}

describe("nixops4Ssh", () => {
  it("builds one word per option, and the known_hosts key without its comment", () => {
    expect(nixops4Ssh({ ...base, port: 2222, identityFile: "/keys/50%/id" })).toEqual({
      host: "192.0.2.1",
      user: "root",
      hostPublicKey: KEY,
      args: [
        "-Fnone",
        "-oPort=2222",
        "-oGlobalKnownHostsFile=/dev/null",
        "-oCheckHostIP=no",
        "-oIdentitiesOnly=yes",
        "-oIdentityFile=/keys/50%%/id",
      ],
      opts: "-Fnone -oPort=2222 -oGlobalKnownHostsFile=/dev/null -oCheckHostIP=no -oIdentitiesOnly=yes -oIdentityFile=/keys/50%%/id",
    });
    // without an identity file ssh uses the agent: no identity options at all
    expect(nixops4Ssh(base).args).toEqual([
      "-Fnone",
      "-oPort=22",
      "-oGlobalKnownHostsFile=/dev/null",
      "-oCheckHostIP=no",
    ]);
  });

  it("passes IPv6 addresses unbracketed (what both `ssh-ng://` in Nix and ssh accept) and refuses zone indexes", () => {
    expect(nixops4Ssh({ ...base, host: "2001:db8::7" }).host).toBe("2001:db8::7");
    const zone = thrown(() => nixops4Ssh({ ...base, host: "fe80::1%eth0" }));
    expect(zone).toMatchObject({ code: "SPEC_INVALID", machine: "web1" });
    expect(zone.issues).toEqual([{ path: "machines.web1.host", message: expect.stringContaining("zone index") }]);
    for (const host of ["[2001:db8::7]", "-oProxyCommand=x", "a b"]) {
      expect(thrown(() => nixops4Ssh({ ...base, host })).issues[0]?.path).toBe("machines.web1.host");
    }
  });

  it("collects every problem, each with its field", () => {
    const error = thrown(() =>
      nixops4Ssh(
        { ...base, user: "-oProxyCommand=x", port: 0, hostPublicKey: "ssh-ed25519\nAAAA", identityFile: "k" },
        {
          identityFile: "ssh.defaultIdentityFile",
        },
      ),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      "machines.web1.ssh.user",
      "machines.web1.ssh.port",
      "machines.web1.ssh.hostPublicKey",
      "ssh.defaultIdentityFile",
    ]);
  });

  it("gives NixOps4 the Deployer's agent socket, else leaves SSH_AUTH_SOCK as inherited", () => {
    expect(nixops4SshEnvironment({ agent: "/run/user/0/agent.sock" })).toEqual({
      SSH_AUTH_SOCK: "/run/user/0/agent.sock",
    });
    expect(nixops4SshEnvironment({})).toEqual({});
  });
});

describe("deploymentFiles with the Deployer's default identity file", () => {
  const plan = () =>
    createPlanFromUnknown({
      spec: {
        name: "prod",
        machines: [
          machine("web1", "192.0.2.1"),
          machine("web2", "192.0.2.2", { ssh: { hostPublicKey: KEY, identityFile: "/keys/web2" } }),
        ],
        storage: { kind: "toystore", options: {} },
        services: [],
      },
      registry,
    });

  it("uses it for machines without their own identity file", () => {
    const text = deploymentFiles(plan(), { defaultIdentityFile: "/keys/ci-deploy" }).get("deployment.nix");
    expect(text).toContain("-oIdentityFile=/keys/ci-deploy");
    expect(text).toContain("-oIdentityFile=/keys/web2");
  });

  it("refuses one it cannot pass to NixOps4, naming ssh.defaultIdentityFile", () => {
    const error = thrown(() => deploymentFiles(plan(), { defaultIdentityFile: "/keys/ci deploy" }));
    expect(error.code).toBe("SPEC_INVALID");
    expect(error.issues).toEqual([{ path: "ssh.defaultIdentityFile", message: expect.stringContaining("a space") }]);
  });
});
