import { describe, expect, it } from "vitest";
import pkg from "../../package.json" with { type: "json" };
import { CORE_VERSION, createRegistry, hasErrorCode, PLUGIN_API_VERSION } from "../../src/index.js";
import { toyStorage, webApp, worker } from "../fixtures/plugins.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("plugin registry", () => {
  it("registers plugins by kind", () => {
    const r = createRegistry([webApp, worker, toyStorage]);
    expect(r.serviceKinds()).toEqual(["webapp", "worker"]);
    expect(r.storageKinds()).toEqual(["toystore"]);
    expect(r.service("webapp")).toBe(webApp);
    expect(r.service("nope")).toBeUndefined();
  });

  it("rejects two plugins of one kind", () => {
    expect(codeOf(() => createRegistry([webApp, { ...webApp }]))).toBe("PLUGIN_DUPLICATE_KIND");
  });

  it("rejects another plugin API version with a clear message", () => {
    let error: unknown;
    try {
      createRegistry([{ ...webApp, apiVersion: 2 }]);
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, "PLUGIN_INCOMPATIBLE")).toBe(true);
    expect((error as Error).message).toContain(`implements plugin API version 2`);
    expect((error as Error).message).toContain(`version ${PLUGIN_API_VERSION}`);
  });

  it("checks the declared core version range", () => {
    expect(codeOf(() => createRegistry([{ ...webApp, coreVersion: "^9.0.0" }]))).toBe("PLUGIN_INCOMPATIBLE");
    expect(codeOf(() => createRegistry([{ ...webApp, coreVersion: "not a range" }]))).toBe("PLUGIN_CONTRACT");
    expect(codeOf(() => createRegistry([{ ...webApp, coreVersion: `>=${CORE_VERSION}` }]))).toBeUndefined();
  });

  it("rejects things that are not plugins", () => {
    expect(codeOf(() => createRegistry([{} as never]))).toBe("PLUGIN_CONTRACT");
    expect(codeOf(() => createRegistry([{ ...webApp, kind: "Bad Kind" }]))).toBe("PLUGIN_CONTRACT");
    expect(codeOf(() => createRegistry([{ ...webApp, nixos: undefined } as never]))).toBe("PLUGIN_CONTRACT");
    expect(codeOf(() => createRegistry([{ ...webApp, options: {} } as never]))).toBe("PLUGIN_CONTRACT");
  });

  it("CORE_VERSION matches package.json", () => {
    expect(CORE_VERSION).toBe(pkg.version);
  });
});
