/**
 * JSON parsing that keeps Nix integers exact: an integer literal outside JavaScript's safe range becomes a bigint
 * (Nix integers are 64-bit; `JSON.parse` would round them). Everything else parses as `JSON.parse` does.
 */
import { FediError } from "../errors.js";

/** Parses JSON text; integers (no fraction, no exponent) beyond ±(2^53 - 1) come back as bigints. */
export function parseJsonExact(text: string): unknown {
  // Sixteen digits in a row is the only way to write an unsafe integer; without them JSON.parse is exact.
  if (!/\d{16}/.test(text)) return JSON.parse(text);
  const parser = { text, pos: 0 };
  const value = parseValue(parser);
  skipSpace(parser);
  if (parser.pos !== text.length) throw syntaxError(parser);
  return value;
}

interface Cursor {
  readonly text: string;
  pos: number;
}

function syntaxError(c: Cursor): FediError {
  return new FediError("NIX_EVAL_FAILED", `Nix printed invalid JSON (at character ${c.pos}).`, {
    hint: "This is likely a bug; report it with the expression that was evaluated.",
  });
}

function skipSpace(c: Cursor): void {
  const t = c.text;
  while (c.pos < t.length) {
    const ch = t.charCodeAt(c.pos);
    if (ch !== 32 && ch !== 10 && ch !== 13 && ch !== 9) return;
    c.pos++;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

function parseValue(c: Cursor): unknown {
  skipSpace(c);
  const t = c.text;
  const ch = t[c.pos];
  if (ch === "{") {
    c.pos++;
    const result: Record<string, unknown> = {};
    skipSpace(c);
    if (t[c.pos] === "}") {
      c.pos++;
      return result;
    }
    for (;;) {
      skipSpace(c);
      const key = parseString(c);
      skipSpace(c);
      if (t[c.pos] !== ":") throw syntaxError(c);
      c.pos++;
      Object.defineProperty(result, key, {
        value: parseValue(c),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      skipSpace(c);
      if (t[c.pos] === ",") c.pos++;
      else if (t[c.pos] === "}") {
        c.pos++;
        return result;
      } else throw syntaxError(c);
    }
  }
  if (ch === "[") {
    c.pos++;
    const result: unknown[] = [];
    skipSpace(c);
    if (t[c.pos] === "]") {
      c.pos++;
      return result;
    }
    for (;;) {
      result.push(parseValue(c));
      skipSpace(c);
      if (t[c.pos] === ",") c.pos++;
      else if (t[c.pos] === "]") {
        c.pos++;
        return result;
      } else throw syntaxError(c);
    }
  }
  if (ch === '"') return parseString(c);
  for (const [word, value] of [
    ["true", true],
    ["false", false],
    ["null", null],
  ] as const) {
    if (t.startsWith(word, c.pos)) {
      c.pos += word.length;
      return value;
    }
  }
  NUMBER.lastIndex = c.pos;
  const m = NUMBER.exec(t);
  if (m === null) throw syntaxError(c);
  c.pos += m[0].length;
  if (m[1] === undefined && m[2] === undefined) {
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  }
  return Number(m[0]);
}

function parseString(c: Cursor): string {
  STRING.lastIndex = c.pos;
  const m = STRING.exec(c.text);
  if (m === null) throw syntaxError(c);
  c.pos += m[0].length;
  return JSON.parse(m[0]) as string;
}
