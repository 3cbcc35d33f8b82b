import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { classifyNixOps4Failure, type NixOps4Context } from "../../src/nixops4/index.js";

const samplesDir = join(dirname(fileURLToPath(import.meta.url)), "samples");
const expected = JSON.parse(readFileSync(join(samplesDir, "expected.json"), "utf8")) as {
  context: NixOps4Context;
  samples: Record<string, { kind: string; machine?: string; host?: string; usage?: boolean }>;
};
const sample = (name: string): string => readFileSync(join(samplesDir, name), "utf8");

describe("classifyNixOps4Failure on recorded samples", () => {
  it("has an expectation for every sample file and a sample for every expectation", () => {
    const files = readdirSync(samplesDir).filter((f) => f.endsWith(".txt"));
    expect(files.sort()).toEqual(Object.keys(expected.samples).sort());
    const sources = readFileSync(join(samplesDir, "SOURCES.md"), "utf8");
    for (const file of files) expect(sources, `${file} is documented in SOURCES.md`).toContain(`- \`${file}\`:`);
  });

  for (const [file, want] of Object.entries(expected.samples)) {
    it(`${file} → ${want.kind}${want.machine ? ` on ${want.machine}` : ""}`, () => {
      const result = classifyNixOps4Failure(sample(file), expected.context);
      expect(result.kind).toBe(want.kind);
      expect(result.machine).toBe(want.machine);
      if (want.host !== undefined) expect(result.host).toBe(want.host);
      expect(result.usage).toBe(want.usage ?? false);
      expect(result.summary.length).toBeGreaterThan(0);
      expect(result.summary.length).toBeLessThanOrEqual(300);
    });
  }
});

describe("classifyNixOps4Failure rules", () => {
  it("lets the earliest failure decide: ssh before the nix copy error it causes", () => {
    const result = classifyNixOps4Failure(sample("ssh-connection-refused.txt"));
    expect(result.signals.map((s) => s.kind)).toEqual(["ssh", "copy"]);
    expect(result.kind).toBe("ssh");
    expect(result.summary).toBe("ssh: connect to host 127.0.0.1 port 22623: Connection refused");
  });

  it("falls back to the failed resource path when neither members nor machines are known", () => {
    const result = classifyNixOps4Failure(sample("ssh-unresolvable.txt"));
    expect(result).toMatchObject({
      kind: "ssh",
      machine: "default.web01.nixos",
      resource: "default.web01.nixos",
      host: "web01.invalid",
    });
  });

  it("maps NixOps4's resource path default.<m>.nixos to the machine, from members or from machine names", () => {
    const text =
      "Host key verification failed.\nnixops4 error: Failed to create stateless resource default.web01.nixos: x";
    expect(classifyNixOps4Failure(text, { members: ["default.web01", "default.web02"] }).machine).toBe("web01");
    expect(classifyNixOps4Failure(text, { hosts: { web01: "192.0.2.1", web02: "192.0.2.2" } }).machine).toBe("web01");
    expect(classifyNixOps4Failure(text, { members: ["default.web01"] }).resource).toBe("default.web01.nixos");
  });

  it("does not guess a machine for a build failure when the system derivation names no known machine", () => {
    expect(classifyNixOps4Failure(sample("build-failure-modern-nix.txt")).machine).toBeUndefined();
    expect(
      classifyNixOps4Failure(sample("build-failure-modern-nix.txt"), { members: ["default.web02", "default.mail01"] })
        .machine,
    ).toBeUndefined();
  });

  it("uses the single applied member's machine as a last resort", () => {
    const result = classifyNixOps4Failure(sample("evaluation-cycle-upstream.txt"), { members: ["default.solo"] });
    expect(result).toMatchObject({ kind: "evaluation", machine: "solo" });
  });

  it("treats a bare Nix error line as evaluation only when no resource failed", () => {
    expect(classifyNixOps4Failure("error: unable to download 'https://example.org/x': HTTP error 404").kind).toBe(
      "evaluation",
    );
    const withResource = "error: something remote\nnixops4 error: Failed to create stateless resource web01: boom";
    expect(classifyNixOps4Failure(withResource)).toMatchObject({ kind: "unknown", machine: "web01" });
  });

  it("recognises a clap usage error and does not call it an evaluation error", () => {
    const result = classifyNixOps4Failure(sample("unknown-usage.txt"));
    expect(result).toMatchObject({ kind: "unknown", usage: true });
    expect(result.summary).toBe("error: unexpected argument '--frobnicate' found");
  });

  it("ignores ANSI colour codes", () => {
    const coloured = "\u001b[31;1merror:\u001b[0m Cannot build '\u001b[35;1m/nix/store/abc-x.drv\u001b[0m'.";
    expect(classifyNixOps4Failure(coloured).kind).toBe("build");
  });

  it("answers unknown with NixOps4's error line as summary when nothing is recognised", () => {
    const result = classifyNixOps4Failure("some noise\nnixops4 error: Task panicked: oops\n");
    expect(result).toMatchObject({ kind: "unknown", summary: "nixops4 error: Task panicked: oops", signals: [] });
  });

  it("lists every signal in output order, each with its machine", () => {
    const text = [
      "ssh: connect to host 192.0.2.2 port 22: Connection refused",
      "error: Cannot build '/nix/store/abc-nixos-system-web01-25.05.drv'.",
    ].join("\n");
    const result = classifyNixOps4Failure(text, {
      members: ["default.web01", "default.web02"],
      hosts: { web02: "192.0.2.2" },
    });
    expect(result.signals.map((s) => [s.kind, s.machine])).toEqual([
      ["ssh", "web02"],
      ["build", "web01"],
    ]);
    expect(result.kind).toBe("ssh");
  });

  it("recognises the current Nix and nixpkgs wordings and no longer the removed ones", () => {
    const current: Array<[string, string]> = [
      ["error: Cannot build '/nix/store/abc-x.drv'.", "build"],
      ["       Reason: 2 dependencies failed.", "build"],
      ["error: cannot add path '/nix/store/abc-x' because it lacks a signature by a trusted key", "copy"],
      ['error: expected a set but found a string: "x"', "evaluation"],
      ["error: The option `services.x.y' was accessed but has no value defined. Try setting the option.", "evaluation"],
      ["error: attribute `nonExistentPath` not found", "evaluation"],
      ["error: attribute 'localDomain' missing", "evaluation"],
    ];
    for (const [line, kind] of current) {
      expect(
        classifyNixOps4Failure(`${line}\nnixops4 error: Failed to create stateless resource default.web01.nixos: x`)
          .kind,
        line,
      ).toBe(kind);
    }
    const removed = [
      "error: builder for '/nix/store/abc-x.drv' failed with exit code 1",
      "error: 1 dependencies of derivation '/nix/store/abc-x.drv' failed to build",
      "error: value is a string while a set was expected",
      "error: The option `x' is used but not defined.",
    ];
    for (const line of removed) {
      const result = classifyNixOps4Failure(
        `${line}\nnixops4 error: Failed to create stateless resource default.web01.nixos: x`,
      );
      expect(
        result.signals.filter((s) => s.kind !== "evaluation" || !s.text.startsWith("error: ")),
        line,
      ).toEqual([]);
    }
  });
});
