/**
 * The typed Nix syntax tree. Nodes are plain immutable objects carrying a symbol brand, so plain data that happens to
 * have a `kind` field is never mistaken for a node. Build nodes with the `nix` builders or `toNix`, never by hand.
 */

/** Brand carried by every {@link NixNode}; `Symbol.for`, so it works across duplicate copies of the package. */
export const NIX_NODE: unique symbol = Symbol.for("@fediversity/core/nix/node");

/** Fields shared by every node. */
export interface NixNodeBase {
  /** Brand: set only by the builders in this module. */
  readonly [NIX_NODE]: true;
}

/** One `name = value;` binding of an attribute set or `let`. `name` is one attribute name (it may contain dots). */
export interface NixBinding {
  /** The attribute name, unquoted; the printer quotes it when Nix requires. */
  readonly name: string;
  /** The bound value. */
  readonly value: NixNode;
}

/** An `inherit a b;` or `inherit (from) a b;` entry. */
export interface NixInherit {
  /** The expression to inherit from; absent for `inherit a;` (from the enclosing scope). */
  readonly from?: NixNode;
  /** Names to inherit. */
  readonly names: readonly string[];
}

/** An attribute set `{ ... }` or `rec { ... }`. */
export interface NixAttrs extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "attrs";
  /** True for `rec { ... }`. */
  readonly rec: boolean;
  /** Bindings, printed in this order. */
  readonly entries: readonly NixBinding[];
  /** `inherit` entries, printed before the bindings. */
  readonly inherits: readonly NixInherit[];
}

/** A list `[ ... ]`. */
export interface NixList extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "list";
  /** The elements. */
  readonly items: readonly NixNode[];
}

/** A piece of a string: literal text (exactly the characters wanted) or an interpolated expression (`${...}`). */
export type NixStringPart = string | NixNode;

/** A double-quoted string `"..."`. */
export interface NixString extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "string";
  /** Literal text and interpolations; adjacent texts are merged and empty texts dropped. */
  readonly parts: readonly NixStringPart[];
}

/** An indented string `''...''`; the printer escapes and indents it so Nix yields exactly the parts' text. */
export interface NixIndentedString extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "indented";
  /** Literal text and interpolations; adjacent texts are merged and empty texts dropped. */
  readonly parts: readonly NixStringPart[];
}

/** A Nix integer (signed 64 bits). */
export interface NixInt extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "int";
  /** The value, within the signed 64-bit range. */
  readonly value: bigint;
}

/** A Nix float (IEEE double). */
export interface NixFloat extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "float";
  /** A finite number. */
  readonly value: number;
}

/** `true` or `false`. */
export interface NixBool extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "bool";
  /** The value. */
  readonly value: boolean;
}

/** `null`. */
export interface NixNull extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "null";
}

/** A path literal such as `./x.nix`, `../a/b` or `/abs`. */
export interface NixPath extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "path";
  /** The literal, already validated. */
  readonly path: string;
}

/** A variable reference such as `pkgs` or `lib`. */
export interface NixVar extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "var";
  /** A Nix identifier that is not a keyword. */
  readonly name: string;
}

/** Attribute selection `expr.a.b` or `expr.a.b or default`. */
export interface NixSelect extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "select";
  /** The expression selected from. */
  readonly expr: NixNode;
  /** Attribute names (at least one), unquoted. */
  readonly path: readonly string[];
  /** The `or` default. */
  readonly or?: NixNode;
}

/** Function application `fn a b`. */
export interface NixApply extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "apply";
  /** The function. */
  readonly fn: NixNode;
  /** The arguments (at least one). */
  readonly args: readonly NixNode[];
}

/** One formal of an attribute-set pattern: `name` or `name ? default`. */
export interface NixFormal {
  /** An identifier. */
  readonly name: string;
  /** Default value, when the argument is optional. */
  readonly default?: NixNode;
}

/** A lambda argument that is a plain identifier: `x: ...`. */
export interface NixIdentPattern {
  /** Discriminant. */
  readonly kind: "ident";
  /** The argument's name (an identifier). */
  readonly name: string;
}

/** An attribute-set pattern: `{ a, b ? 1, ... }@args: ...`. */
export interface NixSetPattern {
  /** Discriminant. */
  readonly kind: "set";
  /** The formals, in order. */
  readonly args: readonly NixFormal[];
  /** True for a trailing `...`. */
  readonly ellipsis: boolean;
  /** Name bound to the whole argument (`@name`). */
  readonly bind?: string;
}

/** A lambda's argument pattern: `x` or `{ a, b ? 1, ... }@args`. */
export type NixPattern = NixIdentPattern | NixSetPattern;

/** A function `pattern: body`. */
export interface NixLambda extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "lambda";
  /** The argument pattern. */
  readonly pattern: NixPattern;
  /** The body. */
  readonly body: NixNode;
}

/** `let bindings in body`. */
export interface NixLet extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "let";
  /** The bindings, in order. */
  readonly bindings: readonly NixBinding[];
  /** `inherit` entries, printed before the bindings. */
  readonly inherits: readonly NixInherit[];
  /** The body. */
  readonly body: NixNode;
}

/** `if cond then a else b`. */
export interface NixIf extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "if";
  /** The condition. */
  readonly cond: NixNode;
  /** Value when true (`then` branch; not named `then`, which would make the node look like a promise). */
  readonly consequent: NixNode;
  /** Value when false (`else` branch). */
  readonly alternative: NixNode;
}

/** Binary operators the printer supports. */
export type NixBinaryOperator =
  | "=="
  | "!="
  | "&&"
  | "||"
  | "->"
  | "++"
  | "//"
  | "+"
  | "-"
  | "*"
  | "/"
  | "<"
  | ">"
  | "<="
  | ">=";

/** A binary operation `left op right`. */
export interface NixBinaryOp extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "binop";
  /** The operator. */
  readonly op: NixBinaryOperator;
  /** Left operand. */
  readonly left: NixNode;
  /** Right operand. */
  readonly right: NixNode;
}

/** Boolean negation `!x`. */
export interface NixNot extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "not";
  /** The operand. */
  readonly expr: NixNode;
}

/** `import target`. */
export interface NixImport extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "import";
  /** What is imported: usually a path literal. */
  readonly target: NixNode;
}

/** An expression with a comment printed before it (as `#` lines where a line of its own is possible). */
export interface NixComment extends NixNodeBase {
  /** Discriminant. */
  readonly kind: "comment";
  /** Comment text; may span lines. */
  readonly text: string;
  /** The commented expression. */
  readonly expr: NixNode;
}

/** A node of the typed Nix syntax tree; `kind` tells which. */
export type NixNode =
  | NixAttrs
  | NixList
  | NixString
  | NixIndentedString
  | NixInt
  | NixFloat
  | NixBool
  | NixNull
  | NixPath
  | NixVar
  | NixSelect
  | NixApply
  | NixLambda
  | NixLet
  | NixIf
  | NixBinaryOp
  | NixNot
  | NixImport
  | NixComment;

/** Anything the builders accept: a node, or plain data converted by `toNix`. */
export type NixInput =
  | NixNode
  | string
  | number
  | bigint
  | boolean
  | null
  | NixInput[]
  | readonly NixInput[]
  | { [key: string]: NixInput };

/** True when `value` is a {@link NixNode} made by this module (from any copy of the package). */
export function isNixNode(value: unknown): value is NixNode {
  return typeof value === "object" && value !== null && (value as { [NIX_NODE]?: unknown })[NIX_NODE] === true;
}

/** Distributes `Omit` over a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Adds the brand to node fields. Internal: the public way to make nodes is the `nix` builders. */
export function makeNode<T extends DistributiveOmit<NixNode, typeof NIX_NODE>>(fields: T): T & NixNodeBase {
  return { [NIX_NODE]: true, ...fields };
}
