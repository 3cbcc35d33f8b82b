// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test Nix's ${ escaping on purpose.
/**
 * Property: whatever plain data goes in, the real Nix evaluates the printed text back to the same data.
 * Batches of 2,000 generated values go through one `nix-instantiate --eval --strict --json` call each.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { NixInput, NixNode } from "../../src/nix/index.js";
import { NIX_INT_MAX, NIX_INT_MIN, NIX_KEYWORDS, nix, printNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/require-nix.js";
import { evalMany, floatExactCheck, mismatch, POW2_PRELUDE } from "./helpers.js";

let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
});

const BATCH = 2000;
const RUNS = 5; // 5 × 2,000 = 10,000 values per property
const SEED = Number(process.env.FEDI_PROPERTY_SEED ?? 20240601);

/** Fragments that stress the escaping rules of both string styles and the indentation stripping of `''`. */
const HOSTILE = [
  "${",
  "$${",
  "$",
  "''",
  "'",
  "'''",
  "''$",
  "''\\",
  "\\",
  '"',
  "\n",
  "\r",
  "\r\n",
  "\t",
  " ",
  "   ",
  "\n  ",
  "{",
  "}",
  "${x}",
  "é",
  "😀",
];

const noNul = (s: string): string => s.replaceAll("\0", "");

/** Unicode text: fully random code points, or a mix biased towards escaping trouble. */
const text: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 30 }).map(noNul),
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "binary", maxLength: 3 }).map(noNul)), {
      maxLength: 14,
    })
    .map((parts) => parts.join("")),
);

/**
 * Attribute names: keywords, odd names, random unicode. `__toString` and `outPath` are left out only because Nix's
 * JSON output treats sets having them specially (they print as strings); they are printed like any other name.
 */
const attrName: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(...NIX_KEYWORDS, "", "a.b", "a b", "true", "null", "__proto__", "0", "-x", "x'", "_", "é", "${x}"),
    fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_'-]{0,6}$/),
    text,
  )
  .filter((k) => k !== "__toString" && k !== "outPath");

const float = fc.double({ noNaN: true, noDefaultInfinity: true });
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.maxSafeInteger(),
  fc.integer({ min: -1000, max: 1000 }),
  float,
  fc.bigInt({ min: NIX_INT_MIN, max: NIX_INT_MAX }),
  fc.boolean(),
  fc.constant(null),
);

const { value } = fc.letrec<{ value: unknown; list: unknown[]; set: Record<string, unknown>; chain: unknown }>(
  (tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("list"), tie("set"), tie("chain")),
    list: fc.array(tie("value"), { maxLength: 4 }),
    set: fc.dictionary(attrName, tie("value"), { maxKeys: 4 }),
    // Single-child chains, which dotted-path printing collapses.
    chain: fc
      .tuple(fc.array(attrName, { minLength: 1, maxLength: 4 }), tie("value"))
      .map(([names, inner]) => names.reduceRight<unknown>((acc, name) => Object.fromEntries([[name, acc]]), inner)),
  }),
);

type StringStyle = "auto" | "double" | "indented";

/** Rebuilds `data` with every string value wrapped in the requested string node (names stay plain). */
function withStrings(data: unknown, style: StringStyle): NixInput {
  if (typeof data === "string") {
    if (style === "double") return nix.str(data);
    if (style === "indented") return nix.ind(data);
    return data;
  }
  if (Array.isArray(data)) return data.map((item) => withStrings(item, style));
  if (data !== null && typeof data === "object") {
    return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, withStrings(v, style)]));
  }
  return data as NixInput;
}

function collectFloats(data: unknown, into: number[]): void {
  if (typeof data === "number" && !Number.isSafeInteger(data)) into.push(data);
  else if (Array.isArray(data)) for (const item of data) collectFloats(item, into);
  else if (data !== null && typeof data === "object") for (const v of Object.values(data)) collectFloats(v, into);
}

const VARIANTS: ReadonlyArray<{ style: StringStyle; dottedPaths: boolean }> = [
  { style: "auto", dottedPaths: true },
  { style: "double", dottedPaths: false },
  { style: "indented", dottedPaths: true },
  { style: "indented", dottedPaths: false },
];

/** Prints every value in every variant, evaluates all of them in one Nix call, and reports the first mismatch. */
async function checkBatch(values: readonly unknown[]): Promise<void> {
  const printed: string[] = [];
  const expected: unknown[] = [];
  for (const v of values) {
    for (const variant of VARIANTS) {
      printed.push(printNix(withStrings(v, variant.style), { dottedPaths: variant.dottedPaths }));
      expected.push(v);
    }
  }
  const floats: number[] = [];
  for (const v of values) collectFloats(v, floats);
  const checks = floats.map((x) => floatExactCheck(printNix(x), x));
  const [results, exact] = (await evalMany([
    `[\n${printed.map((p) => `(${p}\n)`).join("\n")}\n]`,
    `${POW2_PRELUDE} [ ${checks.join(" ")} ]`,
  ])) as [unknown[], boolean[]];
  for (let i = 0; i < printed.length; i++) {
    const problem = mismatch(expected[i], results[i]);
    if (problem !== null) {
      throw new Error(`${problem}\nprinted Nix:\n${printed[i]}`);
    }
  }
  exact.forEach((ok, i) => {
    if (ok !== true) throw new Error(`float ${floats[i]} printed as ${printNix(floats[i]!)} is not exact in Nix`);
  });
}

describe("printed data evaluates back to itself in the real Nix", () => {
  it("nested sets, lists, unicode/hostile strings and names, ints, floats, bigints, booleans, null (10,000 values)", async (ctx) => {
    if (!hasNix) ctx.skip();
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: BATCH, maxLength: BATCH }), async (values) => {
        seen += values.length;
        await checkBatch(values);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(seen).toBeGreaterThanOrEqual(10_000);
  });

  it("strings with interpolations keep their text around ${...} in both styles (10,000 values)", async (ctx) => {
    if (!hasNix) ctx.skip();
    // A part is literal text or an interpolated string literal; Nix must yield the concatenation.
    const part = fc.oneof(
      text.map((t) => ({ literal: true as const, t })),
      fc.tuple(text, fc.boolean()).map(([t, ind]) => ({ literal: false as const, t, ind })),
    );
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(part, { maxLength: 5 }), fc.boolean()), { minLength: BATCH, maxLength: BATCH }),
        async (cases) => {
          seen += cases.length;
          const printed: string[] = [];
          const expected: string[] = [];
          for (const [parts, outerIndented] of cases) {
            const strings = [""];
            const nodes: NixNode[] = [];
            for (const p of parts) {
              if (p.literal) strings[strings.length - 1] += p.t;
              else {
                nodes.push(p.ind ? nix.ind(p.t) : nix.str(p.t));
                strings.push("");
              }
            }
            const template = Object.assign([...strings], { raw: [...strings] }) as unknown as TemplateStringsArray;
            const node = outerIndented ? nix.ind(template, ...nodes) : nix.s(template, ...nodes);
            printed.push(printNix(nix.attrs({ v: node })));
            expected.push(parts.map((p) => p.t).join(""));
          }
          const results = await evalMany(printed);
          results.forEach((r, i) => {
            const got = (r as { v: unknown }).v;
            if (got !== expected[i]) {
              throw new Error(`expected ${JSON.stringify(expected[i])}, got ${JSON.stringify(got)}\n${printed[i]}`);
            }
          });
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(seen).toBeGreaterThanOrEqual(10_000);
  });

  it("floats print exactly (checked bit for bit inside Nix), including subnormals, -0.0 and extremes", async (ctx) => {
    if (!hasNix) ctx.skip();
    const samples = fc.sample(float, { numRuns: 10_000, seed: SEED });
    const edge = [
      Number.MIN_VALUE,
      -Number.MIN_VALUE,
      2.225073858507201e-308,
      2.2250738585072014e-308,
      Number.MAX_VALUE,
      -Number.MAX_VALUE,
      Number.EPSILON,
      0.1,
      0.30000000000000004,
      1e21,
      1e-7,
      123456789.123,
      2 ** 53 + 2,
      -0,
    ];
    const floats = [...edge, ...samples];
    const literals = floats.map((x) => printNix(nix.float(x)));
    const [exact, json] = (await evalMany([
      `${POW2_PRELUDE} [ ${floats.map((x, i) => floatExactCheck(literals[i]!, x)).join(" ")} ]`,
      `[ ${literals.map((l) => `(${l})`).join(" ")} ]`,
    ])) as [boolean[], number[]];
    expect(exact.length).toBe(floats.length);
    const wrong = floats.filter((_, i) => exact[i] !== true);
    expect(wrong).toEqual([]);
    // JSON shows the sign of zero, which == cannot.
    expect(Object.is(json[floats.findIndex((x) => Object.is(x, -0))], -0)).toBe(true);
  });
});
