/**
 * The AST builders: every printed expression parses with the real Nix; those that need no nixpkgs are evaluated.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrorCode } from "../../src/errors.js";
import { type NixInput, type NixNode, nix, nixEvalJson, nixParse, printNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/require-nix.js";
import { evalMany } from "./helpers.js";

let hasNix = false;
let dir = "";
beforeAll(async () => {
  hasNix = await requireNix();
  dir = await mkdtemp(join(tmpdir(), "fedi-nix-builders-"));
  await writeFile(join(dir, "five.nix"), "{ n ? 5 }: n\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const x = nix.ref("x");

/** Cases that evaluate without nixpkgs: node and the JSON Nix must produce. */
const EVAL_CASES: ReadonlyArray<[string, NixInput, unknown]> = [
  [
    "let + inherit + rec",
    nix.let(
      { a: 1, s: nix.attrs({ b: 2, c: nix.op(nix.ref("b"), "+", nix.ref("a")) }, { rec: true }) },
      nix.attrs({ d: nix.ref("a") }, { inherit: [{ names: ["a"] }, { from: nix.ref("s"), names: ["b", "c"] }] }),
    ),
    { a: 1, b: 2, c: 3, d: 1 },
  ],
  ["lambda application", nix.apply(nix.lambda("x", nix.op(x, "*", 2)), 21), 42],
  [
    "set pattern with defaults, ellipsis and @bind",
    nix.apply(
      nix.lambda({ args: { a: undefined, b: nix.op(nix.ref("a"), "+", 1) }, ellipsis: true, bind: "all" }, [
        nix.ref("a"),
        nix.ref("b"),
        nix.select(nix.ref("all"), ["extra"]),
      ]),
      { a: 1, extra: "e" },
    ),
    [1, 2, "e"],
  ],
  ["set pattern without ellipsis", nix.apply(nix.lambda({ args: ["a"] }, nix.ref("a")), { a: true }), true],
  ["empty set pattern with ellipsis", nix.apply(nix.lambda({ args: [], ellipsis: true }, 7), { z: 1 }), 7],
  ["// update", nix.op({ a: 1, b: 1 }, "//", { b: 2 }), { a: 1, b: 2 }],
  ["++ concat (right-assoc)", nix.op([1], "++", nix.op([2], "++", [3])), [1, 2, 3]],
  ["- is left-assoc", nix.op(nix.op(10, "-", 3), "-", 2), 5],
  ["- with a right operation", nix.op(10, "-", nix.op(3, "-", 2)), 9],
  ["precedence * over +", nix.op(nix.op(1, "+", 2), "*", 3), 9],
  ["negative operands", nix.op(-3, "*", nix.int(-2)), 6],
  [
    "comparison",
    [nix.op(1, "<", 2), nix.op(2, ">", 1), nix.op(1, "<=", 1), nix.op(1, ">=", 2), nix.op(1, "!=", 2)],
    [true, true, true, false, true],
  ],
  ["boolean ops", nix.op(nix.op(true, "&&", nix.not(false)), "||", false), true],
  ["not of a comparison", nix.not(nix.op(1, "==", 2)), true],
  ["implication", nix.op(false, "->", nix.op(1, "==", 2)), true],
  ["division", nix.op(7, "/", 2), 3],
  ["if", nix.if(nix.op(1, "==", 1), "yes", "no"), "yes"],
  ["else-if chain", nix.if(false, 1, nix.if(false, 2, nix.if(true, 3, 4))), 3],
  ["if with sets", nix.if(true, { a: { b: 1, c: 2 } }, { d: 1 }), { a: { b: 1, c: 2 } }],
  ["select with or (missing)", nix.select({ a: {} }, ["a", "b"], "default"), "default"],
  ["select with or (present)", nix.select({ a: { b: 1 } }, ["a", "b"], 2), 1],
  ["select with odd names", nix.select({ "a b": { if: 3 } }, ["a b", "if"]), 3],
  ["select of select merges paths", nix.select(nix.select({ a: { b: { c: 4 } } }, ["a"]), ["b", "c"]), 4],
  ["select from an application is parenthesised", nix.select(nix.apply(nix.lambda("x", { y: x }), 1), ["y"]), 1],
  ["apply with a select-or function", nix.apply(nix.select({}, ["f"], nix.lambda("x", x)), 5), 5],
  ["string interpolation", nix.s`a${nix.op("b", "+", "c")}d`, "abcd"],
  ["indented interpolation", nix.ind`line ${nix.str("1")}\n  ${nix.ind`x\ny`}\n`, "line 1\n  x\ny\n"],
  ["import of a path literal with arguments", nix.apply(nix.import("./five.nix"), {}), 5],
  ["import of an expression", nix.apply(nix.import(nix.path("./five.nix")), { n: 6 }), 6],
  [
    "pair entries merge into nested sets",
    nix.attrs([
      [["a", "b"], 1],
      [["a", "c"], 2],
      ["d", 3],
    ]),
    { a: { b: 1, c: 2 }, d: 3 },
  ],
  [
    "pair entry merging into a set value",
    nix.attrs([
      ["a", { b: 1 }],
      [["a", "c"], 2],
    ]),
    { a: { b: 1, c: 2 } },
  ],
  ["let with dotted binding", nix.let([[["a", "b"], 1]], nix.ref("a")), { b: 1 }],
  ["comment inside an expression", nix.op(nix.comment("one", 1), "+", nix.comment("two */ end", 2)), 3],
  [
    "lambda in a list, let as a binding value",
    nix.attrs({ v: nix.let({ f: nix.lambda("y", [nix.lambda("z", nix.ref("z"))]) }, 1) }),
    { v: 1 },
  ],
];

/** Cases that need nixpkgs (`lib`, `pkgs`, `config`): parsed only, with those names free. */
const PARSE_CASES: ReadonlyArray<[string, NixNode]> = [
  [
    "mkIf/mkDefault/mkForce/mkOverride/mkMerge",
    nix.mkMerge([nix.mkIf(true, { a: nix.mkDefault(1) }), nix.mkForce({}), nix.mkOverride(900, [])]),
  ],
  [
    "module with everything",
    nix.lambda(
      { args: ["config", "lib", "pkgs"], ellipsis: true },
      nix.let(
        { cfg: nix.ref("config.services.x") },
        nix.attrs([
          [["services", "x", "package"], nix.select(nix.ref("pkgs"), ["garage_2"], nix.ref("pkgs.garage"))],
          [
            ["environment", "systemPackages"],
            [nix.ref("pkgs.hello"), nix.ref("cfg.package")],
          ],
          [["systemd", "services", "x", "script"], nix.ind`${nix.ref("cfg.package")}/bin/x --flag \${HOME}\n`],
          [["x", "path"], nix.path("/etc/x")],
          [["x", "rel"], nix.path("../a/b.nix")],
          [
            ["x", "imports"],
            [nix.path("./hardware.nix"), nix.import("./sub/mod.nix")],
          ],
        ]),
      ),
    ),
  ],
];

describe("nix builders against the real Nix", () => {
  it("evaluate to the expected values", async (ctx) => {
    if (!hasNix) ctx.skip();
    const printed = EVAL_CASES.map(([, node]) => printNix(node));
    const list = `[\n${printed.map((p) => `(${p}\n)`).join("\n")}\n]`;
    await nixParse(list);
    const results = await nixEvalJson(list, { cwd: dir });
    const named = (values: unknown): Record<string, unknown> =>
      Object.fromEntries(EVAL_CASES.map(([name], i) => [name, (values as unknown[])[i]]));
    expect(named(results)).toEqual(named(EVAL_CASES.map(([, , want]) => want)));
  });

  it("parse when lib, pkgs and config are free", async (ctx) => {
    if (!hasNix) ctx.skip();
    const printed = PARSE_CASES.flatMap(([, node]) =>
      [true, false].map((dottedPaths) => printNix(node, { dottedPaths })),
    );
    await nixParse(`[\n${printed.map((p) => `(${p}\n)`).join("\n")}\n]`, { freeVariables: ["lib", "pkgs", "config"] });
    // Sanity: the same text without the free variables is rejected by Nix's parser (undefined variable).
    await expect(nixParse(printNix(PARSE_CASES[0]![1]))).rejects.toSatisfy((e) => hasErrorCode(e, "NIX_EVAL_FAILED"));
  });

  it("keeps nested if/let layout valid when branches are multi-line", async (ctx) => {
    if (!hasNix) ctx.skip();
    const big = nix.attrs({ a: { b: 1, c: [{ d: 1 }] } });
    const node = nix.if(nix.op(big, "==", big), nix.let({ y: big }, nix.ref("y")), nix.if(false, big, nix.list([])));
    const [value] = await evalMany([printNix(node)]);
    expect(value).toEqual({ a: { b: 1, c: [{ d: 1 }] } });
  });
});
