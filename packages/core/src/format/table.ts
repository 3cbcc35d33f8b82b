/** Lays out rows of text as columns separated by two spaces (ANSI codes do not count towards widths). */
export function textTable(rows: ReadonlyArray<readonly string[]>, indent = "  "): string[] {
  const visible = (s: string) => s.replace(/\u001b\[\d+m/g, "").length;
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visible(cell));
    });
  }
  return rows.map((row) =>
    `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell + " ".repeat(widths[i]! - visible(cell)))).join("  ")}`.trimEnd(),
  );
}

/** A number with at most one decimal, without a trailing `.0`. */
export function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, "");
}
