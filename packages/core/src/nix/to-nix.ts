/**
 * Conversion of plain JavaScript data into Nix syntax nodes, refusing (with the data path) anything Nix cannot hold.
 */
import { FediError } from "../errors.js";
import { isNixNode, NIX_NODE, type NixBinding, type NixNode } from "./ast.js";
import { assertNixFloat, assertNixInt, NIX_INT_MAX, NIX_INT_MIN } from "./numbers.js";
import { assertNixText, atWhere, hasUnrepresentableText, joinIndex, joinKey } from "./syntax.js";

/** Options of {@link toNix}. */
export interface ToNixOptions {
  /**
   * Data path of `value`, used in error messages, e.g. `services.mastodon.extraConfig`; nested values get
   * `.key` / `["odd key"]` / `[index]` appended. Default: empty (the value itself).
   */
  path?: string;
}

function unrepresentable(where: string, what: string, hint: string): FediError {
  return new FediError("NIX_UNREPRESENTABLE", `The value${atWhere(where)} ${what}.`, {
    hint,
    details: { path: where },
  });
}

const PLAIN_HINT = "Pass plain data (strings, numbers, booleans, null, arrays, plain objects) or a nix.* node.";

/** True when `text` reads better as an indented string: it has a line break before its last character. */
function prefersIndented(text: string): boolean {
  const nl = text.indexOf("\n");
  return nl !== -1 && nl < text.length - 1 && !text.includes("\r");
}

/** An integer node, after the range check. */
export function intNode(value: bigint, where: string): NixNode {
  assertNixInt(value, where);
  return { [NIX_NODE]: true, kind: "int", value };
}

/** A float node, after the finiteness check. */
export function floatNode(value: number, where: string): NixNode {
  assertNixFloat(value, where);
  return { [NIX_NODE]: true, kind: "float", value };
}

/** `true`, `false` and `null` nodes (immutable, shared). */
export const TRUE_NODE: NixNode = Object.freeze({ [NIX_NODE]: true, kind: "bool", value: true } as const);
/** See {@link TRUE_NODE}. */
export const FALSE_NODE: NixNode = Object.freeze({ [NIX_NODE]: true, kind: "bool", value: false } as const);
/** See {@link TRUE_NODE}. */
export const NULL_NODE: NixNode = Object.freeze({ [NIX_NODE]: true, kind: "null" } as const);

function describeObject(value: object): string {
  if (value instanceof Date) return "is a Date; convert it first, e.g. with toISOString()";
  if (value instanceof Map) return "is a Map; convert it to a plain object (Object.fromEntries) first";
  if (value instanceof Set) return "is a Set; convert it to an array first";
  if (value instanceof RegExp) return "is a RegExp; pass its source text as a string";
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return "is binary data; encode it as a string";
  if (value instanceof Promise) return "is a Promise; await it first";
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return `is an instance of ${typeof name === "string" && name !== "" ? name : "a class"}, not plain data`;
}

/** Where the conversion is: the keys and indexes from the root, turned into a path string only for errors. */
interface Walk {
  readonly base: string;
  readonly keys: Array<string | number>;
  readonly ancestors: Set<object>;
}

function pathOf(walk: Walk): string {
  let where = walk.base;
  for (const key of walk.keys) where = typeof key === "number" ? joinIndex(where, key) : joinKey(where, key);
  return where;
}

function convert(value: unknown, walk: Walk): NixNode {
  switch (typeof value) {
    case "string":
      if (hasUnrepresentableText(value)) assertNixText(value, "string", pathOf(walk));
      return {
        [NIX_NODE]: true,
        kind: prefersIndented(value) ? "indented" : "string",
        parts: value === "" ? [] : [value],
      };
    case "number":
      if (Number.isSafeInteger(value)) return { [NIX_NODE]: true, kind: "int", value: BigInt(value) };
      return floatNode(value, Number.isFinite(value) ? "" : pathOf(walk));
    case "bigint":
      return value >= NIX_INT_MIN && value <= NIX_INT_MAX
        ? { [NIX_NODE]: true, kind: "int", value }
        : intNode(value, pathOf(walk));
    case "boolean":
      return value ? TRUE_NODE : FALSE_NODE;
    case "undefined":
      throw unrepresentable(pathOf(walk), "is undefined", "Leave the key out, or use null if Nix should see null.");
    case "function":
      throw unrepresentable(pathOf(walk), "is a function", "Build Nix functions with nix.lambda, or pass data.");
    case "symbol":
      throw unrepresentable(pathOf(walk), "is a symbol", PLAIN_HINT);
  }
  if (value === null) return NULL_NODE;
  const object = value as object;
  if (isNixNode(object)) return object;
  const { ancestors, keys } = walk;
  if (ancestors.has(object)) {
    throw unrepresentable(
      pathOf(walk),
      "refers back to one of its own parents (a cycle)",
      "Break the cycle; Nix data is a tree.",
    );
  }
  if (Array.isArray(object)) {
    ancestors.add(object);
    const items: NixNode[] = new Array(object.length);
    for (let i = 0; i < object.length; i++) {
      keys.push(i);
      items[i] = convert(object[i], walk);
      keys.pop();
    }
    ancestors.delete(object);
    return { [NIX_NODE]: true, kind: "list", items };
  }
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null)
    throw unrepresentable(pathOf(walk), describeObject(object), PLAIN_HINT);
  if (Object.getOwnPropertySymbols(object).length > 0) {
    throw unrepresentable(pathOf(walk), "has symbol keys", "Use string keys only.");
  }
  ancestors.add(object);
  const entries: NixBinding[] = [];
  for (const key of Object.keys(object)) {
    keys.push(key);
    if (hasUnrepresentableText(key)) assertNixText(key, "attribute name", pathOf(walk));
    entries.push({ name: key, value: convert((object as Record<string, unknown>)[key], walk) });
    keys.pop();
  }
  ancestors.delete(object);
  return { [NIX_NODE]: true, kind: "attrs", rec: false, entries, inherits: [] };
}

/**
 * Converts plain data into a Nix node: safe integers and bigints become ints, other finite numbers floats; strings
 * (indented when multi-line), booleans, null, arrays and plain objects (keys in JavaScript's own order: integer-like
 * keys first) map to their Nix forms; nodes pass through unchanged.
 * @throws FediError `NIX_UNREPRESENTABLE` naming the data path for NUL characters or lone surrogates in strings or
 * keys, integers outside the signed 64-bit range, NaN and infinities, cycles, functions, symbols, `undefined`, and
 * class instances (Date, Map, ...).
 */
export function toNix(value: unknown, options: ToNixOptions = {}): NixNode {
  return convert(value, { base: options.path ?? "", keys: [], ancestors: new Set() });
}
