/**
 * Renders `docs/configuration.md`, the configuration reference, from the zod schemas: the deployment spec and the
 * options of the built-in plugins. The schemas are converted to JSON Schema (`z.toJSONSchema`, input side) and every
 * field becomes a table row: dotted path, readable type with short constraints, required or default, description
 * (the field's `.describe()` text). The output depends only on the schemas, so it is deterministic.
 */
import { DeploymentSpec, type Plugin } from "@fediversity/core";
import { mastodon } from "@fediversity/service-mastodon";
import { peertube } from "@fediversity/service-peertube";
import { pixelfed } from "@fediversity/service-pixelfed";
import { garage } from "@fediversity/storage-garage";
import { z } from "zod";

type JsonSchema = z.core.JSONSchema.JSONSchema;

/** One row of a reference table. */
export interface ReferenceRow {
  /** Dotted option path; `[]` marks the elements of a list, e.g. `machines[].ssh.port`. */
  path: string;
  /** Readable type with short constraints, e.g. `integer (1–65535)`. */
  type: string;
  /** `required`, `optional` or `` default `value` ``. */
  presence: string;
  /** The field's description. */
  description: string;
}

/** The built-in plugins documented in the reference, storage first. */
const PLUGINS: readonly Plugin[] = [garage, mastodon, pixelfed, peertube];

/** Patterns longer than this are left out of the type column (the description tells the format in words). */
const MAX_PATTERN_LENGTH = 38;

/** Converts a zod schema to JSON Schema as a user writes it (defaults optional, transforms ignored). */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/** Resolves a local `$ref` (`#/$defs/name`) against the root's definitions. */
function resolve(schema: JsonSchema, defs: Record<string, JsonSchema>): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace(/^#\/\$defs\//, "");
  const target = defs[name];
  if (target === undefined) throw new Error(`unresolvable JSON Schema reference ${schema.$ref}`);
  // A reference's own keywords (description, default) win over the target's.
  const { $ref: _ref, ...own } = schema;
  return { ...target, ...own };
}

/** A sub-schema as an object; boolean schemas, tuple item lists and missing ones become `{}` (any). */
function asSchema(schema: z.core.JSONSchema._JSONSchema | z.core.JSONSchema._JSONSchema[] | undefined): JsonSchema {
  return typeof schema === "object" && !Array.isArray(schema) ? schema : {};
}

/** The members of a union (`anyOf`/`oneOf`), or undefined when the schema is not one. */
function unionMembers(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

/** True when the schema is an object with named properties (its fields get rows of their own). */
function hasProperties(schema: JsonSchema): boolean {
  return schema.properties !== undefined && Object.keys(schema.properties).length > 0;
}

/** The literal values a schema allows, when it allows only literals (an enum, a const, or a union of them). */
function literalValues(schema: JsonSchema, defs: Record<string, JsonSchema>): unknown[] | undefined {
  const s = resolve(schema, defs);
  if (s.enum !== undefined) return s.enum;
  if (s.const !== undefined) return [s.const];
  const members = unionMembers(s);
  if (members === undefined) return undefined;
  const values: unknown[] = [];
  for (const member of members) {
    const own = literalValues(member, defs);
    if (own === undefined) return undefined;
    values.push(...own);
  }
  return values;
}

/** A value in a code span, as it is written in a config (JSON). */
function code(value: unknown): string {
  return `\`${JSON.stringify(value)}\``;
}

/** Short constraint words of a schema: bounds, lengths, item counts and short patterns. */
function constraints(schema: JsonSchema): string[] {
  const parts: string[] = [];
  const min = schema.minimum;
  const max = schema.maximum === Number.MAX_SAFE_INTEGER ? undefined : schema.maximum;
  if (min !== undefined && max !== undefined) parts.push(`${min}–${max}`);
  else if (min !== undefined) parts.push(`≥ ${min}`);
  else if (max !== undefined) parts.push(`≤ ${max}`);
  if (typeof schema.exclusiveMinimum === "number") parts.push(`> ${schema.exclusiveMinimum}`);
  if (typeof schema.exclusiveMaximum === "number") parts.push(`< ${schema.exclusiveMaximum}`);
  const { minLength, maxLength } = schema;
  if (minLength !== undefined && maxLength !== undefined) parts.push(`length ${minLength}–${maxLength}`);
  else if (minLength === 1) parts.push("non-empty");
  else if (minLength !== undefined) parts.push(`length ≥ ${minLength}`);
  else if (maxLength !== undefined) parts.push(`length ≤ ${maxLength}`);
  if (schema.pattern !== undefined && schema.pattern.length <= MAX_PATTERN_LENGTH) {
    parts.push(`pattern \`${schema.pattern}\``);
  }
  return parts;
}

/**
 * The readable type of a schema: `string`, `integer`, literal values, `one of ...`, `list of ...`, `map of ...`,
 * `object` or `any`, followed by its constraints in parentheses. `seen` guards recursive definitions.
 */
function typeText(schema: JsonSchema, defs: Record<string, JsonSchema>, seen: ReadonlySet<string> = new Set()): string {
  if (schema.$ref !== undefined) {
    const target = resolve(schema, defs);
    if (target.title !== undefined) return target.title;
    if (seen.has(schema.$ref)) return "(recursive)";
    return typeText({ ...target, $ref: undefined }, defs, new Set([...seen, schema.$ref]));
  }
  const literals = literalValues(schema, defs);
  if (literals !== undefined) return literals.map(code).join(", ");
  const nested = (inner: JsonSchema): string => {
    const text = typeText(inner, defs, seen);
    return text.startsWith("one of ") ? `(${text})` : text;
  };
  const members = unionMembers(schema);
  let base: string;
  if (members !== undefined) {
    base = members.every(hasProperties) ? "object" : `one of ${members.map((m) => typeText(m, defs, seen)).join(", ")}`;
  } else if (Array.isArray(schema.type)) {
    base = `one of ${schema.type.join(", ")}`;
  } else if (schema.type === "array") {
    const items = asSchema(schema.items);
    const counts = [
      ...(schema.minItems !== undefined ? [`at least ${schema.minItems}`] : []),
      ...(schema.maxItems !== undefined ? [`at most ${schema.maxItems}`] : []),
    ];
    const list = counts.length > 0 ? `list (${counts.join(", ")})` : "list";
    base = hasProperties(resolve(items, defs)) ? `${list} of objects` : `${list} of ${nested(items)}`;
  } else if (schema.type === "object") {
    if (hasProperties(schema)) base = "object";
    else if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
      base = `map of ${nested(asSchema(schema.additionalProperties))}`;
    } else base = "object";
  } else if (schema.type !== undefined) {
    base = schema.type;
  } else {
    base = "any";
  }
  const parts = constraints(schema);
  return parts.length > 0 ? `${base} (${parts.join(", ")})` : base;
}

/** `required`, `optional` or the default value. */
function presenceText(schema: JsonSchema, required: boolean): string {
  if (schema.default !== undefined) return `default ${code(schema.default)}`;
  return required ? "required" : "optional";
}

/**
 * The discriminator of a union of objects: a property every variant requires with a literal value (e.g. `mode`).
 */
function discriminatorOf(variants: JsonSchema[], defs: Record<string, JsonSchema>): string | undefined {
  const first = variants[0];
  if (first?.properties === undefined) return undefined;
  return Object.keys(first.properties).find((key) =>
    variants.every(
      (v) =>
        v.required?.includes(key) === true &&
        v.properties?.[key] !== undefined &&
        resolve(asSchema(v.properties[key]), defs).const !== undefined,
    ),
  );
}

/** Rows for the fields below `schema` (not `schema` itself), with paths starting at `prefix`. */
function childRows(schema: JsonSchema, prefix: string, defs: Record<string, JsonSchema>): ReferenceRow[] {
  const s = resolve(schema, defs);
  const join = (key: string) => (prefix === "" ? key : `${prefix}.${key}`);
  if (s.type === "array" && !Array.isArray(s.items) && s.items !== undefined) {
    return childRows(asSchema(s.items), `${prefix}[]`, defs);
  }
  const variants = unionMembers(s)?.map((v) => resolve(v, defs));
  if (variants !== undefined && variants.length > 0 && variants.every(hasProperties)) {
    return unionRows(variants, prefix, defs);
  }
  const rows: ReferenceRow[] = [];
  for (const [key, value] of Object.entries(s.properties ?? {})) {
    rows.push(...fieldRows(asSchema(value), join(key), s.required?.includes(key) === true, defs));
  }
  return rows;
}

/** The row of one field followed by the rows of its own fields. */
function fieldRows(schema: JsonSchema, path: string, required: boolean, defs: Record<string, JsonSchema>) {
  const s = resolve(schema, defs);
  const row: ReferenceRow = {
    path,
    type: typeText(schema, defs),
    presence: presenceText(s, required),
    description: s.description ?? "",
  };
  return [row, ...childRows(s, path, defs)];
}

/**
 * Rows for a union of objects (such as `smtp`): one row for the discriminator listing every variant with its
 * description, then each variant's other fields, their descriptions prefixed with the variant they belong to.
 */
function unionRows(variants: JsonSchema[], prefix: string, defs: Record<string, JsonSchema>): ReferenceRow[] {
  const key = discriminatorOf(variants, defs);
  const join = (name: string) => (prefix === "" ? name : `${prefix}.${name}`);
  const rows: ReferenceRow[] = [];
  const variantName = (v: JsonSchema) =>
    key === undefined ? "" : `${key}: ${JSON.stringify(resolve(asSchema(v.properties?.[key]), defs).const)}`;
  if (key !== undefined) {
    rows.push({
      path: join(key),
      type: variants.map((v) => code(resolve(asSchema(v.properties?.[key]), defs).const)).join(", "),
      presence: "required",
      description: variants
        .map((v) => {
          const tag = resolve(asSchema(v.properties?.[key]), defs);
          return `${code(tag.const)}: ${v.description ?? tag.description ?? ""}`.trim();
        })
        .join(" "),
    });
  }
  variants.forEach((v, index) => {
    const label = key === undefined ? `Variant ${index + 1}` : `With \`${variantName(v)}\``;
    for (const [name, value] of Object.entries(v.properties ?? {})) {
      if (name === key) continue;
      for (const row of fieldRows(asSchema(value), join(name), v.required?.includes(name) === true, defs)) {
        rows.push({ ...row, description: `${label}: ${row.description}`.trim() });
      }
    }
  });
  return rows;
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

/** Length of text in characters (code points), as Markdown formatters pad table columns. */
function width(text: string): number {
  return [...text].length;
}

/** A Markdown table of rows, its columns padded to equal width (the layout `biome format` gives). */
function table(rows: readonly ReferenceRow[]): string {
  const header = ["Option", "Type", "Required / default", "Description"];
  const body = rows.map((row) => [`\`${cell(row.path)}\``, cell(row.type), cell(row.presence), cell(row.description)]);
  const widths = header.map((title, i) => Math.max(3, width(title), ...body.map((cells) => width(cells[i]!))));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c + " ".repeat(widths[i]! - width(c))).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)].join("\n");
}

/** The heading text and GitHub anchor of a plugin's section. */
function pluginHeading(plugin: Plugin): { title: string; anchor: string } {
  const role = plugin.type === "storage" ? "Storage" : "Service";
  const name = plugin.displayName ?? plugin.kind;
  const title = `${role}: ${name}`;
  return {
    title,
    anchor: title
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-"),
  };
}

/** Links to the plugin sections of one type, for the spec's `options` rows. */
function pluginLinks(type: Plugin["type"]): string {
  return PLUGINS.filter((p) => p.type === type)
    .map((p) => {
      const { title, anchor } = pluginHeading(p);
      return `\`${p.kind}\`: [${title}](#${anchor})`;
    })
    .join(", ");
}

/** The deployment spec section: the top-level fields, then one sub-section per top-level object or list. */
function specSection(): string {
  const schema = jsonSchemaOf(DeploymentSpec);
  const defs = schema.$defs ?? {};
  const out: string[] = [
    "## Deployment spec",
    "",
    `${schema.description ?? ""} This is the object passed to \`defineDeployment\`.`.trim(),
    "",
    "### Top level",
    "",
  ];
  const top: ReferenceRow[] = [];
  const subsections: string[] = [];
  for (const [key, value] of Object.entries(schema.properties ?? {})) {
    const field = resolve(asSchema(value), defs);
    top.push(fieldRows(field, key, schema.required?.includes(key) === true, defs)[0]!);
    const rows = childRows(field, key, defs).map((row) => {
      if (row.path === "storage.options")
        return { ...row, description: `${row.description} ${pluginLinks("storage")}.` };
      if (row.path === "services[].options") {
        return { ...row, description: `${row.description} ${pluginLinks("service")}.` };
      }
      return row;
    });
    if (rows.length === 0) continue;
    const title = field.type === "array" ? `${key}[]` : key;
    const element = field.type === "array" ? resolve(asSchema(field.items), defs) : field;
    const intro = element.description ?? field.description ?? "";
    subsections.push(`### \`${title}\``, "", ...(intro ? [intro, ""] : []), table(rows), "");
  }
  out.push(table(top), "", ...subsections);
  return out.join("\n");
}

/** The section of one plugin's options. */
function pluginSection(plugin: Plugin): string {
  const schema = jsonSchemaOf(plugin.options as z.ZodType);
  const defs = schema.$defs ?? {};
  const where =
    plugin.type === "storage"
      ? `\`storage.options\` when \`storage.kind\` is \`"${plugin.kind}"\``
      : `\`services[].options\` of an instance whose \`kind\` is \`"${plugin.kind}"\``;
  const { title } = pluginHeading(plugin);
  return [
    `## ${title}`,
    "",
    `${schema.description ?? ""} Set as ${where}.`.trim(),
    "",
    table(childRows(schema, "", defs)),
    "",
  ].join("\n");
}

/** The introduction: where the configuration lives and how to read the tables. */
function intro(): string {
  return [
    "<!-- Generated by scripts/config-reference.ts from the zod schemas: do not edit by hand. -->",
    "<!-- Regenerate with `npm run docs:config`; `npm run docs:config -- --check` tells whether it is up to date. -->",
    "",
    "# Configuration reference",
    "",
    "A deployment is described in `fedi.config.ts`, whose default export is `defineDeployment({...})` from",
    "`@fediversity/cli` (see [the `fedi` command](cli.md#the-config-file) for how the file is found and loaded, and",
    "[`examples/`](../examples/) for complete configs). The object holds the [deployment spec](#deployment-spec):",
    "the machines, one storage backend and the service instances, each backend and instance with the options of its",
    "plugin, listed below per plugin. Every option is checked before anything is planned; a wrong value is reported",
    "with its path (`SPEC_INVALID`, or `PLUGIN_OPTIONS_INVALID` for plugin options).",
    "",
    "This page is generated from the schemas the SDK validates with, so it always matches the code. In the tables,",
    "`a.b` is field `b` of object `a` and `a[]` stands for each element of list `a`. _required_ means required",
    "whenever the object holding the option is given; _optional_ options without a listed default are chosen by the",
    "SDK as the description says. Strings are shown in JSON quotes, as they are written in the config.",
    "",
  ].join("\n");
}

/** Renders the whole configuration reference (the content of `docs/configuration.md`). */
export function renderConfigReference(): string {
  const sections = [intro(), specSection(), ...PLUGINS.map(pluginSection)];
  return `${sections
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}
