import { styleText } from "node:util";
import type { TextStyle } from "@fediversity/core";
import type { CliIo, OutputStream } from "./io.js";

/** Text styles (core's {@link TextStyle}, which the plan formatters take); each is the identity when colour is off. */
export type Style = TextStyle;

/**
 * A {@link Style} writing ANSI codes (`node:util` `styleText`) when `color` is true. Whether to colour is decided
 * by {@link wantsColor} from the CLI's own streams and environment, so `styleText` is told not to check
 * `process.stdout` and `process.env` itself (`validateStream: false`, Node ≥ 20.18): the codes are then the same on
 * Node 20 and 22. One difference remains between them, which the CLI avoids: Node 22 re-opens an outer style after
 * an inner one that shares its closing code (a colour inside a colour, `dim` inside `bold`); Node 20 does not.
 */
export function createStyle(color: boolean): Style {
  const wrap = (format: "bold" | "dim" | "red" | "green" | "yellow" | "cyan") => (text: string) =>
    color && text ? styleText(format, text, { validateStream: false }) : text;
  return {
    color,
    bold: wrap("bold"),
    dim: wrap("dim"),
    red: wrap("red"),
    green: wrap("green"),
    yellow: wrap("yellow"),
    cyan: wrap("cyan"),
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
