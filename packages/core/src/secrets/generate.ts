import { randomBytes } from "node:crypto";
import { FediError } from "../errors.js";
import type { SecretGenerator } from "./types.js";

/** Largest `bytes` / `length` a generator may ask for. */
export const SECRET_GENERATOR_MAX_SIZE = 4096;

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function size(value: unknown, field: string, label: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > SECRET_GENERATOR_MAX_SIZE) {
    throw new FediError(
      "SECRET_FAILED",
      `Secret generator ${label}: ${field} must be an integer from 1 to ${SECRET_GENERATOR_MAX_SIZE}, got ${JSON.stringify(value)}.`,
      {
        hint: "This is a bug in the plugin that declared the secret.",
        issues: [{ path: `generate.${field}`, message: "invalid size" }],
      },
    );
  }
  return value;
}

/** `length` characters drawn uniformly from [A-Za-z0-9] (rejection sampling, so no modulo bias). */
function randomAlnum(length: number): string {
  const limit = 256 - (256 % ALNUM.length); // 248: bytes at or above are discarded
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(Math.max(16, (length - out.length) * 2))) {
      if (byte < limit) out += ALNUM[byte % ALNUM.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * Makes a new value for a secret with node:crypto's CSPRNG:
 * - `random-hex`: `bytes` random bytes as lowercase hex; `random-base64`: as padded standard base64;
 * - `random-alnum`: `length` characters from [A-Za-z0-9];
 * - `s3-access-key-id`: `GK` + 24 lowercase hex characters (Garage's key id format);
 * - `s3-secret-key`: 64 lowercase hex characters (Garage's secret key format);
 * - `import`: cannot be generated — throws FediError `SECRET_FAILED` saying how to provide it.
 * `name` (optional) is only used in error messages.
 */
export function generateSecret(generator: SecretGenerator, name?: string): string {
  const label = name !== undefined ? JSON.stringify(name) : `(${generator.kind})`;
  switch (generator.kind) {
    case "random-hex":
      return randomBytes(size(generator.bytes, "bytes", label)).toString("hex");
    case "random-base64":
      return randomBytes(size(generator.bytes, "bytes", label)).toString("base64");
    case "random-alnum":
      return randomAlnum(size(generator.length, "length", label));
    case "s3-access-key-id":
      return `GK${randomBytes(12).toString("hex")}`;
    case "s3-secret-key":
      return randomBytes(32).toString("hex");
    case "import": {
      const shown = name ?? "<name>";
      throw new FediError(
        "SECRET_FAILED",
        `Secret ${name !== undefined ? JSON.stringify(name) : ""}${name !== undefined ? " " : ""}(${generator.description}) must be provided by you; it cannot be generated.`,
        {
          hint: `Set it with \`fedi secret set ${shown}\` (the value is read from standard input) or SecretStore.set(${JSON.stringify(shown)}, value).`,
        },
      );
    }
    default: {
      const kind = (generator as { kind?: unknown }).kind;
      throw new FediError("SECRET_FAILED", `Unknown secret generator kind ${JSON.stringify(kind)} for ${label}.`, {
        hint: "Use one of random-hex, random-base64, random-alnum, s3-access-key-id, s3-secret-key, import.",
      });
    }
  }
}
