import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, it } from "vitest";

const PLAN_DIR = resolve(import.meta.dirname, "../../src/plan");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

it("plan/ imports nothing from render/, state/ only as types (data flows spec → plan → files)", () => {
  const files = sources(PLAN_DIR);
  expect(files.length).toBeGreaterThan(10);
  const offending = files.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gms)]
      .filter(([, typeOnly, from]) => /\/render\//.test(from!) || (/\/state\//.test(from!) && !typeOnly))
      .map(([, , from]) => `${file.slice(PLAN_DIR.length + 1)}: ${from}`),
  );
  expect(offending).toEqual([]);
});
