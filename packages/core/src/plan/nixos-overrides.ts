/**
 * Refuses `machines[].nixos` settings that touch option paths the SDK generates for the same machine.
 *
 * The extra NixOS settings of a machine are merged by the NixOS module system with everything the SDK writes for it
 * (the generated machine module, the plugins' modules, the static base and secrets modules). A setting at a path the
 * SDK also defines either conflicts ("conflicting definition values", found only when the machine is built) or
 * silently replaces the SDK's value (when the SDK's is a `mkDefault`), so the plan refuses it, naming both sides.
 *
 * What counts as touching: the user's setting and an SDK definition at the same path, or one inside the other (a value
 * where the SDK defines attributes below, or attributes inside a value the SDK defines whole). Lists are the one
 * exception: two list definitions of one option concatenate in NixOS (`types.listOf`), so a user's list where the SDK
 * also gives a list (`networking.firewall.allowedTCPPorts`, `services.openssh.ports`) adds to it and is allowed.
 * Empty attribute sets define nothing. Paths are compared name by name, so names such as `constructor`, `__proto__`
 * or names with dots and quotes (`"a.b"`) are just names.
 */
import { FediError, type FediIssue } from "../errors.js";
import { formatPath } from "../model/zod-issues.js";
import { isNixNode, type NixInput, type NixNode } from "../nix/ast.js";

/**
 * How an SDK definition merges with a user's: `value` (one value: any other definition conflicts or overrides it),
 * `list` (a list: another list concatenates with it), `subtree` (the SDK owns everything at and below the path).
 */
export type GeneratedDefinitionKind = "value" | "list" | "subtree";

/** One option path the SDK defines on a machine. */
export interface GeneratedDefinition {
  /** Attribute names from the top of the configuration, e.g. `["services", "mastodon", "enable"]`. */
  path: readonly string[];
  /** How it merges with a user's definition. */
  kind: GeneratedDefinitionKind;
  /** What defines it, for messages, e.g. `the module of instance 'social' (mastodon)`. */
  by: string;
}

/** One option path a user's `machines[].nixos` defines, with its kind (`value` or `list`). */
export interface UserDefinition {
  /** Attribute names from the top of the configuration. */
  path: readonly string[];
  /** `list` for a list value, else `value`. */
  kind: "value" | "list";
}

/** Module-system functions whose last argument is the definition itself (`lib.mkDefault v`, `lib.mkIf c v`). */
const WRAPPERS: ReadonlySet<string> = new Set([
  "mkDefault",
  "mkForce",
  "mkOverride",
  "mkIf",
  "mkBefore",
  "mkAfter",
  "mkOrder",
  "mkOptionDefault",
  "mkImageMediaOverride",
  "mkVMOverride",
]);

/** The `lib.<name>` a node applies, when it is an application of a `lib` function. */
function libFunction(node: NixNode): string | undefined {
  if (node.kind !== "apply") return undefined;
  const fn = node.fn;
  if (fn.kind === "select" && fn.expr.kind === "var" && fn.expr.name === "lib" && fn.path.length === 1) {
    return fn.path[0];
  }
  return undefined;
}

/**
 * The option paths a module body defines: plain data (objects, lists, scalars) and printer nodes, with the
 * module-system wrappers (`lib.mkDefault`, `lib.mkForce`, `lib.mkOverride`, `lib.mkIf`, `lib.mkMerge`, ...) looked
 * through. A list is one `list` definition; any other expression (a function call, a reference, a `let`) is one
 * `value` definition at its path, since what it evaluates to is not known before evaluation.
 */
export function definitionsOf(body: NixInput | unknown, by: string): GeneratedDefinition[] {
  return collect(body).map((d) => ({ path: d.path, kind: d.kind, by }));
}

/** The option paths of a user's `machines[].nixos` data (plain data, or printer nodes inside it). */
export function userDefinitionsOf(data: unknown): UserDefinition[] {
  return collect(data);
}

function collect(body: unknown): UserDefinition[] {
  const out: UserDefinition[] = [];
  const visit = (value: unknown, path: string[]): void => {
    if (isNixNode(value)) {
      visitNode(value, path);
      return;
    }
    if (Array.isArray(value)) {
      if (path.length > 0) out.push({ path, kind: "list" });
      return;
    }
    if (value !== null && typeof value === "object") {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], [...path, key]);
      return;
    }
    if (value === undefined) return;
    if (path.length > 0) out.push({ path, kind: "value" });
  };
  const visitNode = (node: NixNode, path: string[]): void => {
    switch (node.kind) {
      case "attrs":
        for (const inherit of node.inherits)
          for (const name of inherit.names) out.push({ path: [...path, name], kind: "value" });
        for (const entry of node.entries) visit(entry.value, [...path, entry.name]);
        return;
      case "comment":
        visit(node.expr, path);
        return;
      case "list":
        if (path.length > 0) out.push({ path, kind: "list" });
        return;
      default: {
        const fn = libFunction(node);
        if (fn === "mkMerge" && node.kind === "apply" && node.args[0]?.kind === "list") {
          for (const item of node.args[0].items) visit(item, path);
          return;
        }
        if (fn !== undefined && WRAPPERS.has(fn) && node.kind === "apply") {
          visit(node.args[node.args.length - 1], path);
          return;
        }
        if (path.length > 0) out.push({ path, kind: "value" });
      }
    }
  };
  visit(body, []);
  return out;
}

/** A trie of generated definitions, keyed by attribute name (a `Map`: no name is special). */
interface Trie {
  children: Map<string, Trie>;
  definitions: GeneratedDefinition[];
}

function trieOf(definitions: readonly GeneratedDefinition[]): Trie {
  const root: Trie = { children: new Map(), definitions: [] };
  for (const d of definitions) {
    let node = root;
    for (const name of d.path) {
      let next = node.children.get(name);
      if (!next) {
        next = { children: new Map(), definitions: [] };
        node.children.set(name, next);
      }
      node = next;
    }
    node.definitions.push(d);
  }
  return root;
}

/** The first definition at or below a trie node (depth first, in insertion order). */
function firstBelow(node: Trie): GeneratedDefinition | undefined {
  if (node.definitions.length > 0) return node.definitions[0];
  for (const child of node.children.values()) {
    const d = firstBelow(child);
    if (d) return d;
  }
  return undefined;
}

/** A user's definition that touches a generated one. */
export interface NixosOverride {
  /** The user's option path. */
  user: UserDefinition;
  /** The generated definition it touches. */
  generated: GeneratedDefinition;
}

/** Every user definition that touches a generated one (at most one report per user definition). */
export function findNixosOverrides(
  user: readonly UserDefinition[],
  generated: readonly GeneratedDefinition[],
): NixosOverride[] {
  const trie = trieOf(generated);
  const out: NixosOverride[] = [];
  for (const u of user) {
    let node: Trie | undefined = trie;
    let hit: GeneratedDefinition | undefined;
    for (let i = 0; i < u.path.length && node; i++) {
      // Above the user's path: the SDK defines a whole value (or list) that the user's setting reaches into.
      if (node.definitions.length > 0 && i > 0) {
        hit = node.definitions[0];
        break;
      }
      node = node.children.get(u.path[i]!);
    }
    if (!hit && node) {
      const here = node.definitions;
      if (here.length > 0) {
        const merges = u.kind === "list" && here.every((d) => d.kind === "list");
        if (!merges) hit = here[0];
      }
      // Below the user's path: the user's value replaces attributes the SDK defines.
      if (!hit && node.children.size > 0) hit = firstBelow(node);
    }
    if (hit) out.push({ user: u, generated: hit });
  }
  return out;
}

/** Renders an option path as Nix would write it (names quoted where Nix needs it). */
export function optionPathText(path: readonly string[]): string {
  return path.map((n) => (/^[A-Za-z_][A-Za-z0-9_'-]*$/.test(n) ? n : JSON.stringify(n))).join(".");
}

/** Input of {@link checkNixosOverrides}. */
export interface NixosOverridesInput {
  /** The machine's name. */
  machine: string;
  /** The machine's `nixos` data from the spec. */
  nixos: Record<string, unknown> | undefined;
  /** Spec path of `nixos`, e.g. `machines[0].nixos`. */
  path: string;
  /** Everything the SDK defines on the machine. */
  generated: readonly GeneratedDefinition[];
}

/** One issue per `nixos` setting that touches an option path the SDK generates for the machine. */
export function nixosOverrideIssues(input: NixosOverridesInput): FediIssue[] {
  if (!input.nixos) return [];
  return findNixosOverrides(userDefinitionsOf(input.nixos), input.generated).map(({ user, generated }) => {
    const same = user.path.length === generated.path.length;
    const where = same
      ? ""
      : user.path.length < generated.path.length
        ? ` (which holds ${optionPathText(generated.path)})`
        : ` (inside ${optionPathText(generated.path)})`;
    return {
      path: formatPath(user.path, input.path),
      code: "NIXOS_OPTION_GENERATED",
      message: `sets ${optionPathText(user.path)}, which ${generated.by} already sets on machine '${input.machine}'${where}`,
    };
  });
}

/**
 * Refuses `machines[].nixos` settings that touch option paths the SDK generates for the machine (see the module
 * comment for what counts), with one issue per setting naming the spec path and what generates the option.
 * @throws FediError `SPEC_INVALID` (issues with code `NIXOS_OPTION_GENERATED`).
 */
export function checkNixosOverrides(input: NixosOverridesInput): void {
  const issues = nixosOverrideIssues(input);
  if (issues.length === 0) return;
  throw new FediError(
    "SPEC_INVALID",
    `${input.path} sets ${issues.length === 1 ? "an option" : `${issues.length} options`} the SDK generates for machine '${input.machine}'.`,
    {
      issues,
      hint:
        "Set these through the spec instead (services, their options, machines[].ssh, boot, stateVersion, mail, acme), " +
        "or remove them. Lists may be added to (NixOS concatenates them). Overriding the SDK on purpose is up to a " +
        "module file of your own in machines[].nixosImports (e.g. with lib.mkForce); the SDK does not check those.",
    },
  );
}
