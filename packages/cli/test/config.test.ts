import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { hasErrorCode } from "@fediversity/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findConfigFile } from "../src/config/find.js";
import { loadConfig } from "../src/config/load.js";
import { tempDir } from "./support/fedi.js";

const alias = { "@fediversity/cli": fileURLToPath(new URL("../src/index.ts", import.meta.url)) };
let dir: string;
let remove: () => Promise<void>;
beforeEach(async () => ({ dir, remove } = await tempDir()));
afterEach(() => remove());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail("expected a rejection"),
    (error: unknown) => error,
  );
}

describe("findConfigFile", () => {
  it("walks up from the working directory and prefers .ts over the other extensions", async () => {
    await writeFile(join(dir, "fedi.config.json"), "{}");
    await writeFile(join(dir, "fedi.config.ts"), "export default {}");
    const deep = join(dir, "a", "b");
    await mkdir(deep, { recursive: true });
    expect(await findConfigFile(deep)).toBe(join(dir, "fedi.config.ts"));
  });

  it("takes --config as a file or a directory, relative to the working directory", async () => {
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "fedi.config.mjs"), "export default {}");
    expect(await findConfigFile(dir, "sub")).toBe(join(dir, "sub", "fedi.config.mjs"));
    expect(await findConfigFile(dir, "sub/fedi.config.mjs")).toBe(join(dir, "sub", "fedi.config.mjs"));
  });

  it("fails with CONFIG_NOT_FOUND naming the path", async () => {
    const error = await rejection(findConfigFile(dir, "missing.ts"));
    expect(hasErrorCode(error, "CONFIG_NOT_FOUND")).toBe(true);
    expect((error as Error).message).toContain(join(dir, "missing.ts"));
    const emptyDir = await rejection(findConfigFile(dir, "."));
    expect(hasErrorCode(emptyDir, "CONFIG_NOT_FOUND")).toBe(true);
  });
});

describe("loadConfig", () => {
  it("loads TypeScript importing @fediversity/cli, and separates plugins from the spec", async () => {
    const path = join(dir, "fedi.config.ts");
    await writeFile(
      path,
      [
        'import { defineDeployment } from "@fediversity/cli";',
        "const count: number = 2;",
        "export default defineDeployment({ name: 'd' + count, machines: [], storage: { kind: 'x' }, plugins: [] });",
      ].join("\n"),
    );
    const loaded = await loadConfig(path, { alias });
    expect(loaded.spec).toEqual({ name: "d2", machines: [], storage: { kind: "x" } });
    expect(loaded.plugins).toEqual([]);
    expect(loaded.dir).toBe(dir);
  });

  it("loads JSON, CommonJS and an async function export", async () => {
    await writeFile(join(dir, "a.json"), JSON.stringify({ name: "j" }));
    expect((await loadConfig(join(dir, "a.json"))).spec).toEqual({ name: "j" });
    await writeFile(join(dir, "b.cjs"), "module.exports = { name: 'c' };");
    expect((await loadConfig(join(dir, "b.cjs"))).spec).toEqual({ name: "c" });
    await writeFile(join(dir, "c.mjs"), "export default async () => ({ name: 'f' });");
    expect((await loadConfig(join(dir, "c.mjs"))).spec).toEqual({ name: "f" });
  });

  it("reports a broken file as CONFIG_LOAD_FAILED naming the file and the reason", async () => {
    await writeFile(join(dir, "fedi.config.ts"), "export default { name: ");
    const syntax = await rejection(loadConfig(join(dir, "fedi.config.ts"), { alias }));
    expect(hasErrorCode(syntax, "CONFIG_LOAD_FAILED")).toBe(true);
    expect((syntax as Error).message).toMatch(/^fedi\.config\.ts could not be loaded/);

    await writeFile(join(dir, "bad.json"), "{ name: 1 }");
    const json = await rejection(loadConfig(join(dir, "bad.json")));
    expect((json as Error).message).toContain("not valid JSON");

    await writeFile(join(dir, "none.mjs"), "export const x = 1;");
    const none = await rejection(loadConfig(join(dir, "none.mjs")));
    expect(hasErrorCode(none, "CONFIG_LOAD_FAILED")).toBe(true);
    expect((none as Error).message).toContain("does not export a deployment");

    await writeFile(join(dir, "plugins.mjs"), "export default { name: 'p', plugins: {} };");
    const plugins = await rejection(loadConfig(join(dir, "plugins.mjs")));
    expect((plugins as { issues: Array<{ path: string }> }).issues[0]!.path).toBe("plugins");
  });
});
