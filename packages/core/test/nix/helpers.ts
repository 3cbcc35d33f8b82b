/**
 * Test helpers: evaluate many printed expressions with one real Nix call, and compare Nix's JSON with the input.
 */
import { nixEvalJson } from "../../src/nix/index.js";

/** Evaluates `[ (e1) (e2) ... ]` in one `nix-instantiate --eval --strict --json` call. */
export async function evalMany(expressions: readonly string[]): Promise<unknown[]> {
  const result = await nixEvalJson(`[\n${expressions.map((e) => `(${e}\n)`).join("\n")}\n]`);
  if (!Array.isArray(result) || result.length !== expressions.length) {
    throw new Error(`expected a list of ${expressions.length} values from Nix`);
  }
  return result;
}

/**
 * Nix 2.8 prints floats in JSON with C++ `ostream <<` default precision: 6 significant digits, like `%g`
 * (`123456789.123` prints `1.23457e+08`, `1.0` prints `1`). So `printed` is within half a unit of the 6th
 * significant digit of `x`: |printed − x| ≤ ½·10^(e−5) with e the decimal exponent of x. Exactness of the
 * printed literal is checked separately, inside Nix (see floatExactCheck).
 */
export function floatMatchesJson(x: number, printed: unknown): boolean {
  if (typeof printed !== "number") return false;
  if (x === 0) return Object.is(x, printed);
  const e = Number(x.toExponential(5).split("e")[1]);
  const halfUnit = Number(`5e${e - 6}`);
  const slack = Math.abs(x) * 2 ** -52 + Number.MIN_VALUE;
  return Math.sign(printed) === Math.sign(x) && Math.abs(printed - x) <= halfUnit + slack;
}

/** Splits a finite double into integer mantissa m (|m| < 2^53) and exponent k with x = m · 2^k exactly. */
export function decomposeFloat(x: number): { m: bigint; k: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const sign = hi >>> 31 ? -1n : 1n;
  const biased = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return { m: sign * fraction, k: -1074 };
  return { m: sign * (fraction | (1n << 52n)), k: biased - 1075 };
}

/** Nix prelude defining `pow2 k` = 2^k exactly for -1074 ≤ k ≤ 1023, built by repeated exact doubling/halving. */
export const POW2_PRELUDE = `let
  up = builtins.genList (i: if i == 0 then 1.0 else 2.0 * builtins.elemAt up (i - 1)) 1024;
  down = builtins.genList (i: if i == 0 then 1.0 else 0.5 * builtins.elemAt down (i - 1)) 1075;
  pow2 = k: if k >= 0 then builtins.elemAt up k else builtins.elemAt down (0 - k);
in`;

/**
 * A Nix boolean expression, true exactly when the float literal `printed` evaluates to `x`, bit for bit (except the
 * sign of zero, which `==` ignores; JSON shows it): compares with m · 2^k built from the integer m, which Nix
 * converts to a float exactly.
 */
export function floatExactCheck(printed: string, x: number): string {
  const { m, k } = decomposeFloat(x);
  return `(builtins.isFloat (${printed}) && (${printed}) == (${m < 0n ? `(${m})` : m} * 1.0) * pow2 (${k}))`;
}

/** Describes where `actual` (Nix's JSON) differs from `expected` (the input data), or returns null. */
export function mismatch(expected: unknown, actual: unknown, path = "$"): string | null {
  switch (typeof expected) {
    case "string":
    case "boolean":
      return actual === expected ? null : `${path}: expected ${JSON.stringify(expected)}, got ${show(actual)}`;
    case "bigint": {
      const want = Number.isSafeInteger(Number(expected)) ? Number(expected) : expected;
      return actual === want ? null : `${path}: expected ${expected}, got ${show(actual)}`;
    }
    case "number":
      if (Number.isSafeInteger(expected)) {
        // -0 is a safe integer, so it is printed as the Nix integer 0.
        return actual === expected && !Object.is(actual, -0)
          ? null
          : `${path}: expected int ${expected}, got ${show(actual)}`;
      }
      return floatMatchesJson(expected, actual) ? null : `${path}: expected float ${expected}, got ${show(actual)}`;
  }
  if (expected === null) return actual === null ? null : `${path}: expected null, got ${show(actual)}`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return `${path}: expected list of ${expected.length}, got ${show(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = mismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (typeof expected === "object") {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual))
      return `${path}: expected set, got ${show(actual)}`;
    const wantKeys = Object.keys(expected).sort();
    const gotKeys = Object.keys(actual).sort();
    if (JSON.stringify(wantKeys) !== JSON.stringify(gotKeys)) {
      return `${path}: expected keys ${JSON.stringify(wantKeys)}, got ${JSON.stringify(gotKeys)}`;
    }
    for (const key of wantKeys) {
      const m = mismatch(
        (expected as Record<string, unknown>)[key],
        (actual as Record<string, unknown>)[key],
        `${path}[${JSON.stringify(key)}]`,
      );
      if (m) return m;
    }
    return null;
  }
  return `${path}: unexpected expected value of type ${typeof expected}`;
}

function show(value: unknown): string {
  return typeof value === "bigint" ? `${value}n` : JSON.stringify(value);
}
