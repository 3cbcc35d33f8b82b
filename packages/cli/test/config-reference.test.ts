// The configuration reference (docs/configuration.md) is generated from the zod schemas: the committed file must be
// exactly what the generator gives today, and its rows must say what the schemas say.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { renderConfigReference } from "../../../scripts/config-reference-render.js";
import { REPO_ROOT, tempDir } from "./support/fedi.js";

const DOC = join(REPO_ROOT, "docs/configuration.md");
const SCRIPT = join(REPO_ROOT, "scripts/config-reference.ts");

/** The cells of the table row whose option path is `path` under the heading `section`. */
function row(doc: string, section: string, path: string): string[] {
  const start = doc.indexOf(`\n## ${section}\n`);
  expect(start, `section ${section}`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf("\n## ", start + 1);
  const body = doc.slice(start, end === -1 ? undefined : end);
  const rows = body
    .split("\n")
    .filter((l) => l.startsWith("| `"))
    .map((l) =>
      l
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  const found = rows.find((cells) => cells[0] === `\`${path}\``);
  expect(found, `row ${path} in ${section}`).toBeDefined();
  return found!;
}

/** Runs the generator script. */
function runScript(args: string[]) {
  return execa("node", ["--conditions=source", "--import", "tsx", SCRIPT, ...args], {
    cwd: REPO_ROOT,
    reject: false,
  });
}

describe("configuration reference", () => {
  const rendered = renderConfigReference();

  it("docs/configuration.md is up to date with the schemas", async () => {
    const committed = await readFile(DOC, "utf8");
    expect(committed, "docs/configuration.md is out of date: run `npm run docs:config`").toBe(rendered);
  });

  it("is deterministic", () => {
    expect(renderConfigReference()).toBe(rendered);
  });

  it("documents the deployment spec's machines with required fields and defaults", () => {
    expect(row(rendered, "Deployment spec", "machines[].ssh.hostPublicKey")[2]).toBe("required");
    const port = row(rendered, "Deployment spec", "machines[].ssh.port");
    expect(port[1]).toBe("integer (1–65535)");
    expect(port[2]).toBe("default `22`");
    expect(row(rendered, "Deployment spec", "machines[].roles")[1]).toBe(
      'list (at least 1) of `"storage"`, `"services"`',
    );
    expect(row(rendered, "Deployment spec", "reserve.memoryMiB")[3]).toContain("MiB");
  });

  it("links the plugins' option sections from the spec's options fields", () => {
    expect(row(rendered, "Deployment spec", "storage.options")[3]).toContain("[Storage: Garage](#storage-garage)");
    const services = row(rendered, "Deployment spec", "services[].options")[3];
    for (const anchor of ["#service-mastodon", "#service-pixelfed", "#service-peertube"]) {
      expect(services).toContain(anchor);
    }
  });

  it("documents Garage's options with their values", () => {
    const factor = row(rendered, "Storage: Garage", "replicationFactor");
    expect(factor[1]).toBe("`1`, `2`, `3`");
    expect(factor[2]).toBe("optional");
    expect(factor[3]).toContain("Copies of each object");
    expect(row(rendered, "Storage: Garage", "ports.s3")[2]).toBe("default `3900`");
    expect(row(rendered, "Storage: Garage", "capacityGiB")[1]).toBe("one of number (> 0), map of number (> 0)");
  });

  it("documents each service's options, SMTP variants and per-service resource defaults", () => {
    for (const service of ["Mastodon", "Pixelfed", "PeerTube"]) {
      expect(row(rendered, `Service: ${service}`, "domain")[2]).toBe("required");
      expect(row(rendered, `Service: ${service}`, "smtp.mode")[1]).toBe('`"local"`, `"relay"`');
      expect(row(rendered, `Service: ${service}`, "smtp.host")[3]).toMatch(/^With `mode: "relay"`: /);
    }
    expect(row(rendered, "Service: Mastodon", "registrations")[1]).toBe('`"closed"`, `"approval"`, `"open"`');
    expect(row(rendered, "Service: PeerTube", "resources.memoryMiB")[3]).toContain("Default 5120");
    expect(row(rendered, "Service: PeerTube", "extraSettings")[1]).toBe("map of JSON value");
  });

  it("gives every row a description", () => {
    const rows = rendered.split("\n").filter((l) => l.startsWith("| `"));
    expect(rows.length).toBeGreaterThan(80);
    for (const line of rows)
      expect(
        line
          .split(/(?<!\\)\|/)
          .at(-2)!
          .trim(),
        line,
      ).not.toBe("");
  });

  it("the script's --check fails on a stale file and passes once it is regenerated", async () => {
    const { dir, remove } = await tempDir("fedi-config-ref-");
    try {
      const file = join(dir, "configuration.md");
      await writeFile(file, "# stale\n");
      const stale = await runScript(["--check", "--file", file]);
      expect(stale.exitCode).toBe(1);
      expect(stale.stderr).toContain("is out of date");
      expect(stale.stderr).toContain("npm run docs:config");

      const write = await runScript(["--file", file]);
      expect(write.exitCode).toBe(0);
      expect(await readFile(file, "utf8")).toBe(rendered);

      const fresh = await runScript(["--check", "--file", file]);
      expect(fresh.exitCode).toBe(0);
    } finally {
      await remove();
    }
  });
});
