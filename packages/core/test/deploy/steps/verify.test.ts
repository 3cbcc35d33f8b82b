import { describe, expect, it } from "vitest";
import { verifyHint } from "../../../src/deploy/steps/verify.js";

describe("verify: the hint of VERIFY_FAILED", () => {
  it("names the failed units and their machines, and commands that exist", () => {
    const hint = verifyHint([
      { machine: "web1", owner: "alpha", check: "unit mastodon-web.service", ok: false, detail: "inactive" },
      { machine: "web2", owner: "beta", check: "GET https://beta.example.org/health", ok: false, detail: "HTTP 502" },
    ]);
    expect(hint).toContain("web1: mastodon-web.service");
    expect(hint).toContain("`journalctl -u <unit>`");
    expect(hint).toContain("`fedi apply`");
    expect(hint).toContain("`fedi status`");
    expect(hint).not.toContain("beta.example.org");
  });

  it("leaves units out when only HTTP or S3 checks failed", () => {
    const hint = verifyHint([
      { machine: "store1", owner: "storage", check: "S3 round trip media", ok: false, detail: "403" },
    ]);
    expect(hint).not.toContain("journalctl");
    expect(hint).toMatch(/^Run `fedi apply` again to verify again/);
  });
});
