import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// Simulates a crash in the middle of a write: while `failWrites` is set, every file opened for writing receives the
// first half of its data, then the write fails with EIO (as a full disk or a dying process would leave it).
const control = vi.hoisted(() => ({ failWrites: false }));
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof import("node:fs/promises")>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      if (!control.failWrites) return handle;
      return new Proxy(handle, {
        get(target, property, receiver) {
          if (property === "writeFile") {
            return async (data: string | Uint8Array) => {
              const bytes = typeof data === "string" ? Buffer.from(data) : data;
              await target.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
              throw Object.assign(new Error("EIO: i/o error, write"), { code: "EIO" });
            };
          }
          const value = Reflect.get(target, property, receiver);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    },
  };
});

const { FileSecretStore } = await import("../../src/secrets/index.js");

describe("FileSecretStore atomic writes", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "fedi-atomic-"));
    control.failWrites = false;
  });
  afterEach(async () => {
    control.failWrites = false;
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps the old value when a write fails midway, and leaves no partial file", async () => {
    const store = new FileSecretStore(join(dir, "secrets"));
    await store.set("garage.rpc-secret", "old-value-0123456789");

    control.failWrites = true;
    const newValue = "new-value-abcdefghijklmnopqrstuvwxyz";
    const error = await store.set("garage.rpc-secret", newValue).then(
      () => undefined,
      (e: Error & { code?: string }) => e,
    );
    control.failWrites = false;

    expect(error).toMatchObject({ code: "SECRET_FAILED" });
    expect(error?.message).toContain("EIO"); // the simulated crash happened
    expect(error?.message).not.toContain(newValue);
    expect(await store.get("garage.rpc-secret")).toBe("old-value-0123456789");
    expect(await readdir(join(dir, "secrets"))).toEqual(["garage.rpc-secret"]);
  });

  it("leaves no file at all when the first write of a secret fails", async () => {
    const store = new FileSecretStore(join(dir, "secrets"));
    control.failWrites = true;
    await expect(store.set("fresh", "fresh-value-123")).rejects.toMatchObject({ code: "SECRET_FAILED" });
    control.failWrites = false;
    expect(await store.has("fresh")).toBe(false);
    expect(await readdir(join(dir, "secrets"))).toEqual([]);
  });
});
