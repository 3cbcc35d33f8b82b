/**
 * Lexical facts of the Nix language (as of Nix 2.8) that the builders validate against and the printer relies on.
 */
import { FediError } from "../errors.js";

/** Words the Nix lexer reserves; as attribute names they must be quoted, as variables they are impossible. */
export const NIX_KEYWORDS: ReadonlySet<string> = new Set([
  "if",
  "then",
  "else",
  "let",
  "in",
  "rec",
  "with",
  "inherit",
  "assert",
  "or",
]);

const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_'-]*$/;

/** True when `name` is a Nix identifier token (`[a-zA-Z_][a-zA-Z0-9_'-]*`) and not a keyword. */
export function isNixIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !NIX_KEYWORDS.has(name);
}

/**
 * A path literal as the Nix 2.8 lexer reads it without interpolation: `{PATH_CHAR}*(/{PATH_CHAR}+)+` with
 * `PATH_CHAR = [a-zA-Z0-9._+-]`. No trailing slash (an error since Nix 2.4), no empty segment.
 */
const PATH_LITERAL = /^[a-zA-Z0-9._+-]*(\/[a-zA-Z0-9._+-]+)+$/;

/** True when `text` can be printed as a Nix path literal, e.g. `./x.nix`, `../a/b`, `/abs`. */
export function isNixPathLiteral(text: string): boolean {
  return PATH_LITERAL.test(text);
}

/** Characters Nix strings cannot carry: NUL (Nix strings are C strings) and lone UTF-16 surrogates (not UTF-8). */
const UNREPRESENTABLE_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** Cheap pre-check: text without NUL or any surrogate is always fine. */
const MAYBE_UNREPRESENTABLE = /[\0\uD800-\uDFFF]/;

/** True when `text` has a character no Nix string can hold (see {@link assertNixText}). */
export function hasUnrepresentableText(text: string): boolean {
  return MAYBE_UNREPRESENTABLE.test(text) && UNREPRESENTABLE_TEXT.test(text);
}

/** ` at \`path\`` for a data path such as `services.mastodon.extraConfig`, or nothing for the whole value. */
export function atWhere(where: string): string {
  return where === "" ? "" : ` at \`${where}\``;
}

/**
 * Throws `NIX_UNREPRESENTABLE` when `text` contains a character no Nix string can hold.
 * @param what - what the text is, e.g. "string" or "attribute name".
 * @param where - data path of the text, for the message.
 */
export function assertNixText(text: string, what: string, where: string): void {
  if (!MAYBE_UNREPRESENTABLE.test(text)) return;
  const bad = UNREPRESENTABLE_TEXT.exec(text);
  if (bad === null) return;
  const reason = bad[0] === "\0" ? "a NUL character (U+0000)" : "a lone UTF-16 surrogate (not valid Unicode)";
  throw new FediError("NIX_UNREPRESENTABLE", `The ${what}${atWhere(where)} contains ${reason}.`, {
    hint: "Nix strings cannot contain this character; remove it (or encode the data, e.g. as base64).",
    details: { path: where, index: bad.index },
  });
}

const JS_IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Extends a data path with an object key: `a.b`, or `a["x y"]` when the key is not identifier-like. */
export function joinKey(where: string, key: string): string {
  if (JS_IDENTIFIER.test(key)) return where === "" ? key : `${where}.${key}`;
  return `${where}[${JSON.stringify(key)}]`;
}

/** Extends a data path with an array index: `a[3]`. */
export function joinIndex(where: string, index: number): string {
  return `${where}[${index}]`;
}
