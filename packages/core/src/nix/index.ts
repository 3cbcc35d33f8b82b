/**
 * `@fediversity/core/nix`: the typed Nix syntax tree, its builders, the printer (the only producer of Nix text in
 * the SDK), and helpers that parse and evaluate Nix text with the real `nix-instantiate`.
 * @packageDocumentation
 */
export {
  isNixNode,
  NIX_NODE,
  type NixApply,
  type NixAttrs,
  type NixBinaryOp,
  type NixBinaryOperator,
  type NixBinding,
  type NixBool,
  type NixComment,
  type NixFloat,
  type NixFormal,
  type NixIdentPattern,
  type NixIf,
  type NixImport,
  type NixIndentedString,
  type NixInherit,
  type NixInput,
  type NixInt,
  type NixLambda,
  type NixLet,
  type NixList,
  type NixNode,
  type NixNodeBase,
  type NixNot,
  type NixNull,
  type NixPath,
  type NixPattern,
  type NixSelect,
  type NixSetPattern,
  type NixString,
  type NixStringPart,
  type NixVar,
} from "./ast.js";
export {
  type NixAttrsOptions,
  type NixEntries,
  type NixPatternInput,
  type NixStringBuilder,
  nix,
} from "./builders.js";
export { parseJsonExact } from "./json.js";
export { NIX_INT_MAX, NIX_INT_MIN } from "./numbers.js";
export { attrName, type PrintNixFileOptions, type PrintNixOptions, printNix, printNixFile } from "./print.js";
export {
  type FindNixOptions,
  findNixInstantiate,
  NIX_INSTALL_HINT,
  type NixEvalOptions,
  type NixParseOptions,
  type NixRunOptions,
  nixEvalJson,
  nixEvalJsonFile,
  nixParse,
  nixParseFile,
} from "./run.js";
export { isNixIdentifier, isNixPathLiteral, NIX_KEYWORDS } from "./syntax.js";
export { type ToNixOptions, toNix } from "./to-nix.js";
