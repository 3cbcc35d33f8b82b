import { describe, expect, it } from "vitest";
import { createStyle, wantsColor } from "../src/terminal/style.js";

const ESC = "\u001b";

describe("createStyle", () => {
  it("writes the ANSI codes of each style when colour is on, whatever process.stdout and process.env say", () => {
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = "1"; // styleText's own check would drop the codes; the CLI decides with wantsColor
    try {
      const style = createStyle(true);
      expect(style.color).toBe(true);
      expect([
        style.bold("b"),
        style.dim("d"),
        style.red("r"),
        style.green("g"),
        style.yellow("y"),
        style.cyan("c"),
      ]).toEqual([
        `${ESC}[1mb${ESC}[22m`,
        `${ESC}[2md${ESC}[22m`,
        `${ESC}[31mr${ESC}[39m`,
        `${ESC}[32mg${ESC}[39m`,
        `${ESC}[33my${ESC}[39m`,
        `${ESC}[36mc${ESC}[39m`,
      ]);
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it("nests the one way the CLI does (bold inside red) with the same codes on every Node version", () => {
    const style = createStyle(true);
    expect(style.red(style.bold("error"))).toBe(`${ESC}[31m${ESC}[1merror${ESC}[22m${ESC}[39m`);
  });

  it("is the identity when colour is off, and leaves empty text empty", () => {
    const plain = createStyle(false);
    expect([plain.bold("b"), plain.red("r"), plain.cyan("c")]).toEqual(["b", "r", "c"]);
    expect(createStyle(true).green("")).toBe("");
  });
});

describe("wantsColor", () => {
  const tty = { write: () => {}, isTTY: true };
  const pipe = { write: () => {} };

  it("colours a terminal, not a pipe nor TERM=dumb", () => {
    expect(wantsColor(tty, {}, false)).toBe(true);
    expect(wantsColor(pipe, {}, false)).toBe(false);
    expect(wantsColor(tty, { TERM: "dumb" }, false)).toBe(false);
  });

  it("never colours with --no-color or a non-empty NO_COLOR, even when FORCE_COLOR is set", () => {
    expect(wantsColor(tty, {}, true)).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: "1", FORCE_COLOR: "1" }, false)).toBe(false);
    expect(wantsColor(tty, { NO_COLOR: "" }, false)).toBe(true);
  });

  it("colours a pipe when FORCE_COLOR is set to something other than 0", () => {
    expect(wantsColor(pipe, { FORCE_COLOR: "1" }, false)).toBe(true);
    expect(wantsColor(pipe, { FORCE_COLOR: "0" }, false)).toBe(false);
  });
});
