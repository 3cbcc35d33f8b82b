// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test Nix's ${ handling on purpose.
/**
 * Values Nix cannot hold, and invalid builder input: each gives FediError NIX_UNREPRESENTABLE naming the place.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type FediError, isFediError } from "../../src/errors.js";
import { type NixInput, nix, nixEvalJson, nixParse, printNix, toNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/require-nix.js";

let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
});

function failure(run: () => unknown): FediError {
  try {
    run();
  } catch (error) {
    if (isFediError(error)) return error;
    throw error;
  }
  throw new Error("expected a FediError, nothing was thrown");
}

function unrepresentable(value: unknown): { path: unknown; message: string } {
  const error = failure(() => toNix(value, { path: "services.mastodon.extraConfig" }));
  expect(error.code).toBe("NIX_UNREPRESENTABLE");
  expect(error.hint).toBeTruthy();
  return { path: error.details.path, message: error.message };
}

describe("toNix refuses what Nix cannot represent, naming the path", () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = { back: cyclic };
  const cases: ReadonlyArray<[string, unknown, string, RegExp]> = [
    ["NUL in a string", { X: "a\0b" }, "services.mastodon.extraConfig.X", /NUL/],
    ["NUL in an attribute name", { "a\0": 1 }, 'services.mastodon.extraConfig["a\\u0000"]', /NUL/],
    ["lone surrogate", { X: ["ok", "\ud800"] }, "services.mastodon.extraConfig.X[1]", /surrogate/],
    ["integer above int64", { X: 2n ** 63n }, "services.mastodon.extraConfig.X", /64-bit/],
    ["integer below int64", { X: -(2n ** 63n) - 1n }, "services.mastodon.extraConfig.X", /64-bit/],
    ["NaN", { X: Number.NaN }, "services.mastodon.extraConfig.X", /NaN/],
    ["Infinity", { X: { Y: Number.POSITIVE_INFINITY } }, "services.mastodon.extraConfig.X.Y", /infinity/i],
    ["-Infinity", [Number.NEGATIVE_INFINITY], "services.mastodon.extraConfig[0]", /infinity/i],
    ["cycle", { X: cyclic }, "services.mastodon.extraConfig.X.self.back", /cycle/],
    ["function", { X: () => 1 }, "services.mastodon.extraConfig.X", /function/],
    ["symbol", { X: Symbol("s") }, "services.mastodon.extraConfig.X", /symbol/],
    ["undefined", { X: undefined }, "services.mastodon.extraConfig.X", /undefined/],
    [
      "array hole",
      { X: Object.assign(new Array(3), { 0: 1, 2: 3 }) },
      "services.mastodon.extraConfig.X[1]",
      /undefined/,
    ],
    ["Date", { X: new Date(0) }, "services.mastodon.extraConfig.X", /Date/],
    ["Map", { X: new Map() }, "services.mastodon.extraConfig.X", /Map/],
    ["Set", { X: new Set() }, "services.mastodon.extraConfig.X", /Set/],
    ["class instance", { X: new (class Thing {})() }, "services.mastodon.extraConfig.X", /Thing/],
    ["symbol key", { X: { [Symbol("k")]: 1 } }, "services.mastodon.extraConfig.X", /symbol/],
    ["odd key in the path", { "a b": { c: undefined } }, 'services.mastodon.extraConfig["a b"].c', /undefined/],
  ];
  for (const [name, value, path, message] of cases) {
    it(name, () => {
      const result = unrepresentable(value);
      expect(result.path).toBe(path);
      expect(result.message).toContain(`\`${path}\``);
      expect(result.message).toMatch(message);
    });
  }

  it("accepts shared (non-cyclic) references and the int64 bounds", () => {
    const shared = { a: 1 };
    expect(printNix({ x: shared, y: shared })).toBe("{\n  x.a = 1;\n  y.a = 1;\n}");
    expect(printNix([2n ** 63n - 1n, -(2n ** 63n)])).toContain("9223372036854775807");
  });

  it("printNix reports the path from the root", () => {
    expect(failure(() => printNix({ a: [{ b: Number.NaN }] })).details.path).toBe("a[0].b");
  });
});

describe("builders validate their input", () => {
  const invalid: ReadonlyArray<[string, () => unknown, RegExp]> = [
    ["path without slash", () => nix.path("x.nix"), /path literal/],
    ["path with trailing slash", () => nix.path("./a/"), /path literal/],
    ["path with a space", () => nix.path("./a b"), /path literal/],
    ["path with interpolation", () => nix.path("./${x}"), /path literal/],
    ["home path", () => nix.path("~/x"), /path literal/],
    ["empty path", () => nix.path(""), /path literal/],
    ["double slash", () => nix.path("a//b"), /path literal/],
    ["ref with a space", () => nix.ref("pkgs.hello world"), /not a valid Nix name/],
    ["ref with an empty segment", () => nix.ref("pkgs..hello"), /not a valid Nix name/],
    ["ref to a keyword", () => nix.ref("if"), /keyword/],
    ["ref with a keyword segment", () => nix.ref("lib.or"), /keyword/],
    ["ref starting with a digit", () => nix.ref("1pkgs"), /not a valid Nix name/],
    ["lambda argument keyword", () => nix.lambda("let", 1), /keyword/],
    ["formal with a dot", () => nix.lambda({ args: ["a.b"] }, 1), /not a valid Nix/],
    ["formal listed twice", () => nix.lambda({ args: ["a", "a"] }, 1), /twice/],
    ["bind not an identifier", () => nix.lambda({ args: [], bind: "a b" }, 1), /not a valid Nix/],
    [
      "attribute defined twice",
      () =>
        nix.attrs([
          [["a", "b"], 1],
          [["a", "b"], 2],
        ]),
      /`a\.b` is defined twice/,
    ],
    [
      "attribute over a value",
      () =>
        nix.attrs([
          ["a", 1],
          [["a", "b"], 2],
        ]),
      /`a\.b` is defined twice/,
    ],
    ["inherit clash", () => nix.attrs({ a: 1 }, { inherit: [{ names: ["a"] }] }), /`a` is defined twice/],
    ["inherit of a keyword from scope", () => nix.attrs({}, { inherit: [{ names: ["in"] }] }), /keyword/],
    ["empty attribute path", () => nix.attrs([[[], 1]]), /empty/],
    ["unsafe number int", () => nix.int(2 ** 60), /safe integer/],
    ["fractional int", () => nix.int(1.5), /safe integer/],
    ["float NaN", () => nix.float(Number.NaN), /NaN/],
    ["NUL in nix.str", () => nix.str("a\0"), /NUL/],
    ["NUL in a template", () => nix.ind`a${"\0"}`, /NUL/],
    ["object in a template", () => nix.s`a${{}}`, /neither text nor a Nix node/],
    ["unknown operator", () => nix.op(1, "%" as never, 2), /operator/],
    ["select without path", () => nix.select(nix.ref("a"), []), /at least one/],
    ["apply without argument", () => nix.apply("f"), /at least one/],
    ["NUL in a select name", () => nix.select(nix.ref("a"), ["b\0"]), /NUL/],
  ];
  for (const [name, run, message] of invalid) {
    it(name, () => {
      const error = failure(run);
      expect(error.code).toBe("NIX_UNREPRESENTABLE");
      expect(error.message).toMatch(message);
    });
  }

  it("accepts the path literals Nix accepts", async (ctx) => {
    const paths = ["./x.nix", "../a/b", "/abs", "./.", "a/b", "/nix/store/abc-x_y+z.nix", "../../..", "1/2"];
    for (const p of paths) expect(printNix(nix.path(p))).toBe(p);
    if (!hasNix) ctx.skip();
    // Nix's parser resolves path literals to absolute paths; each must parse as one path.
    const list = printNix(paths.map((p) => nix.path(p)));
    await nixParse(list);
    expect(await nixEvalJson(`builtins.map builtins.typeOf ${list}`, { strict: true })).toEqual(
      paths.map(() => "path"),
    );
  });

  it("keeps data that looks like a node as data", () => {
    const data: Record<string, NixInput> = { kind: "int", value: "1" };
    expect(printNix(data)).toBe('{\n  kind = "int";\n  value = "1";\n}');
  });
});
