import type { CliIo, OutputStream } from "./io.js";

/** Text styles; each is the identity when colour is off. */
export interface Style {
  /** Whether colour codes are written. */
  readonly color: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const codes = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

/** A {@link Style} writing ANSI codes when `color` is true. */
export function createStyle(color: boolean): Style {
  const wrap =
    ([open, close]: readonly [number, number]) =>
    (text: string) =>
      color && text ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    color,
    bold: wrap(codes.bold),
    dim: wrap(codes.dim),
    red: wrap(codes.red),
    green: wrap(codes.green),
    yellow: wrap(codes.yellow),
    cyan: wrap(codes.cyan),
  };
}

/**
 * Whether to colour a stream: never with `--no-color` or a non-empty `NO_COLOR` (https://no-color.org); otherwise
 * when `FORCE_COLOR` is set to something other than `0`, or the stream is a terminal other than `TERM=dumb`.
 */
export function wantsColor(stream: OutputStream, env: CliIo["env"], noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}
