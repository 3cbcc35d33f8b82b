// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings test Nix's ${ escaping on purpose.
/**
 * A hand-written corpus of strings that try to break out of Nix string literals. Each must come back unchanged from
 * the real Nix, as a double-quoted string, an indented string, plain data, an attribute name, and next to an
 * interpolation.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { nix, printNix } from "../../src/nix/index.js";
import { requireNix } from "../../src/testing/require-nix.js";
import { evalMany } from "./helpers.js";

let hasNix = false;
beforeAll(async () => {
  hasNix = await requireNix();
});

const CORPUS: readonly string[] = [
  "${builtins.readFile /etc/passwd}",
  "${ builtins.readFile /etc/passwd }",
  '"; x = 1; "',
  '"; }; evil = import /etc/passwd; x = { y = "',
  "''; x = 1; ''",
  "'' + builtins.readFile /etc/passwd + ''",
  "''${builtins.readFile /etc/passwd}",
  "'''${x}",
  "\\${x}",
  "\\\\${x}",
  "$${x}",
  "$$${x}",
  "$",
  "$$",
  "trailing $",
  "''",
  "'",
  "'''",
  "''''",
  "'''''",
  "x'",
  "x''",
  "''\n",
  "''\\n",
  "''\\",
  "''$",
  "''$x",
  "'$",
  "'${x}",
  "\\",
  "\\\\",
  "a\\",
  "\\n\\t\\r",
  '\\"',
  '"',
  "\n",
  "\n\n",
  "\r",
  "\r\n",
  "\t",
  "  leading spaces",
  "  \n  all lines\n  indented\n",
  "   ",
  "\n   ",
  "line\n   ",
  "\ttab first\n  then spaces",
  " \n",
  "a\n b\n  c",
  "${",
  "}",
  "{",
  "$}{",
  "#",
  "/* not a comment */",
  "é ü 😀 \u200b \u2028 \ufeff",
  "\u0001\u001f\u007f",
  // Names Nix's JSON output treats specially (sets having them print as strings): fine as names and values.
  "outPath",
  "__toString",
];

describe("hostile strings round-trip through the real Nix unchanged", () => {
  it("in every string form and as attribute names", async (ctx) => {
    if (!hasNix) ctx.skip();
    const forms: Array<{ form: string; text: string; printed: string }> = [];
    for (const text of CORPUS) {
      const add = (form: string, printed: string): void => {
        forms.push({ form, text, printed });
      };
      add("str", printNix(nix.str(text)));
      add("ind", printNix(nix.ind(text)));
      add("ind nested", printNix({ a: { b: [nix.ind(text)] } }));
      add("data", printNix(text));
      add("before ${}", printNix(nix.s`${text}${nix.str("|")}`));
      add("after ${}", printNix(nix.s`${nix.str("|")}${text}`));
      add("ind before ${}", printNix(nix.ind`${text}${nix.str("|")}`));
      add("ind after ${}", printNix(nix.ind`${nix.str("|")}${text}`));
    }
    const results = await evalMany(forms.map((f) => f.printed));
    const expected = forms.map((f) =>
      f.form.includes("before") ? `${f.text}|` : f.form.includes("after") ? `|${f.text}` : f.text,
    );
    const got = results.map((r, i) => (forms[i]!.form === "ind nested" ? (r as { a: { b: string[] } }).a.b[0] : r));
    const failures = forms.filter((_, i) => got[i] !== expected[i]).map((f) => `${f.form}: ${JSON.stringify(f.text)}`);
    expect(failures).toEqual([]);

    const names = await evalMany(CORPUS.map((text) => `builtins.attrNames (${printNix({ [text]: 1 })})`));
    expect(names).toEqual(CORPUS.map((text) => [text]));
  });

  it("never lets an interpolation attempt reach Nix as code", () => {
    for (const text of CORPUS) {
      for (const printed of [printNix(nix.str(text)), printNix(nix.ind(text))]) {
        // Every ${ in the output is escaped (\${ or ''${), so Nix reads none of them as an interpolation.
        expect(printed.replace(/\\\$\{|''\$\{/g, "")).not.toContain("${");
      }
    }
  });
});
