import { z } from "zod";
import { credentialShape, isRuntimeSecretPath, isSecretLookingName } from "./secret-patterns.js";

/** A scalar an extra setting may hold. */
export type ExtraSettingScalar = string | number | boolean | null;

/** A value of a flat (environment-style) extra setting. */
export type FlatSettingValue = string | number | boolean;

/** A value of a nested extra setting: a scalar, a list, or an object of values. */
export type ExtraSettingValue = ExtraSettingScalar | ExtraSettingValue[] | { [key: string]: ExtraSettingValue };

/** Options of {@link extraSettingsSchema}. */
export interface ExtraSettingsSchemaOptions {
  /**
   * `flat`: one level of `NAME → string | number | boolean` (environment-style settings such as Mastodon's
   * `extraConfig`). `nested`: a JSON tree of objects, lists and scalars (such as PeerTube's `settings`).
   */
  shape: "flat" | "nested";
  /** Pattern every key must match (flat shape), e.g. `/^[A-Z][A-Z0-9_]*$/` for environment variable names. */
  keyPattern?: RegExp;
  /** Message for a key not matching {@link ExtraSettingsSchemaOptions.keyPattern}. */
  keyMessage?: string;
  /**
   * Tells why a key path is managed by the plugin itself (the setting is then rejected with that reason), or returns
   * undefined when users may set it. Paths are key lists, e.g. `["object_storage", "endpoint"]`.
   */
  reserved?: (path: readonly string[], value: ExtraSettingValue) => string | undefined;
  /** Dotted key paths allowed despite a secret-looking name (their values are still checked), e.g. `oauth2.token_lifetime.access_token`. */
  allowSecretLookingNames?: readonly string[];
}

/** One problem found in extra settings. */
export interface ExtraSettingProblem {
  /** Path of the offending setting: keys, and list indexes as numbers. */
  path: Array<string | number>;
  /** What is wrong, without the value. */
  message: string;
}

const SCALAR = z.union([z.string(), z.number().finite(), z.boolean()]);
// The title names the recursive type in JSON Schema (and so in the generated configuration reference).
const NESTED: z.ZodType<ExtraSettingValue, ExtraSettingValue> = z
  .lazy(() => z.union([SCALAR, z.null(), z.array(NESTED), z.record(z.string(), NESTED)]))
  .meta({ title: "JSON value" });

/**
 * A zod schema for a plugin's `extraSettings` escape hatch: extra settings passed through to the service's NixOS
 * module. They land in the world-readable Nix store, so the schema rejects anything secret-looking, each with its key
 * path: a key whose name looks secret (`*password*`, `*secret*`, `*token*`, `*key*`, ...) unless its value is a file
 * path under `/run/`, and any value shaped like a credential (PEM blocks, access keys, tokens, URLs with passwords,
 * long random strings). Messages never repeat the value. Keys the plugin manages itself are rejected too.
 */
export function extraSettingsSchema(
  options: ExtraSettingsSchemaOptions & { shape: "flat" },
): z.ZodType<Record<string, FlatSettingValue>, Record<string, FlatSettingValue>>;
export function extraSettingsSchema(
  options: ExtraSettingsSchemaOptions & { shape: "nested" },
): z.ZodType<Record<string, ExtraSettingValue>, Record<string, ExtraSettingValue>>;
export function extraSettingsSchema(
  options: ExtraSettingsSchemaOptions,
): z.ZodType<Record<string, ExtraSettingValue>, Record<string, ExtraSettingValue>> {
  const base: z.ZodType<Record<string, ExtraSettingValue>, Record<string, ExtraSettingValue>> = options.shape === "flat"
    ? z.record(z.string(), SCALAR)
    : z.record(z.string(), NESTED);
  return base.superRefine((value, ctx) => {
    for (const problem of findExtraSettingProblems(value, options)) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
    }
  });
}

/**
 * Finds every problem {@link extraSettingsSchema} reports in already well-typed settings. Useful when a plugin
 * validates settings built another way.
 */
export function findExtraSettingProblems(
  settings: Record<string, ExtraSettingValue>,
  options: ExtraSettingsSchemaOptions,
): ExtraSettingProblem[] {
  const out: ExtraSettingProblem[] = [];
  const allowed = new Set(options.allowSecretLookingNames ?? []);
  const secretName = (names: string[]) => names.some((n) => isSecretLookingName(n)) && !allowed.has(names.join("."));
  const visit = (value: ExtraSettingValue, path: Array<string | number>): void => {
    const names = path.filter((p): p is string => typeof p === "string");
    if (typeof path.at(-1) === "string") {
      if (options.keyPattern && path.length === 1 && !options.keyPattern.test(names[0]!)) {
        out.push({
          path,
          message: options.keyMessage ?? `is not an allowed setting name (must match ${options.keyPattern})`,
        });
        return;
      }
      const reason = options.reserved?.(names, value);
      if (reason !== undefined) {
        out.push({ path, message: reason });
        return;
      }
    }
    if (typeof value === "string") {
      if (secretName(names) && !isRuntimeSecretPath(value)) {
        out.push({
          path,
          message:
            "looks like a secret setting; it would be stored in the world-readable Nix store. Only a file path under /run/ is allowed here: let the plugin manage the secret, or point to a file",
        });
        return;
      }
      const shape = credentialShape(value);
      if (shape !== undefined && !isRuntimeSecretPath(value)) {
        out.push({
          path,
          message: `holds what looks like ${shape}; secrets must not be put in extra settings (they land in the Nix store)`,
        });
      }
      return;
    }
    if (typeof value === "number") {
      if (secretName(names)) {
        out.push({
          path,
          message:
            "looks like a secret setting; secrets must not be put in extra settings (they land in the Nix store)",
        });
      }
      return;
    }
    if (typeof value === "boolean" || value === null) return;
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, i]);
      return;
    }
    for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  for (const [k, v] of Object.entries(settings)) visit(v, [k]);
  return out;
}

/**
 * A `reserved` callback for {@link ExtraSettingsSchemaOptions} from lists: dotted key paths managed by the plugin
 * (the path itself and everything below it; an ancestor of one is reserved too unless it holds an object, whose other
 * keys stay free), and name prefixes of top-level keys (e.g. `S3_` for environment variables).
 */
export function reservedKeys(spec: {
  /** Dotted paths managed by the plugin, e.g. `object_storage` or `admin.email`. */
  paths?: readonly string[];
  /** Exact top-level names managed by the plugin, e.g. `LOCAL_DOMAIN`. */
  names?: readonly string[];
  /** Prefixes of top-level names, e.g. `DB_`. */
  namePrefixes?: readonly string[];
  /** Reason shown to the user. */
  reason?: string;
}): (path: readonly string[], value: ExtraSettingValue) => string | undefined {
  const reason = spec.reason ?? "is managed by the plugin; set it through the plugin's own options";
  const paths = spec.paths ?? [];
  return (path, value) => {
    const dotted = path.join(".");
    const isObject = value !== null && typeof value === "object" && !Array.isArray(value);
    const hit =
      paths.some((p) => dotted === p || dotted.startsWith(`${p}.`) || (!isObject && p.startsWith(`${dotted}.`))) ||
      (path.length === 1 &&
        ((spec.names ?? []).includes(path[0]!) || (spec.namePrefixes ?? []).some((p) => path[0]!.startsWith(p))));
    return hit ? reason : undefined;
  };
}
