import { describe, expect, it } from "vitest";
import { MemorySecretStore, redactor } from "../../src/secrets/index.js";

describe("redactor", () => {
  it("replaces every known value with its name", () => {
    const redact = redactor({ "s3.secret-key": "0123456789abcdef", "mastodon.otp": "otp-secret-value" });
    expect(redact("key=0123456789abcdef and again 0123456789abcdef; otp otp-secret-value.")).toBe(
      "key=[redacted:s3.secret-key] and again [redacted:s3.secret-key]; otp [redacted:mastodon.otp].",
    );
  });

  it("ignores values shorter than 6 characters", () => {
    const redact = redactor(new Map([["short", "abc12"]]));
    expect(redact("abc12 stays")).toBe("abc12 stays");
  });

  it("replaces a value containing another value as a whole", () => {
    const redact = redactor({ inner: "secret", outer: "my-secret-password" });
    expect(redact("my-secret-password / secret")).toBe("[redacted:outer] / [redacted:inner]");
  });

  it("also catches the JSON-escaped and percent-encoded forms, and regex characters", () => {
    const redact = redactor({ pw: 'p@ss "w/ord"+(x)' });
    expect(redact(JSON.stringify({ password: 'p@ss "w/ord"+(x)' }))).toBe('{"password":"[redacted:pw]"}');
    expect(redact(`https://u:${encodeURIComponent('p@ss "w/ord"+(x)')}@host/`)).toBe("https://u:[redacted:pw]@host/");
    expect(redact('raw p@ss "w/ord"+(x) end')).toBe("raw [redacted:pw] end");
  });

  it("reads the values of a store", async () => {
    const store = new MemorySecretStore({ "garage.rpc-secret": "f".repeat(64), tiny: "tiny" });
    const redact = await redactor(store);
    expect(redact(`rpc_secret = "${"f".repeat(64)}" tiny`)).toBe('rpc_secret = "[redacted:garage.rpc-secret]" tiny');
  });

  it("is the identity when there is nothing to redact", () => {
    expect(redactor({})("anything")).toBe("anything");
  });
});
