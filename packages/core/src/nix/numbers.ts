/**
 * Exact text for Nix numbers. Nix integers are signed 64-bit; Nix floats are IEEE doubles read with `strtod`, which
 * rounds correctly, so JavaScript's shortest round-trip digits reproduce every double exactly. Two quirks of Nix 2.8
 * need care: a literal whose value is subnormal is rejected ("invalid float"), and `-x` means `0 - x`, which turns
 * `-0.0` into `0.0`. Both are written as exact products instead.
 */
import { FediError } from "../errors.js";
import { atWhere } from "./syntax.js";

/** Smallest Nix integer, -2^63. */
export const NIX_INT_MIN: bigint = -(2n ** 63n);
/** Largest Nix integer, 2^63 - 1. */
export const NIX_INT_MAX: bigint = 2n ** 63n - 1n;

const MIN_NORMAL = 2.2250738585072014e-308;
/** 2^-52, a normal double; a subnormal `x` equals `(x * 2^52) * 2^-52` exactly, and `x * 2^52` is normal. */
const TWO_POW_MINUS_52 = "2.220446049250313e-16";

/** Throws `NIX_UNREPRESENTABLE` unless `value` fits a Nix integer. */
export function assertNixInt(value: bigint, where: string): void {
  if (value < NIX_INT_MIN || value > NIX_INT_MAX) {
    throw new FediError(
      "NIX_UNREPRESENTABLE",
      `The integer ${value}${atWhere(where)} is outside Nix's signed 64-bit range (${NIX_INT_MIN} to ${NIX_INT_MAX}).`,
      { hint: "Pass a smaller number, or a string if the consumer accepts one.", details: { path: where } },
    );
  }
}

/** Throws `NIX_UNREPRESENTABLE` unless `value` is a finite number. */
export function assertNixFloat(value: number, where: string): void {
  if (!Number.isFinite(value)) {
    throw new FediError(
      "NIX_UNREPRESENTABLE",
      `The number ${value}${atWhere(where)} cannot be written in Nix (Nix has no NaN or infinity literal).`,
      { hint: "Pass a finite number.", details: { path: where } },
    );
  }
}

/** How a number prints: its text, and whether that text is a negation (which needs parentheses in tight spots). */
export interface NumberText {
  /** Nix source text. */
  readonly text: string;
  /** True when the text starts with unary minus. */
  readonly negated: boolean;
}

/** Nix text of an integer in range. */
export function intText(value: bigint): NumberText {
  if (value >= 0n) return { text: value.toString(), negated: false };
  // 2^63 is not a valid literal, so -2^63 cannot be written as a negated literal.
  if (value === NIX_INT_MIN) return { text: `(-${-(value + 1n)} - 1)`, negated: false };
  return { text: `-${(-value).toString()}`, negated: true };
}

/** Digits of a positive finite normal double in Nix float-literal syntax (always with a `.`). */
function positiveFloatLiteral(value: number): string {
  const s = String(value);
  const e = s.indexOf("e");
  if (e === -1) return s.includes(".") ? s : `${s}.0`;
  const mantissa = s.slice(0, e);
  return `${mantissa.includes(".") ? mantissa : `${mantissa}.0`}${s.slice(e)}`;
}

/** Nix text of a finite float that evaluates to exactly `value` (including `-0.0` and subnormals). */
export function floatText(value: number): NumberText {
  if (value === 0) return { text: Object.is(value, -0) ? "(-1.0 * 0.0)" : "0.0", negated: false };
  const magnitude = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  if (magnitude < MIN_NORMAL) {
    return { text: `(${sign}${positiveFloatLiteral(magnitude * 2 ** 52)} * ${TWO_POW_MINUS_52})`, negated: false };
  }
  return { text: sign + positiveFloatLiteral(magnitude), negated: value < 0 };
}
