import { FediError, type FediIssue } from "../errors.js";
import { type NixosImports, readNixosImports } from "../imports/read.js";
import type { Plan } from "../plan/types.js";

/**
 * The copies of the module files machines import, for the deployment directory, by relative path: each file's text
 * from `imports` (as {@link readNixosImports} read it), which must be the text the plan was made with.
 * @throws FediError `MACHINE_IMPORT_INVALID` naming every file that is unusable or changed since the plan.
 */
export function machineImportCopies(plan: Plan, imports: NixosImports): Map<string, string> {
  const files = new Map<string, string>();
  const issues: FediIssue[] = [];
  for (const [i, m] of plan.machines.entries()) {
    for (const [j, imp] of m.nixosImports.entries()) {
      const path = `machines[${i}].nixosImports[${j}]`;
      const read = imports.get(imp.source);
      if (read === undefined) {
        issues.push({ path, code: "IMPORT_NOT_READ", message: `'${imp.source}' was not read` });
      } else if (!read.ok) {
        issues.push({ path, code: read.code, message: read.message });
      } else if (imp.sha256 !== "" && read.sha256 !== imp.sha256) {
        issues.push({
          path,
          code: "IMPORT_CHANGED",
          message: `'${imp.source}' changed after the plan was made`,
          hint: "Plan again, so that the plan and the deployment use the same file.",
        });
      } else {
        files.set(imp.file, read.text);
      }
    }
  }
  if (issues.length > 0) {
    throw new FediError(
      "MACHINE_IMPORT_INVALID",
      `${issues.length} imported NixOS module file(s) cannot be copied into the deployment.`,
      {
        issues,
        hint: "Paths in nixosImports are relative to the config file's folder; fix each file named above and plan again.",
      },
    );
  }
  return files;
}

/**
 * Reads the module files machines import (`machines[].nixosImports`, relative to `baseDir`, usually the config
 * file's folder) with {@link readNixosImports} and returns their copies for the deployment directory, by relative
 * path. These files are the user's own Nix: they are copied as they are (the deployment writes them with mode 0644).
 * @throws FediError `MACHINE_IMPORT_INVALID` naming every file that cannot be used.
 */
export async function readMachineImports(plan: Plan, baseDir: string): Promise<Map<string, string>> {
  return machineImportCopies(plan, await readNixosImports(plan, baseDir));
}
