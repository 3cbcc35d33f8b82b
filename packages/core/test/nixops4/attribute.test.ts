import { describe, expect, it } from "vitest";
import {
  attributeLine,
  hostInLine,
  machineForResource,
  machineForSystemPath,
  machineOfMember,
  normaliseHost,
  stripAnsi,
} from "../../src/nixops4/index.js";

// what the Deployer passes: member paths default.<m> (memberPath) and SSH hosts by machine name
const context = {
  members: ["default.web01", "default.web02", "default.web0"],
  hosts: { web01: "192.0.2.1", web02: "web02.example.org" },
};

describe("attributeLine", () => {
  it("reads the resource from NixOps4's headless span lines", () => {
    expect(
      attributeLine(
        '2026-07-24T10:00:00.000000Z  INFO Applying resource{resource=ComponentPath(["default", "web02", "nixos"])}:creating resource{name="default.web02.nixos"}: nixops4::work: new',
        context,
      ),
    ).toBe("web02");
    expect(
      attributeLine(
        '2026-07-24T10:00:00.000000Z  INFO Applying resource{resource=ComponentPath(["default", "web01", "nixos"])}: nixops4::work: close time.busy=1.5s',
        context,
      ),
    ).toBe("web01");
  });

  it("reads the resource from NixOps4's failure message", () => {
    expect(attributeLine("nixops4 error: Failed to create stateless resource default.web02.nixos: boom", context)).toBe(
      "web02",
    );
    // applying the whole root: no members given, the machine names still place the resource
    expect(
      attributeLine("nixops4 error: Failed to create stateless resource default.web02.nixos: boom", {
        hosts: context.hosts,
      }),
    ).toBe("web02");
  });

  it("maps hosts in OpenSSH and nix copy lines to machines", () => {
    expect(attributeLine("ssh: connect to host 192.0.2.1 port 22: Connection refused", context)).toBe("web01");
    expect(attributeLine("root@web02.example.org: Permission denied (publickey).", context)).toBe("web02");
    expect(attributeLine("copying path '/nix/store/x-y' to 'ssh-ng://root@192.0.2.1'...", context)).toBe("web01");
    expect(
      attributeLine("Host key for [192.0.2.1]:2222 has changed and you have requested strict checking.", context),
    ).toBe("web01");
    expect(attributeLine("ssh: connect to host 198.51.100.9 port 22: Connection refused", context)).toBeUndefined();
  });

  it("recognises a member's NixOS system path, preferring the longest member name", () => {
    expect(attributeLine("building '/nix/store/abc-nixos-system-web01-25.05.drv'...", context)).toBe("web01");
    expect(machineForSystemPath("/nix/store/abc-nixos-system-web0-25.05", context)).toBe("web0");
    expect(machineForSystemPath("/nix/store/abc-nixos-system-db01-25.05", context)).toBeUndefined();
  });

  it("returns undefined for lines about nothing in particular", () => {
    expect(attributeLine("activating the configuration...", context)).toBeUndefined();
  });
});

describe("helpers", () => {
  it("normalises hosts as OpenSSH and Nix print them", () => {
    expect(normaliseHost("root@Web01.Example.org")).toBe("web01.example.org");
    expect(normaliseHost("[192.0.2.1]:22622")).toBe("192.0.2.1");
    expect(normaliseHost("ssh-ng://root@192.0.2.1?remote-program=x")).toBe("192.0.2.1");
    expect(hostInLine("error: failed to start SSH connection to 'zeus.example'")).toBe("zeus.example");
  });

  it("maps resource paths to the machine of the longest enclosing member, else keeps the path", () => {
    expect(machineForResource("default.web01.nixos", { members: ["default.web0", "default.web01"] })).toBe("web01");
    expect(machineForResource("default.web01x.nixos", { members: ["default.web01"] })).toBe("default.web01x.nixos");
    expect(machineOfMember("default.web01")).toBe("web01");
  });

  it("strips ANSI escapes and a trailing carriage return", () => {
    expect(stripAnsi("\u001b[1;31merror:\u001b[0m x\r")).toBe("error: x");
  });
});
