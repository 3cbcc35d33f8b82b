/**
 * Lookups by user-supplied names (instances, machines, zones, buckets, secrets, option names) in records that came
 * from JSON or from plugins. A plain `record[name]` or `name in record` also finds what every object inherits —
 * `constructor`, `toString`, `hasOwnProperty`, `valueOf`, `__proto__` — so a machine named `constructor` would seem
 * to be in every record. These helpers see only the record's own entries.
 */

/** The value of `record`'s own entry `key`; never one inherited from `Object.prototype`. */
export function ownValue<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether `record` has an own entry `key` (inherited ones such as `constructor` do not count). */
export function hasOwnEntry(record: Readonly<Record<string, unknown>> | undefined, key: string): boolean {
  return record !== undefined && Object.hasOwn(record, key);
}

/** A `Map` of `record`'s own enumerable entries (empty for `undefined`). */
export function ownEntries<V>(record: Readonly<Record<string, V>> | undefined): Map<string, V> {
  return new Map(record === undefined ? [] : Object.entries(record));
}

/**
 * A record built from entries, safe for any key: each is defined as an own property (so `__proto__` is a key like any
 * other, not the prototype). The prototype is `Object.prototype` so that the result compares and serialises like any
 * plain object; read it back with {@link ownValue} or {@link ownEntries}.
 */
export function recordFromEntries<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const record: Record<string, V> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return record;
}
