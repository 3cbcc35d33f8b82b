// The documentation's code examples are programs that must keep working (issue 13, item 4): every fenced
// `ts`/`typescript` block of README.md and docs/**/*.md and every TSDoc `@example` of packages/*/src is written into a
// temporary project inside the repository (.doc-examples/, so the workspace packages resolve) and type-checked by the
// real TypeScript compiler with the repository's strict settings; every block that is a whole config
// (`export default defineDeployment(...)`) is then validated by the built `fedi validate`. Blocks marked
// ```` ```ts fragment ```` are pieces of a larger program: they must parse, as statements or as the members of an
// object literal.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DocExample, findDocExamples, markdownExamples, tsdocExamples } from "./support/doc-examples.js";
import { fedi, REPO_ROOT } from "./support/fedi.js";

const WORK = join(REPO_ROOT, ".doc-examples");
const examples = await findDocExamples(REPO_ROOT);
const programs = examples.filter((e) => !e.fragment);
const fileOf = (e: DocExample) => join(WORK, `${e.file.replace(/[^A-Za-z0-9]+/g, "_")}_${e.line}.ts`);

/** Syntax errors of a text, or undefined when it parses. */
function syntaxErrors(code: string): string | undefined {
  const r = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
  const errors = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  return errors.length ? errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("; ") : undefined;
}

let diagnostics = new Map<string, string[]>();

beforeAll(async () => {
  await rm(WORK, { recursive: true, force: true });
  await mkdir(WORK, { recursive: true });
  await writeFile(
    join(WORK, "tsconfig.json"),
    JSON.stringify({
      extends: "../tsconfig.base.json",
      // The plugin guide imports the example plugin by its package name, as its users would.
      compilerOptions: {
        noEmit: true,
        paths: { "fedi-plugin-gotosocial": ["../examples/plugin-gotosocial/src/index.ts"] },
      },
      include: ["*.ts"],
    }),
  );
  // `export {}` makes every block a module of its own, as a file of a user's project is.
  for (const e of programs) await writeFile(fileOf(e), `${e.code}export {};\n`);
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(WORK, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (!parsed) throw new Error("cannot read .doc-examples/tsconfig.json");
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  diagnostics = new Map();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file?.fileName ?? "(global)";
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const list = diagnostics.get(file) ?? [];
    list.push(`${at ? `line ${at.line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    diagnostics.set(file, list);
  }
}, 120_000);

afterAll(async () => {
  await rm(WORK, { recursive: true, force: true });
});

describe("the extractor", () => {
  it("finds fenced blocks, their markers and their lines, in Markdown and in TSDoc", () => {
    const md = markdownExamples("x.md", "a\n```ts\nconst a = 1;\n```\n```ts fragment\nb: 2,\n```\n```sh\nls\n```\n");
    expect(md.map((e) => [e.where, e.line, e.fragment, e.code])).toEqual([
      ["x.md:2", 3, false, "const a = 1;\n"],
      ["x.md:5", 6, true, "b: 2,\n"],
    ]);
    const doc = tsdocExamples(
      "y.ts",
      "/**\n * @example\n * ```ts\n * export default defineDeployment({});\n * ```\n */",
    );
    expect(doc.map((e) => [e.where, e.config, e.code])).toEqual([
      ["y.ts:3", true, "export default defineDeployment({});\n"],
    ]);
  });

  it("covers the README, the guides and the TSDoc examples", () => {
    const files = new Set(examples.map((e) => e.file));
    for (const f of [
      "docs/embedding.md",
      "docs/writing-a-plugin.md",
      "docs/cli.md",
      "docs/storage/garage.md",
      "packages/cli/src/config/define.ts",
      "packages/core/src/plugin/define.ts",
    ]) {
      expect(files, f).toContain(f);
    }
    expect(examples.filter((e) => e.config).map((e) => e.file)).toEqual(
      expect.arrayContaining(["docs/cli.md", "docs/storage/garage.md", "packages/cli/src/config/define.ts"]),
    );
  });
});

describe.each(examples.map((e) => [e.where, e] as const))("%s", (_where, e) => {
  if (e.fragment) {
    it("parses (as statements or as object members)", () => {
      const asStatements = syntaxErrors(e.code);
      const asMembers = syntaxErrors(`({\n${e.code}\n});`);
      expect(asStatements === undefined || asMembers === undefined, asStatements).toBe(true);
    });
    return;
  }
  it("type-checks", () => {
    const problems = (diagnostics.get(fileOf(e)) ?? []).map((p) =>
      p.replace(/^line (\d+)/, (_m, n) => `${e.file}:${e.line + Number(n) - 1}`),
    );
    expect(problems).toEqual([]);
  });
  if (e.config) {
    it("is a valid deployment (fedi validate)", async () => {
      const run = await fedi(["validate", "--config", fileOf(e)]);
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain("is valid");
    });
  }
});
