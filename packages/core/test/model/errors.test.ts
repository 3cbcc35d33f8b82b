import { describe, expect, it } from "vitest";
import { FediError, hasErrorCode, isFediError } from "../../src/index.js";

describe("FediError", () => {
  it("is recognised across package copies by its brand, not instanceof", () => {
    const e = new FediError("SPEC_INVALID", "bad", { hint: "fix it", issues: [{ path: "a.b", message: "wrong" }] });
    expect(isFediError(e)).toBe(true);
    expect(hasErrorCode(e, "SPEC_INVALID")).toBe(true);
    expect(hasErrorCode(e, "INTERNAL")).toBe(false);
    // a structurally identical object from "another copy" carries the same global symbol
    const foreign = Object.create(Error.prototype);
    Object.defineProperty(foreign, Symbol.for("@fediversity/core/FediError"), { value: true });
    expect(isFediError(foreign)).toBe(true);
    expect(isFediError(new Error("x"))).toBe(false);
    expect(isFediError(null)).toBe(false);
  });

  it("describes itself for people and JSON without stacks", () => {
    const e = new FediError("SPEC_INVALID", "The spec has 1 problem.", {
      hint: "Fix it.",
      issues: [{ path: "machines[0].host", message: "must be an address" }],
      cause: new Error("inner"),
    });
    expect(e.describe()).toBe(
      "SPEC_INVALID: The spec has 1 problem.\n  - machines[0].host: must be an address\nhint: Fix it.",
    );
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      code: "SPEC_INVALID",
      message: "The spec has 1 problem.",
      hint: "Fix it.",
      issues: [{ path: "machines[0].host", message: "must be an address" }],
    });
  });
});
