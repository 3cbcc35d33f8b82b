import { readFile } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { FediError, type FediIssue } from "../errors.js";
import type { Plan } from "../plan/types.js";

/**
 * Reads the module files machines import (`machines[].nixosImports`, relative to `baseDir`, usually the config
 * file's folder) and returns their copies for the deployment directory, by relative path. These files are the
 * user's own Nix: they are copied as they are.
 * @throws FediError `SPEC_INVALID` naming every file that cannot be read.
 */
export async function readMachineImports(plan: Plan, baseDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const issues: FediIssue[] = [];
  for (const [i, m] of plan.machines.entries()) {
    for (const [j, imp] of m.nixosImports.entries()) {
      const path = isAbsolute(imp.source) ? imp.source : resolve(baseDir, imp.source);
      try {
        files.set(imp.file, await readFile(path, "utf8"));
      } catch (error) {
        issues.push({
          path: `machines[${i}].nixosImports[${j}]`,
          message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        });
      }
    }
  }
  if (issues.length > 0) {
    throw new FediError("SPEC_INVALID", `${issues.length} imported NixOS module file(s) cannot be read.`, {
      issues,
      hint: "Paths in nixosImports are relative to the config file's folder; check that each file exists.",
    });
  }
  return files;
}
