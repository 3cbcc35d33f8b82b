/**
 * Escaping of Nix string literals (rules of the Nix 2.8 lexer and parser, each checked against `nix-instantiate`).
 *
 * Double-quoted strings: `\` `"` newline, CR and tab are backslash-escaped. A `$` is escaped (`\$`) when a `{`
 * follows it, and also when an interpolation follows it: `$${x}` is literal text in Nix, not `$` then `${x}`.
 *
 * Indented strings (`''...''`) have more rules:
 * - `''` is written `'''`, `${` is written `''${`, and a `$` right before an interpolation is written `''$`;
 * - CR is written `''\r` (tabs and other characters are kept literally);
 * - a lone `'` is written `''\'` when the next written character is `'` or the string ends (else `'''` would form);
 * - Nix strips the smallest indentation (counted in spaces, over lines that are not all spaces) from every line,
 *   and the opening `''` swallows spaces and a newline right after it. The printer puts every line at the
 *   current indentation plus one level; when every line of the value starts with a space, the first space of the
 *   first such line is written as the escape `''\ `, which ends the line's indentation for Nix;
 * - Nix drops a last line made only of spaces, so such a last line also starts with `''\ `.
 */
import type { NixNode, NixStringPart } from "./ast.js";

const DQ_SPECIAL = /[\\"\n\r\t]|\$(?=\{)/;
const DQ_SPECIAL_ALL = /[\\"\n\r\t]|\$(?=\{)/g;
const DQ_ESCAPES: Readonly<Record<string, string>> = {
  "\\": "\\\\",
  '"': '\\"',
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  $: "\\$",
};

/**
 * Body text of a double-quoted string for literal `text` (without the quotes).
 * @param beforeInterpolation - true when an interpolation follows `text` in the same string.
 */
export function escapeDoubleQuoted(text: string, beforeInterpolation = false): string {
  const out = DQ_SPECIAL.test(text) ? text.replace(DQ_SPECIAL_ALL, (c) => DQ_ESCAPES[c] ?? c) : text;
  if (beforeInterpolation && text.endsWith("$")) return `${out.slice(0, -1)}\\$`;
  return out;
}

/** What follows a piece of literal text inside an indented string. */
type Follower = "interpolation" | "newline" | "end";

/** True when the indented-string encoding of `text[j]` (not a `'`) starts with `'`. */
function encodingStartsWithQuote(text: string, j: number, follower: Follower): boolean {
  const c = text[j];
  if (c === "\r") return true;
  if (c === "$") return text[j + 1] === "{" || (j === text.length - 1 && follower === "interpolation");
  return false;
}

/**
 * Indented-string text for literal `text` (no newline in it).
 * @param escapeFirstSpace - write the leading space (text must start with one) as `''\ `.
 */
function escapeIndentedText(text: string, follower: Follower, escapeFirstSpace: boolean): string {
  let out = escapeFirstSpace ? "''\\ " : "";
  const n = text.length;
  let i = escapeFirstSpace ? 1 : 0;
  let plainFrom = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    // Only ' (39), $ (36) and CR (13) need care.
    if (c !== 39 && c !== 36 && c !== 13) {
      i++;
      continue;
    }
    out += text.slice(plainFrom, i);
    if (c === 39) {
      let j = i;
      while (j < n && text.charCodeAt(j) === 39) j++;
      const run = j - i;
      out += "'''".repeat(run >> 1);
      if (run & 1) {
        const nextIsQuote = j < n ? encodingStartsWithQuote(text, j, follower) : follower === "end";
        out += nextIsQuote ? "''\\'" : "'";
      }
      i = j;
    } else if (c === 36) {
      const escaped = text[i + 1] === "{" || (i === n - 1 && follower === "interpolation");
      out += escaped ? "''$" : "$";
      i++;
    } else {
      out += "''\\r";
      i++;
    }
    plainFrom = i;
  }
  return out + text.slice(plainFrom);
}

/** A line of an indented string: merged literal texts (no newline) and interpolations. */
type Line = Array<string | NixNode>;

function splitLines(parts: readonly NixStringPart[]): Line[] {
  const lines: Line[] = [[]];
  let current: Line = lines[0]!;
  const addText = (text: string): void => {
    if (text === "") return;
    const last = current.length - 1;
    if (last >= 0 && typeof current[last] === "string") current[last] = (current[last] as string) + text;
    else current.push(text);
  };
  for (const part of parts) {
    if (typeof part !== "string") {
      current.push(part);
      continue;
    }
    let from = 0;
    for (let nl = part.indexOf("\n"); nl !== -1; nl = part.indexOf("\n", from)) {
      addText(part.slice(from, nl));
      current = [];
      lines.push(current);
      from = nl + 1;
    }
    addText(part.slice(from));
  }
  return lines;
}

function leadingSpaces(line: Line): number {
  const first = line[0];
  if (typeof first !== "string") return 0;
  let k = 0;
  while (first.charCodeAt(k) === 32) k++;
  return k;
}

function isSpacesOnly(line: Line): boolean {
  return line.length === 1 && typeof line[0] === "string" && leadingSpaces(line) === line[0].length;
}

function encodeLine(line: Line, escapeFirstSpace: boolean, isLast: boolean, out: Array<string | NixNode>): void {
  for (let k = 0; k < line.length; k++) {
    const item = line[k]!;
    if (typeof item !== "string") {
      out.push(item);
      continue;
    }
    const follower: Follower = k < line.length - 1 ? "interpolation" : isLast ? "end" : "newline";
    out.push(escapeIndentedText(item, follower, escapeFirstSpace && k === 0));
  }
}

/** Characters whose indented-string encoding depends on context. */
const NEEDS_CARE = /['$\r]/;

/**
 * Fast path for text without `'`, `$` or CR: the common multi-line configuration snippet. Returns undefined when the
 * text needs the general path (every line starts with a space, or a last line of spaces only).
 */
function plainIndented(text: string, contentIndent: string, closingIndent: string): string[] | null | undefined {
  if (!text.includes("\n")) return text === "" || text.charCodeAt(0) === 32 ? null : ["''", text, "''"];
  const lines = text.split("\n");
  let anchored = false;
  for (const line of lines) {
    if (line !== "" && line.charCodeAt(0) !== 32) {
      anchored = true;
      break;
    }
  }
  const last = lines[lines.length - 1]!;
  if (!anchored || /^ +$/.test(last)) return undefined;
  let out = "''";
  for (const line of lines) out += line === "" ? "\n" : `\n${contentIndent}${line}`;
  return [last === "" ? out + closingIndent : out, "''"];
}

/**
 * The pieces of an indented string: source text, and nodes to print inside `${ }`.
 * A value without newline stays on one line (`''text''`), or, when it would need an escape, gets null: the caller
 * prints a double-quoted string instead. Otherwise every line goes on its own line, indented by `contentIndent`, and
 * a value ending in a newline has its closing `''` on a line of its own at `closingIndent`.
 */
export function indentedStringPieces(
  parts: readonly NixStringPart[],
  contentIndent: string,
  closingIndent: string,
): Array<string | NixNode> | null {
  const first = parts[0];
  if (parts.length === 1 && typeof first === "string" && !NEEDS_CARE.test(first)) {
    const fast = plainIndented(first, contentIndent, closingIndent);
    if (fast !== undefined) return fast;
  }
  const lines = splitLines(parts);
  const out: Array<string | NixNode> = ["''"];
  if (lines.length === 1) {
    const line = lines[0]!;
    encodeLine(line, leadingSpaces(line) > 0, true, out);
    out.push("''");
    // A one-line value that needed escapes reads better double-quoted.
    if (line.length === 0) return null;
    const escaped = out.some(
      (piece, i) => typeof piece === "string" && i > 0 && i < out.length - 1 && piece !== line[i - 1],
    );
    return escaped ? null : out;
  }
  let minLeading = Number.POSITIVE_INFINITY;
  let firstIndented = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) continue;
    const lead = leadingSpaces(line);
    if (lead > 0 && firstIndented === -1) firstIndented = i;
    if (!isSpacesOnly(line) && lead < minLeading) minLeading = lead;
  }
  const anchor = minLeading > 0 ? firstIndented : -1;
  const lastIndex = lines.length - 1;
  const last = lines[lastIndex]!;
  const protectLast = last.length > 0 && isSpacesOnly(last);
  out.push("\n");
  for (let i = 0; i <= lastIndex; i++) {
    const line = lines[i]!;
    if (i > 0) out.push("\n");
    if (line.length === 0) continue;
    out.push(contentIndent);
    encodeLine(line, i === anchor || (i === lastIndex && protectLast), i === lastIndex, out);
  }
  if (last.length === 0) out.push(closingIndent);
  out.push("''");
  return out;
}
