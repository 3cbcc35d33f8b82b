/**
 * `text` as one sentence: trimmed, ending with exactly one full stop (or the `!`/`?` it already ends with), so that
 * messages joined from parts never show doubled periods.
 */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/\.+$/, "");
  if (trimmed === "") return "";
  return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
