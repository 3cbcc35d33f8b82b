// Finds the code examples of the documentation: every fenced `ts`/`typescript` block of README.md and docs/**/*.md,
// and every fenced block of a TSDoc `@example` in packages/*/src. Used by doc-examples.test.ts, which type-checks
// them and validates the deployment configs among them with `fedi validate`.
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** One code example. */
export interface DocExample {
  /** Where it is, for people: `docs/cli.md:25` (the line of the opening fence). */
  where: string;
  /** Repository-relative file. */
  file: string;
  /** Line (1-based) of the first line of code. */
  line: number;
  /** The code. */
  code: string;
  /** Marked ```` ```ts fragment ````: a piece of a larger program, only parsed. */
  fragment: boolean;
  /** A whole `fedi.config.ts` (`export default defineDeployment(...)`): also validated by the SDK. */
  config: boolean;
}

const FENCE = /^(\s*)```(ts|typescript)\b([^\n]*)$/;

function example(file: string, fenceLine: number, info: string, lines: string[]): DocExample {
  const code = `${lines.join("\n")}\n`;
  const fragment = /\bfragment\b/.test(info);
  return {
    where: `${file}:${fenceLine}`,
    file,
    line: fenceLine + 1,
    code,
    fragment,
    config: !fragment && /^export default defineDeployment\(/m.test(code),
  };
}

/** The fenced TypeScript blocks of a Markdown text. */
export function markdownExamples(file: string, text: string): DocExample[] {
  const out: DocExample[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(open[1]!.length));
    out.push(example(file, i + 1, open[3]!, body));
    i = j;
  }
  return out;
}

/** The fenced blocks of the `@example` tags of a TypeScript source text. */
export function tsdocExamples(file: string, text: string): DocExample[] {
  const out: DocExample[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i]!)) continue;
    let j = i + 1;
    const open = /^\s*\*\s*```(ts|typescript)?\b([^\n]*)$/.exec(lines[j] ?? "");
    if (!open) {
      out.push(example(file, i + 1, "", [`@example without a fenced block at ${file}:${i + 1}`]));
      continue;
    }
    const body: string[] = [];
    for (j++; j < lines.length && !/^\s*\*\s*```\s*$/.test(lines[j]!); j++) {
      body.push(lines[j]!.replace(/^\s*\* ?/, ""));
    }
    out.push(example(file, i + 2, open[2] ?? "", body));
    i = j;
  }
  return out;
}

async function walk(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && entry.name !== "api" && entry.name !== "dist")
        out.push(...(await walk(path, keep)));
    } else if (keep(entry.name)) out.push(path);
  }
  return out.sort();
}

/** Every example of the repository at `root`. */
export async function findDocExamples(root: string): Promise<DocExample[]> {
  const markdown = [join(root, "README.md"), ...(await walk(join(root, "docs"), (n) => n.endsWith(".md")))];
  const sources: string[] = [];
  for (const pkg of await readdir(join(root, "packages"))) {
    sources.push(...(await walk(join(root, "packages", pkg, "src"), (n) => n.endsWith(".ts"))));
  }
  const out: DocExample[] = [];
  for (const path of markdown) out.push(...markdownExamples(relative(root, path), await readFile(path, "utf8")));
  for (const path of sources) out.push(...tsdocExamples(relative(root, path), await readFile(path, "utf8")));
  return out;
}
