import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isFediError } from "../../src/errors.js";
import { environmentFileLine, MemorySecretStore, renderSecretFile, type SecretFile } from "../../src/secrets/index.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/**
 * Reads one `KEY=value` line the way systemd's EnvironmentFile parser does for the two forms we write (systemd.exec(5);
 * src/basic/env-file.c since 239): unquoted values are taken as is (we only write plain characters unquoted); in a
 * double-quoted value a backslash before `"`, `\`, `` ` `` or `$` is dropped and every other character is kept.
 */
function parseLine(line: string): [string, string] {
  const eq = line.indexOf("=");
  const key = line.slice(0, eq);
  const raw = line.slice(eq + 1);
  if (!raw.startsWith('"')) return [key, raw];
  let value = "";
  for (let i = 1; i < raw.length - 1; i++) {
    const c = raw[i] as string;
    if (c === "\\" && '"\\`$'.includes(raw[i + 1] as string)) {
      value += raw[i + 1];
      i++;
    } else {
      if (c === '"') throw new Error(`unescaped quote inside value: ${line}`);
      value += c;
    }
  }
  if (!raw.endsWith('"')) throw new Error(`unterminated value: ${line}`);
  return [key, value];
}

const envFile = (entries: SecretFile["content"] & { kind: "env" }): SecretFile => ({
  name: "mastodon.env",
  content: entries,
  owner: "mastodon",
  neededBy: ["mastodon-web.service"],
});

describe("renderSecretFile", () => {
  const store = new MemorySecretStore({
    "s3.key-id": "GK0123456789abcdef01234567",
    "s3.secret-key": "a b\"c\\d$e`f'g#h",
    "smtp.password": "  padded  ",
    "bad.newline": "line1\nline2",
    "bad.nul": "a\0b",
    "bad.cr": "a\rb",
  });

  it("writes a value file exactly as stored", async () => {
    const bytes = await renderSecretFile(
      { name: "garage-key", content: { kind: "value", secret: "s3.secret-key" }, owner: "garage", neededBy: [] },
      store,
    );
    expect(text(bytes)).toBe("a b\"c\\d$e`f'g#h");
  });

  it("writes KEY=value lines, quoting and escaping per systemd's EnvironmentFile rules", async () => {
    const bytes = await renderSecretFile(
      envFile({
        kind: "env",
        entries: {
          AWS_ACCESS_KEY_ID: { secret: "s3.key-id" },
          AWS_SECRET_ACCESS_KEY: { secret: "s3.secret-key" },
          SMTP_PASSWORD: { secret: "smtp.password" },
          S3_ENDPOINT: { literal: "https://s3.example.org:3900/path" },
          EMPTY: { literal: "" },
        },
      }),
      store,
    );
    expect(text(bytes)).toBe(
      [
        "AWS_ACCESS_KEY_ID=GK0123456789abcdef01234567",
        'AWS_SECRET_ACCESS_KEY="a b\\"c\\\\d\\$e\\`f\'g#h"',
        'SMTP_PASSWORD="  padded  "',
        "S3_ENDPOINT=https://s3.example.org:3900/path",
        "EMPTY=",
        "",
      ].join("\n"),
    );
    const parsed = Object.fromEntries(text(bytes).trimEnd().split("\n").map(parseLine));
    expect(parsed.AWS_SECRET_ACCESS_KEY).toBe("a b\"c\\d$e`f'g#h");
    expect(parsed.SMTP_PASSWORD).toBe("  padded  ");
  });

  it("round-trips any value without line breaks or NUL", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (value) => {
        fc.pre(!/[\n\r\0]/.test(value));
        const line = environmentFileLine("KEY", value);
        expect(line).not.toContain("\n");
        expect(parseLine(line)).toEqual(["KEY", value]);
      }),
    );
  });

  it("collects every problem into one error without echoing values", async () => {
    const error = await renderSecretFile(
      envFile({
        kind: "env",
        entries: {
          A: { secret: "bad.newline" },
          B: { secret: "bad.nul" },
          C: { secret: "bad.cr" },
          D: { secret: "missing.one" },
          E: { secret: "missing.two" },
          "1BAD": { literal: "x" },
          F: { literal: "two\nlines" },
        },
      }),
      store,
    ).catch((e: unknown) => e);
    expect(isFediError(error)).toBe(true);
    if (!isFediError(error)) return;
    expect(error.code).toBe("SECRET_FAILED");
    expect(error.issues.map((i) => i.path)).toEqual([
      "content.entries.A",
      "content.entries.B",
      "content.entries.C",
      "content.entries.D",
      "content.entries.E",
      "content.entries.1BAD",
      "content.entries.F",
    ]);
    expect(error.issues.filter((i) => i.code === "secret_missing").map((i) => i.message)).toEqual([
      'secret "missing.one" is not in the secret store',
      'secret "missing.two" is not in the secret store',
    ]);
    const everything = JSON.stringify({ message: error.message, hint: error.hint, issues: error.issues });
    for (const leaked of ["line1", "line2", "a\\u0000b"]) expect(everything).not.toContain(leaked);
  });

  it("refuses a missing value secret and an invalid file name", async () => {
    await expect(
      renderSecretFile({ name: "x", content: { kind: "value", secret: "nope" }, owner: "root", neededBy: [] }, store),
    ).rejects.toMatchObject({ code: "SECRET_FAILED", issues: [expect.objectContaining({ code: "secret_missing" })] });
    await expect(
      renderSecretFile(
        { name: "../x", content: { kind: "value", secret: "s3.key-id" }, owner: "root", neededBy: [] },
        store,
      ),
    ).rejects.toMatchObject({ code: "SECRET_FAILED" });
  });
});
