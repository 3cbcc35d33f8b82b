import { describe, expect, it } from "vitest";
import { generateSecret, type SecretGenerator } from "../../src/secrets/index.js";

describe("generateSecret", () => {
  const cases: Array<[SecretGenerator, RegExp]> = [
    [{ kind: "s3-access-key-id" }, /^GK[0-9a-f]{24}$/],
    [{ kind: "s3-secret-key" }, /^[0-9a-f]{64}$/],
    [{ kind: "random-hex", bytes: 32 }, /^[0-9a-f]{64}$/],
    [{ kind: "random-hex", bytes: 1 }, /^[0-9a-f]{2}$/],
    [{ kind: "random-base64", bytes: 32 }, /^[A-Za-z0-9+/]{43}=$/],
    [{ kind: "random-base64", bytes: 64 }, /^[A-Za-z0-9+/]{86}==$/],
    [{ kind: "random-alnum", length: 40 }, /^[A-Za-z0-9]{40}$/],
    [{ kind: "random-alnum", length: 1 }, /^[A-Za-z0-9]$/],
  ];
  for (const [generator, pattern] of cases) {
    it(`${JSON.stringify(generator)} matches ${pattern}`, () => {
      const values = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const value = generateSecret(generator);
        expect(value).toMatch(pattern);
        values.add(value);
      }
      if (!("bytes" in generator && generator.bytes === 1) && !("length" in generator && generator.length === 1)) {
        expect(values.size).toBe(50);
      }
    });
  }

  it("draws alphanumeric characters from the whole alphabet", () => {
    const seen = new Set(generateSecret({ kind: "random-alnum", length: 4000 }));
    expect(seen.size).toBe(62);
  });

  it("refuses to generate an import secret and says how to provide it", () => {
    expect(() => generateSecret({ kind: "import", description: "SMTP password" }, "mastodon.smtp-password")).toThrow(
      expect.objectContaining({
        code: "SECRET_FAILED",
        message: expect.stringContaining("SMTP password"),
        hint: expect.stringContaining("fedi secret set mastodon.smtp-password"),
      }),
    );
  });

  it("refuses invalid sizes and unknown kinds with SECRET_FAILED", () => {
    for (const bad of [
      { kind: "random-hex", bytes: 0 },
      { kind: "random-hex", bytes: 1.5 },
      { kind: "random-base64", bytes: 1_000_000 },
      { kind: "random-alnum", length: -1 },
      { kind: "random-alnum" },
      { kind: "password" },
    ]) {
      expect(() => generateSecret(bad as SecretGenerator), JSON.stringify(bad)).toThrow(
        expect.objectContaining({ code: "SECRET_FAILED" }),
      );
    }
  });
});
