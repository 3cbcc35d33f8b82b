import { readFile } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { FediError } from "../../errors.js";
import { writeFileAtomic } from "../../util/atomic-write.js";

/**
 * The first line of every hardware configuration file {@link writeHardwareConfig} writes. A file that starts with
 * it is the SDK's to replace; any other file is the user's and is only replaced with `force`.
 */
export const HARDWARE_CONFIG_HEADER =
  "# Written by `fedi adopt` from `nixos-generate-config --show-hardware-config`; it replaces this file when run again (remove this line to keep your edits).";

/** What {@link writeHardwareConfig} did. */
export type HardwareConfigAction = "written" | "updated" | "unchanged" | "overwritten" | "refused";

/** The outcome of {@link writeHardwareConfig}. */
export interface HardwareConfigWrite {
  /** The machine. */
  machine: string;
  /** Absolute path of the file. */
  path: string;
  /** `written` (new file), `updated` (a file it wrote before, now different), `unchanged` (same content),
   * `overwritten` (someone else's file, replaced because of `force`), `refused` (someone else's file, left). */
  action: HardwareConfigAction;
}

/** Options of {@link writeHardwareConfig}. */
export interface WriteHardwareConfigOptions {
  /** Replace a file the SDK did not write. Default false. */
  force?: boolean;
}

const MACHINE_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** `machines/<name>/hardware-configuration.nix`: where the file of a machine goes below the folder. */
export function hardwareConfigPath(dir: string, machine: string): string {
  if (!MACHINE_NAME.test(machine)) {
    throw new FediError("SPEC_INVALID", `The machine name ${JSON.stringify(machine)} cannot name a folder.`, {
      machine,
      hint: "Machine names are DNS labels: a-z, 0-9 and '-', not starting or ending with '-'.",
    });
  }
  return join(dir, "machines", machine, "hardware-configuration.nix");
}

/** The path of the file relative to `configDir`, with `/` separators (what `machines[].nixosImports` takes). */
export function hardwareConfigImport(configDir: string, path: string): string {
  return relative(configDir, path).split(sep).join("/");
}

/**
 * Writes `<dir>/machines/<machine>/hardware-configuration.nix` atomically: {@link HARDWARE_CONFIG_HEADER}, then the
 * hardware configuration. Identical content is left alone (`unchanged`); a file that does not start with the header
 * is the user's and is left (`refused`) unless `force`.
 * @throws FediError `SPEC_INVALID` for a machine name that is not a DNS label; `IO_FAILED` when the file cannot be
 * read or written.
 */
export async function writeHardwareConfig(
  dir: string,
  machine: string,
  hardwareConfig: string,
  options: WriteHardwareConfigOptions = {},
): Promise<HardwareConfigWrite> {
  const path = hardwareConfigPath(dir, machine);
  const content = `${HARDWARE_CONFIG_HEADER}\n${hardwareConfig.replace(/\s+$/, "")}\n`;
  let existing: string | undefined;
  try {
    existing = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new FediError("IO_FAILED", `Could not read ${path}: ${(cause as Error).message}`, {
        cause,
        machine,
        hint: "Check the folder's permissions.",
      });
    }
  }
  if (existing === content) return { machine, path, action: "unchanged" };
  const ours = existing === undefined || existing.split("\n", 1)[0] === HARDWARE_CONFIG_HEADER;
  if (!ours && !options.force) return { machine, path, action: "refused" };
  await writeFileAtomic(path, content);
  return { machine, path, action: existing === undefined ? "written" : ours ? "updated" : "overwritten" };
}
