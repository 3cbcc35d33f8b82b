// Conventions of the built `fedi`: help, version, exit codes, usage errors, colours, --debug.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it, onTestFinished } from "vitest";
import { cleanEnv, FEDI_BIN, fedi, REPO_ROOT, tempDir } from "./support/fedi.js";

const ANSI = /\u001b\[\d+m/;
const COMMANDS = ["init", "validate", "plan", "graph", "dns"];

describe.concurrent("help and version", () => {
  it("--version prints the versions of fedi and core and exits 0", async () => {
    const run = await fedi(["--version"]);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^fedi \d+\.\d+\.\d+ \(@fediversity\/core \d+\.\d+\.\d+, node v\d+/);
  });

  it("--help lists every command and exits 0", async () => {
    const run = await fedi(["--help"]);
    expect(run.exitCode).toBe(0);
    for (const name of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, "m"));
    expect(run.stdout).toContain("Exit codes: 0 success, 1 failure");
    expect(run.stderr).toBe("");
  });

  it("every command has --help with examples", async () => {
    for (const name of COMMANDS) {
      const run = await fedi([name, "--help"]);
      expect(run.exitCode, name).toBe(0);
      expect(run.stdout).toContain(`Usage: fedi ${name}`);
      expect(run.stdout).toContain("Examples:");
      expect(run.stdout).toContain(`$ fedi ${name}`);
      expect((await fedi(["help", name])).stdout).toBe(run.stdout);
    }
  });
});

describe.concurrent("usage errors exit 2 with one clear message", () => {
  const cases: Array<[string[], RegExp]> = [
    [["pln"], /Unknown command 'pln'.*\n.*Did you mean `fedi plan`/],
    [["plan", "--frobnicate"], /Unknown option '--frobnicate' for `fedi plan`/],
    [["plan", "--jsn"], /Did you mean --json\?/],
    [["plan", "--config"], /--config/],
    [["graph", "--format", "png"], /--format must be one of mermaid, dot \(got 'png'\)/],
    [["validate", "extra"], /Unexpected argument 'extra'/],
    [[], /No command given/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
  ];
  for (const [args, message] of cases) {
    it(`fedi ${args.join(" ")}`, async () => {
      const run = await fedi(args);
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/error USAGE: /);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/^hint: /m);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    });
  }

  it("prints nothing on stdout for a usage error, even with --json", async () => {
    const run = await fedi(["plan", "--json", "--nope"]);
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe("");
  });
});

describe("errors", () => {
  it("show no stack trace by default, the stack and causes with --debug", async () => {
    const { dir, remove } = await tempDir();
    onTestFinished(remove);
    await writeFile(join(dir, "fedi.config.ts"), 'export default {\n  name: "broken",\n'); // never closed
    const args = ["validate", "--config", dir];
    const plain = await fedi(args);
    expect(plain.exitCode).toBe(1);
    expect(plain.stderr).toMatch(/^error CONFIG_LOAD_FAILED: fedi\.config\.ts could not be loaded/m);
    expect(plain.stderr).toMatch(/^hint: /m);
    expect(plain.stderr).not.toMatch(/^\s+at /m);
    const debug = await fedi([...args, "--debug"]);
    expect(debug.exitCode).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
    expect(debug.stderr).toContain("caused by:");
  });
});

/** Runs fedi under a pseudo-terminal (util-linux `script`), so stdout is a TTY. */
async function inTerminal(args: string[], env: Record<string, string> = {}) {
  const command = [process.execPath, FEDI_BIN, ...args].map((a) => `'${a}'`).join(" ");
  const result = await execa("script", ["-qec", command, "/dev/null"], {
    cwd: REPO_ROOT,
    env: cleanEnv({ TERM: "xterm", ...env }),
    extendEnv: false,
    reject: false,
  });
  return { exitCode: result.exitCode, output: result.stdout };
}

describe.concurrent("colours", () => {
  const args = ["validate", "--config", "examples/all-in-one"];

  it("are used on a terminal", async () => {
    const run = await inTerminal(args);
    expect(run.exitCode).toBe(0);
    expect(run.output).toMatch(ANSI);
  });

  it("are never used with NO_COLOR or --no-color, even on a terminal", async () => {
    for (const run of [await inTerminal(args, { NO_COLOR: "1" }), await inTerminal([...args, "--no-color"])]) {
      expect(run.exitCode).toBe(0);
      expect(run.output).toContain("is valid");
      expect(run.output).not.toMatch(ANSI);
    }
    const forced = await fedi(args, { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(forced.stdout + forced.stderr).not.toMatch(ANSI);
  });

  it("are not used when output is not a terminal", async () => {
    const run = await fedi(args);
    expect(run.exitCode).toBe(0);
    expect(run.stdout + run.stderr).not.toMatch(ANSI);
    expect((await fedi(args, { env: { FORCE_COLOR: "1" } })).stdout).toMatch(ANSI);
  });
});
