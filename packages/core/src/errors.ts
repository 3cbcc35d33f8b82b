/**
 * Stable error codes of the SDK. A code never changes meaning once released; messages may be reworded.
 */
export const ERROR_CODES = {
  /** The deployment spec (or a part of it) does not match its schema. */
  SPEC_INVALID: "The deployment spec is invalid.",
  /** A plugin's options do not match the plugin's schema. */
  PLUGIN_OPTIONS_INVALID: "A plugin's options are invalid.",
  /** A service instance names a kind no registered plugin provides. */
  PLUGIN_UNKNOWN_KIND: "No plugin provides this service or storage kind.",
  /** Two plugins claim the same kind. */
  PLUGIN_DUPLICATE_KIND: "Two plugins claim the same kind.",
  /** A plugin was built for another plugin API version or core version range. */
  PLUGIN_INCOMPATIBLE: "A plugin is not compatible with this version of the SDK.",
  /** A plugin returned something that breaks the plugin contract. */
  PLUGIN_CONTRACT: "A plugin broke the plugin contract.",
  /** No machine can host an instance. */
  PLACEMENT_IMPOSSIBLE: "An instance cannot be placed on any machine.",
  /** An instance must move to another machine and the move was not allowed. */
  PLACEMENT_MOVE_REQUIRED: "An instance must move to another machine.",
  /**
   * The plan would change which machines hold the storage backend's data (nodes added or removed) and storage changes
   * were not allowed.
   */
  STORAGE_MOVE_REQUIRED: "The storage nodes would change.",
  /** The plan would change the replication factor of a running storage cluster, which it cannot change. */
  STORAGE_REPLICATION_CHANGE: "The replication factor of a running storage cluster cannot change.",
  /** A new instance would inherit what a removed instance left behind (buckets, key, secrets, a database). */
  LEFTOVER_REUSE: "A new instance would take over a removed instance's leftovers.",
  PRUNE_REFUSED: "A prune was asked for something it must not delete (a current instance, an unknown name).",
  PRUNE_FAILED: "Some leftovers could not be deleted.",
  /** The exact placement search stopped at its step bound without finding a placement or proving there is none. */
  PLACEMENT_SEARCH_LIMIT: "No placement was found within the search bound.",
  /** Two instances claim the same domain, bucket, port or name. */
  ALLOCATION_CONFLICT: "Two things claim the same name, domain or port.",
  /**
   * A machine's new configuration would not boot or would lock the operator out (no root file system, no boot
   * loader, no stateVersion, no authorized key); each issue has its own `MACHINE_NO_*` code.
   */
  MACHINE_NOT_DEPLOYABLE: "A machine cannot be deployed as configured.",
  /**
   * A module file in `machines[].nixosImports` is missing, outside the config's folder, not a regular file or not
   * valid Nix; each issue has its own `IMPORT_*` code.
   */
  MACHINE_IMPORT_INVALID: "A machine's imported NixOS module file is unusable.",
  /** A value cannot be represented in Nix. */
  NIX_UNREPRESENTABLE: "A value cannot be represented in the Nix language.",
  /** A value cannot be written into the file format it must cross into (env file, `.env`, shell). */
  VALUE_UNREPRESENTABLE: "A value cannot be written into its target file format.",
  /** The `nix-instantiate` binary is missing. */
  NIX_NOT_FOUND: "Nix is not installed.",
  /** Nix rejected an expression (parse or evaluation error). */
  NIX_EVAL_FAILED: "Nix rejected an expression.",
  /** The state file is unreadable, of an unknown version, or locked by another run. */
  STATE_INVALID: "The state file is invalid.",
  /** Another run holds the state lock. */
  STATE_LOCKED: "Another run holds the state lock.",
  /**
   * The deployment directory holds a file the SDK did not write where it must write one (each issue names the file,
   * code `FOREIGN_FILE`); nothing was written.
   */
  DEPLOY_DIR_FOREIGN_FILE: "The deployment directory holds a file the SDK did not write.",
  /** A file the SDK wrote into the deployment directory was edited since (issue code `EDITED`); nothing was written. */
  DEPLOY_DIR_EDITED: "A generated file in the deployment directory was edited.",
  /** The deployment directory is, contains or lies inside the config's folder, the state folder or the secret store. */
  DEPLOY_DIR_OVERLAP: "The deployment directory overlaps a folder it must stay out of.",
  /** A file could not be written. */
  IO_FAILED: "A file operation failed.",
  /** The SSH host key offered by a machine is not the pinned one. */
  SSH_HOST_KEY_MISMATCH: "A machine offered an unexpected SSH host key.",
  /** An SSH connection or command failed. */
  SSH_FAILED: "An SSH operation failed.",
  /** The machine refused every offered SSH key (or no key was configured). */
  SSH_AUTH_FAILED: "SSH authentication failed.",
  /** A remote command or SSH connection did not finish within its time limit. */
  SSH_TIMEOUT: "An SSH operation timed out.",
  /** A remote command exited non-zero. */
  SSH_COMMAND_FAILED: "A remote command failed.",
  /** `sudo -n` refused to run a command as root for a non-root SSH login user (no passwordless sudo). */
  SSH_SUDO_REFUSED: "sudo refused to run a remote command as root.",
  /** The facts a machine's new configuration must keep could not be read from it (`fedi adopt`). */
  ADOPT_FAILED: "A machine's facts could not be read for adoption.",
  /** Machines do not meet the plan's requirements. */
  PREFLIGHT_FAILED: "Machines do not meet the plan's requirements.",
  /** A secret could not be generated, read or stored. */
  SECRET_FAILED: "A secret operation failed.",
  /**
   * After an upload, a secret file's installer unit failed on a machine (its readers were not restarted; the other
   * files were installed), or the units that read the installed files did not restart; one issue per problem.
   */
  SECRET_ACTIVATION_FAILED: "Secret files could not be activated on a machine.",
  /** The `nixops4` binary is missing. */
  NIXOPS4_NOT_FOUND: "NixOps4 is not installed.",
  /** NixOps4 failed. */
  NIXOPS4_FAILED: "NixOps4 failed.",
  /** The storage backend rejected an operation. */
  STORAGE_FAILED: "A storage operation failed.",
  /** The storage cluster cannot serve the requested layout. */
  STORAGE_LAYOUT_INVALID: "The storage layout cannot be applied.",
  /** Verification after apply failed. */
  VERIFY_FAILED: "Verification failed.",
  /** The operation was cancelled. */
  CANCELLED: "The operation was cancelled.",
  /** The configuration file could not be found or loaded. */
  CONFIG_NOT_FOUND: "No configuration file was found.",
  /** The configuration file failed to load. */
  CONFIG_LOAD_FAILED: "The configuration file could not be loaded.",
  /** The configuration file did not finish loading in time (a promise that never settles). */
  CONFIG_TIMEOUT: "The configuration file did not finish loading in time.",
  /** Command-line usage error. */
  USAGE: "The command was used incorrectly.",
  /** A bug in the SDK. */
  INTERNAL: "Internal error.",
} as const;

/** A stable error code; see {@link ERROR_CODES}. */
export type FediErrorCode = keyof typeof ERROR_CODES;

/** One problem inside an error that collects several (e.g. every invalid field of a spec). */
export interface FediIssue {
  /** Where the problem is, e.g. `services[2].options.domain`. Empty for the whole input. */
  path: string;
  /** What is wrong there. */
  message: string;
  /** Optional more specific code, e.g. the zod issue code. */
  code?: string;
  /** What to do about this problem, when it differs from the error's hint. */
  hint?: string;
}

/** Options accepted by the {@link FediError} constructor. */
export interface FediErrorOptions {
  /** What to do about it. Shown after the message. */
  hint?: string;
  /** The underlying error. */
  cause?: unknown;
  /** Individual problems, when the error collects several. */
  issues?: FediIssue[];
  /** Machine the error concerns. */
  machine?: string;
  /** Service instance the error concerns. */
  service?: string;
  /** Extra structured data (never secret values). */
  details?: Record<string, unknown>;
}

const FEDI_ERROR_BRAND = Symbol.for("@fediversity/core/FediError");

/**
 * The one error type the SDK throws on purpose. `code` is stable; `message` says what went wrong and `hint` what to do.
 * Use {@link isFediError} rather than `instanceof` (it works across duplicate copies of the package).
 */
export class FediError extends Error {
  /** Stable code. */
  readonly code: FediErrorCode;
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Individual problems, when the error collects several. */
  readonly issues: readonly FediIssue[];
  /** Machine the error concerns. */
  readonly machine: string | undefined;
  /** Service instance the error concerns. */
  readonly service: string | undefined;
  /** Extra structured data. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: FediErrorCode, message: string, options: FediErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FediError";
    this.code = code;
    this.hint = options.hint;
    this.issues = options.issues ?? [];
    this.machine = options.machine;
    this.service = options.service;
    this.details = options.details ?? {};
    Object.defineProperty(this, FEDI_ERROR_BRAND, { value: true });
  }

  /** The message, each issue on its own line, then the hint: what a person should read. */
  describe(): string {
    const lines = [`${this.code}: ${this.message}`];
    for (const issue of this.issues) {
      lines.push(`  - ${issue.path ? `${issue.path}: ` : ""}${issue.message}`);
      if (issue.hint) lines.push(`    hint: ${issue.hint}`);
    }
    if (this.hint) lines.push(`hint: ${this.hint}`);
    return lines.join("\n");
  }

  /** A JSON form for `--json` output and logs (no stack, no cause objects). */
  toJSON(): {
    code: FediErrorCode;
    message: string;
    hint?: string;
    issues: FediIssue[];
    machine?: string;
    service?: string;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      issues: [...this.issues],
      ...(this.machine ? { machine: this.machine } : {}),
      ...(this.service ? { service: this.service } : {}),
    };
  }
}

/** True when `value` is a {@link FediError}, from any copy of the package. */
export function isFediError(value: unknown): value is FediError {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FEDI_ERROR_BRAND] === true;
}

/** True when `value` is a {@link FediError} with the given code. */
export function hasErrorCode(value: unknown, code: FediErrorCode): value is FediError {
  return isFediError(value) && value.code === code;
}
