/**
 * Option contracts: the NixOS option paths and types a plugin's generator may set, recorded from the upstream module
 * sources it targets. A test holds every generated module against its contract, so an upstream change (a renamed or
 * retyped option) surfaces as an update of the contract file rather than as a broken deployment.
 */

/** Where the facts of a contract were read. */
export interface OptionContractSource {
  /** Repository, e.g. `NixOS/nixpkgs`. */
  repository: string;
  /** File inside the repository. */
  path: string;
  /** Commit the file was read at; null when the copy came without one (then `note` says how it was identified). */
  commit: string | null;
  /** Character count of the file read (identifies the copy). */
  chars?: number;
  /** Free remark. */
  note?: string;
}

/**
 * A contract: option paths (dotted; a `<name>` segment matches any one attribute name) with their NixOS types in a
 * small grammar (`bool`, `str`, `int`, `ints.positive`, `port`, `path`, `lines`, `package`, `attrs`, `json`,
 * `nullOr T`, `listOf T`, `attrsOf T`, `oneOf [T ...]`), and the paths that must always be set.
 */
export interface OptionContract {
  /** Upstream files the facts come from. */
  sources: OptionContractSource[];
  /** Option path → type. Values below `attrs`, `attrsOf`, `listOf` and `json` options are not walked further. */
  options: Record<string, string>;
  /** Options without a default in the upstream module: a module that leaves one unset fails to evaluate. */
  required: string[];
}

/** A parsed option type. */
export type OptionType =
  | { kind: "name"; name: string }
  | { kind: "nullOr" | "listOf" | "attrsOf"; of: OptionType }
  | { kind: "oneOf"; of: OptionType[] };

/** Parses a type of the contract grammar. @throws Error on a malformed type (a broken contract file). */
export function parseOptionType(text: string): OptionType {
  const tokens = text.match(/\(|\)|\[|\]|[^\s()[\]]+/g) ?? [];
  let i = 0;
  const next = (): string => {
    const t = tokens[i++];
    if (t === undefined) throw new Error(`option type '${text}' ends early`);
    return t;
  };
  const parse = (): OptionType => {
    const t = next();
    if (t === "(") {
      const inner = parse();
      if (next() !== ")") throw new Error(`option type '${text}': missing ')'`);
      return inner;
    }
    if (t === "nullOr" || t === "listOf" || t === "attrsOf") return { kind: t, of: parse() };
    if (t === "oneOf") {
      if (next() !== "[") throw new Error(`option type '${text}': oneOf needs [ ... ]`);
      const of: OptionType[] = [];
      while (tokens[i] !== "]") of.push(parse());
      i++;
      return { kind: "oneOf", of };
    }
    if (!/^[a-zA-Z][a-zA-Z.]*$/.test(t)) throw new Error(`option type '${text}': unexpected '${t}'`);
    return { kind: "name", name: t };
  };
  const type = parse();
  if (i !== tokens.length) throw new Error(`option type '${text}' has trailing text`);
  return type;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** True when `value` (evaluated to JSON) fits `type`. A `path` must be an absolute path string outside the Nix store. */
export function valueFitsType(value: unknown, type: OptionType): boolean {
  switch (type.kind) {
    case "nullOr":
      return value === null || valueFitsType(value, type.of);
    case "listOf":
      return Array.isArray(value) && value.every((v) => valueFitsType(v, type.of));
    case "attrsOf":
      return isObject(value) && Object.values(value).every((v) => valueFitsType(v, type.of));
    case "oneOf":
      return type.of.some((t) => valueFitsType(value, t));
    case "name":
      switch (type.name) {
        case "bool":
          return typeof value === "boolean";
        case "str":
        case "lines":
          return typeof value === "string";
        case "int":
          return Number.isInteger(value);
        case "ints.positive":
          return Number.isInteger(value) && (value as number) > 0;
        case "port":
          return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;
        case "path":
          return typeof value === "string" && value.startsWith("/") && !value.startsWith("/nix/store/");
        case "package":
          return typeof value === "string" && value.startsWith("/nix/store/");
        case "attrs":
          return isObject(value);
        case "json":
          return true;
        default:
          throw new Error(`unknown option type '${type.name}'`);
      }
  }
}

/**
 * Unwraps module-system wrappers in an evaluated module (`{ _type = "override" | "order" | "if" | "merge"; ... }`, as
 * `lib.mkDefault`, `lib.mkIf` etc. produce), returning the plain definitions (an `if` with a false condition yields
 * nothing; a `merge` yields each of its contents).
 */
export function unwrapDefinitions(value: unknown): unknown[] {
  if (!isObject(value) || typeof value._type !== "string") return [value];
  switch (value._type) {
    case "override":
    case "order":
      return unwrapDefinitions(value.content);
    case "if":
      return value.condition === true ? unwrapDefinitions(value.content) : [];
    case "merge":
      return Array.isArray(value.contents) ? value.contents.flatMap(unwrapDefinitions) : [];
    default:
      return [value];
  }
}

function matchOption(contract: OptionContract, path: readonly string[]): string | undefined {
  for (const key of Object.keys(contract.options)) {
    const segs = key.split(".");
    if (segs.length === path.length && segs.every((s, i) => s === "<name>" || s === path[i])) return key;
  }
  return undefined;
}

function isPrefixOfOption(contract: OptionContract, path: readonly string[]): boolean {
  return Object.keys(contract.options).some((key) => {
    const segs = key.split(".");
    return segs.length > path.length && path.every((p, i) => segs[i] === "<name>" || segs[i] === p);
  });
}

/** Result of {@link checkOptionContract}. */
export interface OptionContractReport {
  /** Contract keys the module set (each option path matched), sorted. */
  set: string[];
  /** Problems: paths outside the contract, values of the wrong type, required options left unset. */
  problems: string[];
}

/**
 * Holds an evaluated module (the JSON of a module body, with `lib.mk*` wrappers kept as `_type` sets) against a
 * contract: every option it sets must be in the contract with a value of the recorded type, and every required
 * option must be set. Walks the whole module; trees without contract entries below them are reported as unknown.
 */
export function checkOptionContract(moduleValue: unknown, contract: OptionContract): OptionContractReport {
  const problems: string[] = [];
  const set = new Set<string>();
  const types = new Map(Object.entries(contract.options).map(([k, t]) => [k, parseOptionType(t)]));
  const walk = (value: unknown, path: string[]): void => {
    for (const def of unwrapDefinitions(value)) {
      const key = matchOption(contract, path);
      if (key !== undefined) {
        set.add(key);
        if (!valueFitsType(def, types.get(key)!)) {
          problems.push(`${path.join(".")}: value does not fit the contract type '${contract.options[key]}'`);
        }
        continue;
      }
      if (isObject(def) && (path.length === 0 || isPrefixOfOption(contract, path))) {
        for (const [k, v] of Object.entries(def)) walk(v, [...path, k]);
        continue;
      }
      problems.push(`${path.join(".")}: not an option of the contract`);
    }
  };
  walk(moduleValue, []);
  for (const required of contract.required) {
    if (!set.has(required)) problems.push(`${required}: required option not set`);
  }
  return { set: [...set].sort(), problems };
}
