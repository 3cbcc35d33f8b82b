/** What replaces a secret value in any text the package produces. */
export const REDACTED = "[redacted]";

/**
 * Replaces every occurrence of each secret in `text` with {@link REDACTED}. Empty and very short values (under 4
 * characters) are ignored: they are not credentials and replacing them would garble the text.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  const sorted = [...secrets].filter((s): s is string => typeof s === "string" && s.length >= 4);
  // Longest first, so that a secret containing another one is replaced whole.
  sorted.sort((a, b) => b.length - a.length);
  for (const secret of sorted) out = out.split(secret).join(REDACTED);
  return out;
}
