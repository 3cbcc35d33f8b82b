import { FediError } from "../errors.js";
import { type FindNixOptions, findNixInstantiate, NIX_INSTALL_HINT } from "../nix/run.js";

/**
 * For test suites that need the real Nix: resolves true when `nix-instantiate` is installed. When it is missing,
 * rejects with `NIX_NOT_FOUND` and install instructions, unless the environment has `FEDI_SKIP_NIX=1`: then it
 * prints a loud warning to stderr and resolves false, and the caller skips its Nix tests.
 * @example
 * ```ts
 * import { nixEvalJson } from "@fediversity/core/nix";
 * import { requireNix } from "@fediversity/core/testing";
 * import { beforeAll, expect, it } from "vitest";
 *
 * let hasNix = false;
 * beforeAll(async () => { hasNix = await requireNix(); });
 * it("evaluates", async (ctx) => {
 *   if (!hasNix) ctx.skip();
 *   expect(await nixEvalJson("1 + 1")).toBe(2);
 * });
 * ```
 */
export async function requireNix(options: FindNixOptions = {}): Promise<boolean> {
  if ((await findNixInstantiate(options)) !== null) return true;
  const env = options.env ?? process.env;
  if (env.FEDI_SKIP_NIX === "1") {
    process.stderr.write(
      [
        "",
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "!! WARNING: nix-instantiate is not installed and FEDI_SKIP_NIX=1 is set:          !!",
        "!! tests that check generated Nix against the real Nix are SKIPPED.               !!",
        "!! Install it (Debian/Ubuntu: apt-get install -y nix-bin) to run them.            !!",
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "",
      ].join("\n"),
    );
    return false;
  }
  throw new FediError(
    "NIX_NOT_FOUND",
    "These tests need nix-instantiate (the real Nix), which is not installed. Install it with `apt-get install -y nix-bin` (Debian/Ubuntu).",
    { hint: `${NIX_INSTALL_HINT} To skip the Nix tests instead, set FEDI_SKIP_NIX=1.` },
  );
}
