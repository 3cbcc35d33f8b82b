import type { SecretStore } from "./store.js";

/** Replaces every known secret value in a text with `[redacted:<name>]`. */
export type Redact = (text: string) => string;

/** Secret values shorter than this are not redacted (too likely to occur by chance in ordinary text). */
export const REDACT_MIN_LENGTH = 6;

/** Secret values by name, as a map or a record. */
export type SecretValues = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

function isStore(source: SecretStore | SecretValues): source is SecretStore {
  return typeof (source as SecretStore).list === "function" && typeof (source as SecretStore).get === "function";
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function build(values: Iterable<readonly [string, string]>): Redact {
  // The forms a value commonly takes in logs: as is, inside a JSON string, percent-encoded in a URL.
  const byForm = new Map<string, string>();
  const sorted = [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, value] of sorted) {
    if (value.length < REDACT_MIN_LENGTH) continue;
    for (const form of [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]) {
      if (form.length >= REDACT_MIN_LENGTH && !byForm.has(form)) byForm.set(form, name);
    }
  }
  if (byForm.size === 0) return (text) => text;
  // Longest first, so a value containing another value is replaced as a whole.
  const forms = [...byForm.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  return (text) => text.replace(pattern, (match) => `[redacted:${byForm.get(match)}]`);
}

/**
 * A function that replaces every secret value (of at least {@link REDACT_MIN_LENGTH} characters) in a text with
 * `[redacted:<name>]` — also the value's JSON-escaped and percent-encoded forms. The deploy pipeline runs all event
 * and log text through it. From a store, values are read once (create the redactor after `ensureSecrets`); from a map
 * or record of name → value, synchronously. When two secrets share a value, the first name in sort order is shown.
 */
export function redactor(values: SecretValues): Redact;
export function redactor(store: SecretStore): Promise<Redact>;
export function redactor(source: SecretStore | SecretValues): Redact | Promise<Redact> {
  if (isStore(source)) {
    return (async () => {
      const pairs: Array<[string, string]> = [];
      for (const name of await source.list()) {
        const value = await source.get(name);
        if (value !== undefined) pairs.push([name, value]);
      }
      return build(pairs);
    })();
  }
  return build(source instanceof Map ? source.entries() : Object.entries(source as Record<string, string>));
}
