/**
 * The `nix` builders: the one way to write Nix expressions in the SDK. Every builder validates its input and throws
 * `NIX_UNREPRESENTABLE` for something Nix cannot express, so a printed tree is always well-formed Nix.
 */
import { FediError } from "../errors.js";
import {
  isNixNode,
  makeNode,
  type NixAttrs,
  type NixBinaryOperator,
  type NixBinding,
  type NixFormal,
  type NixInherit,
  type NixInput,
  type NixNode,
  type NixPattern,
  type NixStringPart,
} from "./ast.js";
import { assertNixFloat } from "./numbers.js";
import { assertNixText, isNixIdentifier, isNixPathLiteral, NIX_KEYWORDS } from "./syntax.js";
import { FALSE_NODE, floatNode, intNode, NULL_NODE, TRUE_NODE, toNix } from "./to-nix.js";

/** Entries of an attribute set or `let`: a record (each key is one attribute name, dots included), or pairs whose
 * name may be an attribute path (`["services", "mastodon", "enable"]`), merged into nested sets. */
export type NixEntries = Record<string, NixInput> | ReadonlyArray<readonly [string | readonly string[], NixInput]>;

/** Options of {@link nix}`.attrs`. */
export interface NixAttrsOptions {
  /** Print `rec { ... }`. */
  rec?: boolean;
  /** `inherit` entries, printed first. */
  inherit?: readonly NixInherit[];
}

/** Pattern argument of {@link nix}`.lambda`: an identifier, or an attribute-set pattern. */
export type NixPatternInput =
  | string
  | {
      /** Formal names, or names mapped to a default (`undefined`: no default). */
      args: readonly string[] | Record<string, NixInput | undefined>;
      /** Accept other attributes (`...`). */
      ellipsis?: boolean;
      /** Bind the whole argument to this name (`{ ... }@name`). */
      bind?: string;
    };

function invalid(message: string, hint: string): FediError {
  return new FediError("NIX_UNREPRESENTABLE", message, { hint });
}

function assertIdentifier(name: string, what: string): void {
  if (!isNixIdentifier(name)) {
    throw invalid(
      `${JSON.stringify(name)} is not a valid Nix ${what}${NIX_KEYWORDS.has(name) ? " (it is a keyword)" : ""}.`,
      "Use a name matching [a-zA-Z_][a-zA-Z0-9_'-]* that is not a Nix keyword.",
    );
  }
}

function assertAttrName(name: string, where: string): void {
  if (typeof name !== "string") throw invalid(`Attribute name at ${where} is not a string.`, "Use string names.");
  assertNixText(name, "attribute name", where);
}

/** An ordered tree of bindings being merged from attribute paths. */
type Slot = NixNode | Map<string, Slot>;

function isPlainAttrs(node: NixNode): node is NixAttrs {
  return node.kind === "attrs" && !node.rec && node.inherits.length === 0;
}

function toSlot(node: NixNode): Slot {
  if (!isPlainAttrs(node)) return node;
  const map = new Map<string, Slot>();
  for (const entry of node.entries) map.set(entry.name, entry.value);
  return map;
}

function mergeInto(map: Map<string, Slot>, path: readonly string[], value: NixNode, shown: string): void {
  let current = map;
  for (let i = 0; i < path.length - 1; i++) {
    const name = path[i]!;
    let next = current.get(name);
    if (next === undefined) {
      next = new Map();
      current.set(name, next);
    } else if (!(next instanceof Map)) {
      next = toSlot(next);
      if (!(next instanceof Map)) throw duplicate(shown);
      current.set(name, next);
    }
    current = next;
  }
  const leaf = path[path.length - 1]!;
  const existing = current.get(leaf);
  if (existing === undefined) {
    current.set(leaf, value);
    return;
  }
  const a = existing instanceof Map ? existing : toSlot(existing);
  const b = toSlot(value);
  if (!(a instanceof Map) || !(b instanceof Map)) throw duplicate(shown);
  for (const [name, slot] of b) {
    if (a.has(name)) throw duplicate(`${shown}.${name}`);
    a.set(name, slot);
  }
  current.set(leaf, a);
}

function duplicate(shown: string): FediError {
  return invalid(`The attribute \`${shown}\` is defined twice.`, "Define each attribute once.");
}

function slotToNode(slot: Slot): NixNode {
  if (!(slot instanceof Map)) return slot;
  return makeNode({ kind: "attrs", rec: false, entries: slotBindings(slot), inherits: [] });
}

function slotBindings(map: Map<string, Slot>): NixBinding[] {
  const out: NixBinding[] = [];
  for (const [name, slot] of map) out.push({ name, value: slotToNode(slot) });
  return out;
}

function buildBindings(entries: NixEntries): NixBinding[] {
  if (!Array.isArray(entries)) {
    const record = entries as Record<string, NixInput>;
    return Object.keys(record).map((name) => {
      assertAttrName(name, name);
      return { name, value: toNix(record[name], { path: name }) };
    });
  }
  const root = new Map<string, Slot>();
  for (const [rawPath, input] of entries as ReadonlyArray<readonly [string | readonly string[], NixInput]>) {
    const path = typeof rawPath === "string" ? [rawPath] : rawPath;
    if (path.length === 0) throw invalid("An attribute path is empty.", "Give at least one attribute name.");
    const shown = path.join(".");
    for (const name of path) assertAttrName(name, shown);
    mergeInto(root, path, toNix(input, { path: shown }), shown);
  }
  return slotBindings(root);
}

function buildInherits(inherit: readonly NixInherit[] | undefined, bindings: readonly NixBinding[]): NixInherit[] {
  if (!inherit) return [];
  const seen = new Set(bindings.map((b) => b.name));
  return inherit.map((entry) => {
    if (entry.names.length === 0) throw invalid("An inherit entry names nothing.", "List at least one name.");
    for (const name of entry.names) {
      if (entry.from === undefined) assertIdentifier(name, "variable to inherit");
      else assertAttrName(name, name);
      if (seen.has(name)) throw duplicate(name);
      seen.add(name);
    }
    const from = entry.from === undefined ? undefined : toNix(entry.from, { path: "inherit" });
    return from === undefined ? { names: [...entry.names] } : { from, names: [...entry.names] };
  });
}

function stringParts(
  strings: TemplateStringsArray | string,
  values: readonly unknown[],
  what: string,
): NixStringPart[] {
  const parts: NixStringPart[] = [];
  const addText = (text: string): void => {
    if (text === "") return;
    assertNixText(text, what, "");
    const last = parts.length - 1;
    if (last >= 0 && typeof parts[last] === "string") parts[last] = (parts[last] as string) + text;
    else parts.push(text);
  };
  if (typeof strings === "string") {
    addText(strings);
    return parts;
  }
  for (let i = 0; i < strings.length; i++) {
    const text = strings[i];
    if (text === undefined) throw invalid(`A ${what} template has an invalid escape sequence.`, "Fix the template.");
    addText(text);
    if (i < values.length) {
      const value = values[i];
      if (isNixNode(value)) parts.push(value);
      else if (typeof value === "string") addText(value);
      else if (typeof value === "bigint" || (typeof value === "number" && Number.isFinite(value))) {
        addText(String(value));
      } else {
        throw invalid(
          `A ${what} template interpolates ${value === null ? "null" : typeof value}, which is neither text nor a Nix node.`,
          "Interpolate strings, numbers or nix.* nodes.",
        );
      }
    }
  }
  return parts;
}

function asNode(input: NixInput, path: string): NixNode {
  return toNix(input, { path });
}

function ref(dotted: string): NixNode {
  const names = dotted.split(".");
  for (const name of names) assertIdentifier(name, `name in reference ${JSON.stringify(dotted)}`);
  const base = makeNode({ kind: "var", name: names[0]! });
  return names.length === 1 ? base : makeNode({ kind: "select", expr: base, path: names.slice(1) });
}

function fnNode(fn: NixNode | string): NixNode {
  return typeof fn === "string" ? ref(fn) : asNode(fn, "function");
}

function pattern(input: NixPatternInput): NixPattern {
  if (typeof input === "string") {
    assertIdentifier(input, "function argument name");
    return { kind: "ident", name: input };
  }
  const args: NixFormal[] = [];
  if (Array.isArray(input.args)) {
    for (const name of input.args as readonly string[]) args.push({ name });
  } else {
    const record = input.args as Record<string, NixInput | undefined>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      args.push(value === undefined ? { name } : { name, default: asNode(value, name) });
    }
  }
  const seen = new Set<string>();
  for (const { name } of args) {
    assertIdentifier(name, "function argument name");
    if (seen.has(name)) throw invalid(`The function argument ${name} is listed twice.`, "List each argument once.");
    seen.add(name);
  }
  if (input.bind !== undefined) assertIdentifier(input.bind, "name for the whole argument (@)");
  const set = { kind: "set" as const, args, ellipsis: input.ellipsis === true };
  return input.bind === undefined ? set : { ...set, bind: input.bind };
}

const BINARY_OPERATORS: ReadonlySet<string> = new Set<NixBinaryOperator>([
  "==",
  "!=",
  "&&",
  "||",
  "->",
  "++",
  "//",
  "+",
  "-",
  "*",
  "/",
  "<",
  ">",
  "<=",
  ">=",
]);

function libCall(name: string, ...args: NixNode[]): NixNode {
  return makeNode({ kind: "apply", fn: ref(`lib.${name}`), args });
}

/** Tagged-template (or plain-text) form of the string builders. */
export type NixStringBuilder = (strings: TemplateStringsArray | string, ...values: unknown[]) => NixNode;

/**
 * Builders of Nix expressions. Inputs typed {@link NixInput} accept nodes and plain data (converted by `toNix`).
 * The module helpers (`mkDefault`, `mkForce`, `mkIf`, `mkOverride`, `mkMerge`) apply `lib.mk*`: `lib` must be in
 * scope where the expression is used (e.g. a module taking `{ lib, ... }`).
 */
export const nix = {
  /**
   * An attribute set. Record keys are single attribute names (a key with a dot is quoted, not split); in the pair
   * form a name may be a path (`["services", "mastodon", "enable"]`), and paths sharing a prefix are merged.
   * @throws FediError `NIX_UNREPRESENTABLE` for a name defined twice or invalid values.
   */
  attrs(entries: NixEntries, options: NixAttrsOptions = {}): NixNode {
    const bindings = buildBindings(entries);
    return makeNode({
      kind: "attrs",
      rec: options.rec === true,
      entries: bindings,
      inherits: buildInherits(options.inherit, bindings),
    });
  },
  /** A list. */
  list(items: readonly NixInput[]): NixNode {
    return makeNode({ kind: "list", items: items.map((item, i) => asNode(item, `[${i}]`)) });
  },
  /** A double-quoted string holding exactly `text`. */
  str(text: string): NixNode {
    return makeNode({ kind: "string", parts: stringParts(text, [], "string") });
  },
  /**
   * A double-quoted string from a template: `` nix.s`${nix.ref("pkgs.hello")}/bin/hello` ``. Interpolated nodes
   * become `${...}`; interpolated strings and numbers are literal text. Also callable with plain text.
   */
  s: ((strings: TemplateStringsArray | string, ...values: unknown[]) =>
    makeNode({ kind: "string", parts: stringParts(strings, values, "string") })) as NixStringBuilder,
  /** An indented string (`''...''`), same forms as {@link nix}`.s`. The printer escapes it so Nix yields exactly the text. */
  ind: ((strings: TemplateStringsArray | string, ...values: unknown[]) =>
    makeNode({ kind: "indented", parts: stringParts(strings, values, "indented string") })) as NixStringBuilder,
  /** An integer; `number` inputs must be safe integers. */
  int(n: number | bigint): NixNode {
    if (typeof n === "number" && !Number.isSafeInteger(n)) {
      throw invalid(`${n} is not a safe integer.`, "Pass a bigint for large integers, or use nix.float.");
    }
    return intNode(BigInt(n), "");
  },
  /** A float (finite). An integral value still prints as a float, e.g. `3.0`. */
  float(n: number): NixNode {
    assertNixFloat(n, "");
    return floatNode(n, "");
  },
  /** `true` or `false`. */
  bool(b: boolean): NixNode {
    return b ? TRUE_NODE : FALSE_NODE;
  },
  /** `null`. */
  null: NULL_NODE,
  /**
   * A path literal such as `./x.nix`, `../a/b`, `/abs` (no trailing slash, no `~`, no interpolation).
   * @throws FediError `NIX_UNREPRESENTABLE` when `p` is not a valid path literal.
   */
  path(p: string): NixNode {
    if (!isNixPathLiteral(p)) {
      throw invalid(
        `${JSON.stringify(p)} is not a valid Nix path literal.`,
        "Use a path such as ./x.nix, ../a/b or /abs: characters a-z A-Z 0-9 . _ + - and at least one /, no trailing /.",
      );
    }
    return makeNode({ kind: "path", path: p });
  },
  /**
   * A variable, or selections from one, from a dotted name: `nix.ref("pkgs.garage_2")`.
   * @throws FediError `NIX_UNREPRESENTABLE` when a segment is not an identifier (or the first one is a keyword).
   */
  ref,
  /** `expr.a.b`, or `expr.a.b or orDefault`. */
  select(expr: NixInput, attrPath: readonly string[], orDefault?: NixInput): NixNode {
    if (attrPath.length === 0) throw invalid("nix.select needs at least one attribute name.", "Pass a path.");
    for (const name of attrPath) assertAttrName(name, attrPath.join("."));
    const base = asNode(expr, "select");
    const merged = base.kind === "select" && base.or === undefined;
    const fields = {
      kind: "select" as const,
      expr: merged ? base.expr : base,
      path: merged ? [...base.path, ...attrPath] : [...attrPath],
    };
    return orDefault === undefined ? makeNode(fields) : makeNode({ ...fields, or: asNode(orDefault, "or") });
  },
  /** `fn arg1 arg2 ...`; a string `fn` is a dotted reference (as {@link nix}`.ref`). */
  apply(fn: NixNode | string, ...args: NixInput[]): NixNode {
    if (args.length === 0) throw invalid("nix.apply needs at least one argument.", "Pass the arguments.");
    return makeNode({ kind: "apply", fn: fnNode(fn), args: args.map((a, i) => asNode(a, `argument ${i + 1}`)) });
  },
  /** A function: `nix.lambda("x", body)` or `nix.lambda({ args: ["lib", "pkgs"], ellipsis: true }, body)`. */
  lambda(patternInput: NixPatternInput, body: NixInput): NixNode {
    return makeNode({ kind: "lambda", pattern: pattern(patternInput), body: asNode(body, "body") });
  },
  /** `let bindings in body`; bindings take the same forms as {@link nix}`.attrs`. */
  let(bindings: NixEntries, body: NixInput, options: Pick<NixAttrsOptions, "inherit"> = {}): NixNode {
    const entries = buildBindings(bindings);
    return makeNode({
      kind: "let",
      bindings: entries,
      inherits: buildInherits(options.inherit, entries),
      body: asNode(body, "body"),
    });
  },
  /** `if cond then a else b`. */
  if(cond: NixInput, then: NixInput, otherwise: NixInput): NixNode {
    return makeNode({
      kind: "if",
      cond: asNode(cond, "if"),
      consequent: asNode(then, "then"),
      alternative: asNode(otherwise, "else"),
    });
  },
  /** A binary operation, e.g. `nix.op(a, "//", b)`. */
  op(left: NixInput, op: NixBinaryOperator, right: NixInput): NixNode {
    if (!BINARY_OPERATORS.has(op))
      throw invalid(`${JSON.stringify(op)} is not a supported Nix operator.`, "Use ==, //, ++, ...");
    return makeNode({ kind: "binop", op, left: asNode(left, "left"), right: asNode(right, "right") });
  },
  /** `!x`. */
  not(x: NixInput): NixNode {
    return makeNode({ kind: "not", expr: asNode(x, "not") });
  },
  /** `import target`; a string is a path literal (validated as {@link nix}`.path`). */
  import(pathOrExpr: NixNode | string): NixNode {
    return makeNode({ kind: "import", target: typeof pathOrExpr === "string" ? nix.path(pathOrExpr) : pathOrExpr });
  },
  /** `expr` preceded by a comment (a `#` line where the expression starts a line, else a block comment). */
  comment(text: string, expr: NixInput): NixNode {
    assertNixText(text, "comment", "");
    return makeNode({ kind: "comment", text, expr: asNode(expr, "comment") });
  },
  /** `lib.mkDefault v`. */
  mkDefault(v: NixInput): NixNode {
    return libCall("mkDefault", asNode(v, "mkDefault"));
  },
  /** `lib.mkForce v`. */
  mkForce(v: NixInput): NixNode {
    return libCall("mkForce", asNode(v, "mkForce"));
  },
  /** `lib.mkIf cond v`. */
  mkIf(cond: NixInput, v: NixInput): NixNode {
    return libCall("mkIf", asNode(cond, "mkIf"), asNode(v, "mkIf"));
  },
  /** `lib.mkOverride prio v`. */
  mkOverride(prio: number, v: NixInput): NixNode {
    return libCall("mkOverride", nix.int(prio), asNode(v, "mkOverride"));
  },
  /** `lib.mkMerge [ ... ]`. */
  mkMerge(list: readonly NixInput[]): NixNode {
    return libCall("mkMerge", nix.list(list));
  },
};
