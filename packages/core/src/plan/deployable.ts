import { FediError, type FediIssue } from "../errors.js";
import type { NixosImports } from "../imports/read.js";
import { textDefinesBootLoader, textDefinesRootFileSystem } from "../imports/text-checks.js";
import type { DeploymentSpec, MachineBoot } from "../model/spec.js";

/** What the base system module of a machine gets (`fediversity.base` in the generated machine module). */
export interface MachineBase {
  /** Host name (the machine's name). */
  hostName: string;
  /** NixOS release the machine was installed with. */
  stateVersion: string;
  /** Port sshd listens on (the spec's `ssh.port`). */
  sshPort: number;
  /** User the SDK and NixOps4 log in as (`ssh.user`). */
  deployUser: string;
  /** Public key lines allowed to log in as the deploy user. */
  authorizedKeys: string[];
  /** Boot loader (`custom` when the machine's own modules set it). */
  boot: MachineBoot;
  /**
   * The one host name of the machine's Postfix (`services.postfix.settings.main.myhostname`, a plain definition that
   * wins over the service modules' `mkDefault`); absent when the spec gives none and no instance sends mail locally.
   */
  mail?: { hostName: string };
}

const adoptHint = (machine: string) =>
  `Run \`fedi adopt ${machine}\`: it reads this from the machine and prints the config lines to add.`;

/**
 * Checks the machines' `nixosImports` against what {@link readNixosImports} read: every file must have been read
 * and be usable. One issue per import, with the import's own code (`IMPORT_*`) and spec path.
 */
export function importIssues(spec: DeploymentSpec, imports: NixosImports | undefined): FediIssue[] {
  const issues: FediIssue[] = [];
  spec.machines.forEach((m, i) => {
    (m.nixosImports ?? []).forEach((source, j) => {
      const path = `machines[${i}].nixosImports[${j}]`;
      const read = imports?.get(source);
      if (read === undefined) {
        issues.push({
          path,
          code: "IMPORT_NOT_READ",
          message: `the text of '${source}' was not given to the planner`,
          hint: "Read the files with readNixosImports(spec, configDir) and pass them as createPlan's `imports`.",
        });
      } else if (!read.ok) {
        issues.push({ path, code: read.code, message: read.message, hint: importHint(read.code) });
      }
    });
  });
  return issues;
}

function importHint(code: string): string {
  switch (code) {
    case "IMPORT_NOT_FOUND":
      return "Paths in nixosImports are relative to the config file's folder; `fedi adopt` writes machines/<name>/hardware-configuration.nix there.";
    case "IMPORT_OUTSIDE_CONFIG_DIR":
      return "Copy the file into the config's folder (the SDK copies imports into the deployment and the Nix store, so it only takes files from there).";
    case "IMPORT_NOT_REGULAR_FILE":
      return "Point nixosImports at a regular .nix file.";
    case "IMPORT_TOO_LARGE":
      return "A NixOS module file this large is unlikely to be a module: check the path.";
    case "IMPORT_PARSE_FAILED":
      return "Fix the syntax error Nix reports (line and column are in the message).";
    default:
      return "Check that the file exists and can be read.";
  }
}

/** The value under `path` of plain data, or undefined. */
function dataAt(data: unknown, path: readonly string[]): unknown {
  let v: unknown = data;
  for (const key of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * Checks that each machine's new configuration would boot and keep the operator in: a root file system and a boot
 * loader (from `boot`, the `nixos` data, or an imported file's text), a `stateVersion` and at least one authorized key
 * for the deploy user. Imported files are checked as text (see `textDefinesRootFileSystem`), not evaluated.
 * One issue per problem, each with its `MACHINE_NO_*` code, spec path and a hint naming `fedi adopt <machine>`.
 */
export function deployabilityIssues(spec: DeploymentSpec, imports: NixosImports | undefined): FediIssue[] {
  const issues: FediIssue[] = [];
  spec.machines.forEach((m, i) => {
    const at = `machines[${i}]`;
    const texts = (m.nixosImports ?? []).flatMap((s) => {
      const read = imports?.get(s);
      return read?.ok ? [read.text] : [];
    });
    const hint = adoptHint(m.name);
    const hasRoot = dataAt(m.nixos, ["fileSystems", "/"]) !== undefined || texts.some(textDefinesRootFileSystem);
    if (!hasRoot) {
      issues.push({
        path: `${at}.nixosImports`,
        code: "MACHINE_NO_ROOT_FILE_SYSTEM",
        message: `machine '${m.name}' has no root file system: neither its nixos settings nor an imported file set fileSystems."/"`,
        hint: `${hint} Import the hardware-configuration.nix it writes in nixosImports.`,
      });
    }
    const hasLoader =
      m.boot !== undefined || dataAt(m.nixos, ["boot", "loader"]) !== undefined || texts.some(textDefinesBootLoader);
    if (!hasLoader) {
      issues.push({
        path: `${at}.boot`,
        code: "MACHINE_NO_BOOT_LOADER",
        message: `machine '${m.name}' has no boot loader: set boot (or boot.loader in its nixos settings or an imported file)`,
        hint,
      });
    }
    if (m.stateVersion === undefined) {
      issues.push({
        path: `${at}.stateVersion`,
        code: "MACHINE_NO_STATE_VERSION",
        message: `machine '${m.name}' has no stateVersion: set the NixOS release it was installed with (e.g. "25.05")`,
        hint,
      });
    }
    if ((m.ssh.authorizedKeys ?? []).length === 0) {
      issues.push({
        path: `${at}.ssh.authorizedKeys`,
        code: "MACHINE_NO_AUTHORIZED_KEY",
        message: `machine '${m.name}' has no authorized key for '${m.ssh.user}': after the switch nobody could log in`,
        hint,
      });
    }
  });
  return issues;
}

/**
 * Refuses a spec whose imports are unusable (`MACHINE_IMPORT_INVALID`) or whose machines cannot be deployed
 * (`MACHINE_NOT_DEPLOYABLE`), listing every problem of every machine at once.
 * @throws FediError `MACHINE_IMPORT_INVALID` or `MACHINE_NOT_DEPLOYABLE`.
 */
export function checkMachinesDeployable(spec: DeploymentSpec, imports: NixosImports | undefined): void {
  const bad = importIssues(spec, imports);
  if (bad.length > 0) {
    throw new FediError(
      "MACHINE_IMPORT_INVALID",
      `${bad.length} imported NixOS module file${bad.length === 1 ? "" : "s"} cannot be used.`,
      { issues: bad, hint: "Fix each file named above, then run the command again." },
    );
  }
  const issues = deployabilityIssues(spec, imports);
  if (issues.length > 0) {
    const machines = new Set(issues.map((x) => x.path.slice(0, x.path.indexOf("]") + 1))).size;
    throw new FediError(
      "MACHINE_NOT_DEPLOYABLE",
      `${machines} machine${machines === 1 ? "" : "s"} cannot be deployed as configured: the new configuration replaces the machine's whole system, so it must boot and keep you in.`,
      {
        issues,
        hint: "Run `fedi adopt <machine>` for each machine named above (it connects with the pinned host key and prints what to add), then plan again.",
      },
    );
  }
}

/**
 * The base system settings of a machine in a spec that passed {@link checkMachinesDeployable}. `localMailDomains`
 * are the domains of the instances placed on the machine that send mail through its own Postfix, in spec order: the
 * first is the Postfix host name unless the spec's `machines[].mail.hostName` gives one.
 */
export function machineBase(
  m: DeploymentSpec["machines"][number],
  localMailDomains: readonly string[] = [],
): MachineBase {
  const mailHostName = m.mail?.hostName ?? localMailDomains[0];
  return {
    hostName: m.name,
    stateVersion: m.stateVersion!,
    sshPort: m.ssh.port,
    deployUser: m.ssh.user,
    authorizedKeys: (m.ssh.authorizedKeys ?? []).map((k) => k.trim()),
    boot: m.boot ?? { loader: "custom" },
    ...(mailHostName !== undefined ? { mail: { hostName: mailHostName } } : {}),
  };
}
