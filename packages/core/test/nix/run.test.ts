/**
 * The helpers that run the real nix-instantiate, requireNix, and the exact JSON parser.
 */
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FediError, hasErrorCode } from "../../src/errors.js";
import {
  findNixInstantiate,
  nixEvalJson,
  nixEvalJsonFile,
  nixParse,
  nixParseFile,
  parseJsonExact,
  printNix,
} from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/require-nix.js";
import { bundleForChild } from "../fixtures/bundle.js";
import { announceSkip, isRoot } from "../fixtures/privileges.js";

if (!isRoot()) announceSkip("nix-instantiate as nobody (1 test)", "it needs root to start a process as another user");

let hasNix = false;
let dir = "";
beforeAll(async () => {
  hasNix = await requireNix();
  dir = await mkdtemp(join(tmpdir(), "fedi-nix-run-"));
  await chmod(dir, 0o755);
  await writeFile(join(dir, "data.txt"), "hello\n", { mode: 0o644 });
  await writeFile(join(dir, "expr.nix"), "{ text = builtins.readFile ./data.txt; n = 1 + 2; }\n", { mode: 0o644 });
  await writeFile(join(dir, "broken.nix"), "{ a = 1;\n", { mode: 0o644 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<FediError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof FediError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
}

describe("nixEvalJson / nixParse with the real Nix", () => {
  it("evaluates strictly to JSON, with exact 64-bit integers", async (ctx) => {
    if (!hasNix) ctx.skip();
    expect(await nixEvalJson('{ a = [ 1 (2 + 3) ]; b = "x"; c = null; }')).toEqual({ a: [1, 5], b: "x", c: null });
    expect(await nixEvalJson("[ 9223372036854775807 (-9223372036854775807 - 1) 9007199254740993 42 ]")).toEqual([
      9223372036854775807n,
      -9223372036854775808n,
      9007199254740993n,
      42,
    ]);
    // Documented Nix 2.8 behaviour: floats in JSON have 6 significant digits.
    expect(await nixEvalJson("[ 123456789.123 1.0 ]")).toEqual([123457000, 1]);
  });

  it("strict: false leaves unused thunks unevaluated", async (ctx) => {
    if (!hasNix) ctx.skip();
    await expect(nixEvalJson('{ a = 1; b = throw "lazy"; }.a', { strict: false })).resolves.toBe(1);
    const error = await rejection(nixEvalJson('{ a = { b = throw "deep"; }; }'));
    expect(error.code).toBe("NIX_EVAL_FAILED");
    expect(error.message).toContain("deep");
  });

  it("reports Nix's own message for syntax and evaluation errors", async (ctx) => {
    if (!hasNix) ctx.skip();
    const syntax = await rejection(nixParse("{ a = 1"));
    expect(syntax.code).toBe("NIX_EVAL_FAILED");
    expect(syntax.message).toMatch(/syntax error/);
    const thrown = await rejection(nixEvalJson('throw "boom"'));
    expect(thrown.code).toBe("NIX_EVAL_FAILED");
    expect(thrown.message).toContain("boom");
    expect(thrown.message).not.toMatch(/\u001b\[/);
  });

  it("parses with free variables and keeps Nix's line numbers", async (ctx) => {
    if (!hasNix) ctx.skip();
    await expect(nixParse("lib.mkIf true { }", { freeVariables: ["lib"] })).resolves.toBeUndefined();
    const error = await rejection(nixParse("{\n  a = lib.x;\n  b = oops;\n}", { freeVariables: ["lib"] }));
    expect(error.message).toMatch(/undefined variable 'oops'/);
    expect(error.message).toMatch(/:3:/);
    expect(hasErrorCode(await rejection(nixParse("1", { freeVariables: ["not valid"] })), "NIX_UNREPRESENTABLE")).toBe(
      true,
    );
  });

  it("resolves relative paths against cwd (stdin) or the file's folder (files)", async (ctx) => {
    if (!hasNix) ctx.skip();
    expect(await nixEvalJson("builtins.readFile ./data.txt", { cwd: dir })).toBe("hello\n");
    expect(await nixEvalJsonFile(join(dir, "expr.nix"))).toEqual({ text: "hello\n", n: 3 });
    await expect(nixParseFile(join(dir, "expr.nix"))).resolves.toBeUndefined();
    const broken = await rejection(nixParseFile("broken.nix", { cwd: dir }));
    expect(broken.code).toBe("NIX_EVAL_FAILED");
    expect(broken.message).toContain(resolve(dir, "broken.nix"));
  });

  it("works offline as a non-root user with an unusable HOME", async (ctx) => {
    if (!hasNix || process.getuid?.() !== 0) ctx.skip();
    // The child runs as nobody, who may not be able to read the checkout (under /root or a 0700 `mktemp -d`): it gets
    // a bundled copy of the runner in the 0755 temporary folder and runs from there.
    await bundleForChild(resolve(import.meta.dirname, "../../src/nix/index.ts"), dir, "nix-runner");
    const script = join(dir, "as-nobody.mjs");
    await writeFile(
      script,
      [
        'import { nixEvalJson, nixParse } from "./nix-runner.mjs";',
        "await nixParse('{ a = 1; }');",
        `const v = await nixEvalJson('{ a = builtins.readFile ./data.txt; b = "\${./data.txt}"; }', { cwd: ${JSON.stringify(dir)} });`,
        "process.stdout.write(JSON.stringify(v));",
      ].join("\n"),
      { mode: 0o644 },
    );
    const result = await execa(process.execPath, [script], {
      uid: 65534,
      gid: 65534,
      cwd: dir,
      env: { HOME: "/nonexistent", PATH: process.env.PATH },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    expect(result.stderr).toBe("");
    const value = JSON.parse(result.stdout) as { a: string; b: string };
    expect(value.a).toBe("hello\n");
    expect(value.b).toMatch(/^\/nix\/store\/[a-z0-9]{32}-data\.txt$/);
  });

  it("times out and cancels", async (ctx) => {
    if (!hasNix) ctx.skip();
    const slow = "builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x) 100000000)";
    const timedOut = await rejection(nixEvalJson(slow, { timeoutMs: 300 }));
    expect(timedOut.code).toBe("NIX_EVAL_FAILED");
    expect(timedOut.message).toMatch(/timed out/);
    const controller = new AbortController();
    const pending = nixEvalJson(slow, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    expect((await rejection(pending)).code).toBe("CANCELLED");
  });

  it("says NIX_NOT_FOUND with an install hint when the binary is missing", async () => {
    const error = await rejection(nixEvalJson("1", { nixInstantiate: join(dir, "no-such-nix-instantiate") }));
    expect(error.code).toBe("NIX_NOT_FOUND");
    expect(error.hint).toContain("apt-get install -y nix-bin");
  });

  it("evaluates printed output (printer and runner agree)", async (ctx) => {
    if (!hasNix) ctx.skip();
    const data = { a: { "b c": [1, "two", { d: null }] }, e: "x\ny\n" };
    expect(await nixEvalJson(printNix(data))).toEqual(data);
  });
});

describe("findNixInstantiate and requireNix", () => {
  const empty = { env: { PATH: "/nonexistent-dir" }, fallbackDirs: [] };

  it("finds nix-instantiate on PATH, and nothing on an empty PATH", async (ctx) => {
    if (!hasNix) ctx.skip();
    expect(await findNixInstantiate()).toMatch(/\/nix-instantiate$/);
    expect(await findNixInstantiate(empty)).toBeNull();
    expect(await findNixInstantiate({ env: { PATH: "", HOME: dir }, fallbackDirs: [] })).toBeNull();
  });

  it("requireNix resolves true when Nix is there", async (ctx) => {
    if (!hasNix) ctx.skip();
    await expect(requireNix()).resolves.toBe(true);
  });

  it("requireNix throws install instructions when Nix is missing", async () => {
    const error = await rejection(requireNix(empty));
    expect(error.code).toBe("NIX_NOT_FOUND");
    expect(error.message).toContain("apt-get install -y nix-bin");
    expect(error.hint).toContain("FEDI_SKIP_NIX=1");
  });

  it("requireNix warns loudly and resolves false with FEDI_SKIP_NIX=1", async () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      await expect(requireNix({ ...empty, env: { ...empty.env, FEDI_SKIP_NIX: "1" } })).resolves.toBe(false);
      expect(write).toHaveBeenCalledWith(expect.stringMatching(/WARNING.*nix-instantiate is not installed/s));
    } finally {
      write.mockRestore();
    }
  });
});

describe("parseJsonExact", () => {
  it("keeps unsafe integers as bigints and parses everything else like JSON.parse", () => {
    const text =
      '{"a":[1,-2,9007199254740991,9007199254740992,-9223372036854775808,1.5e300,-0,0.1],"b":"1234567890123456789","c":{"__proto__":{"x":true}},"d":null,"e":"\\u00e9\\n"}';
    const value = parseJsonExact(text) as Record<string, unknown>;
    expect(value.a).toEqual([1, -2, 9007199254740991, 9007199254740992n, -9223372036854775808n, 1.5e300, -0, 0.1]);
    expect(value.b).toBe("1234567890123456789");
    expect(Object.keys(value.c as object)).toEqual(["__proto__"]);
    expect(value.d).toBeNull();
    expect(value.e).toBe("é\n");
    expect(parseJsonExact("[1, 2.5]")).toEqual([1, 2.5]);
  });

  it("rejects malformed JSON", () => {
    for (const bad of [
      "[12345678901234567",
      '{"a":12345678901234567',
      "[12345678901234567]x",
      "[1234567890123456789,]",
    ]) {
      expect(() => parseJsonExact(bad)).toThrow();
    }
  });
});
