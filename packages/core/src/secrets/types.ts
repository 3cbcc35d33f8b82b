/**
 * How the SDK makes a secret's value. Values are generated once, kept in the secret store, and never printed.
 * `import` secrets are provided by the user (e.g. an SMTP password) and are an error when missing.
 */
export type SecretGenerator =
  /** `bytes` random bytes as lowercase hex (e.g. Garage's RPC secret: 32 bytes). */
  | {
      /** Generator kind. */
      kind: "random-hex";
      /** Number of random bytes (1–4096); the value has twice as many hex characters. */
      bytes: number;
    }
  /** `bytes` random bytes, base64 (standard alphabet, padded). */
  | {
      /** Generator kind. */
      kind: "random-base64";
      /** Number of random bytes (1–4096). */
      bytes: number;
    }
  /** `length` random characters from [A-Za-z0-9]. */
  | {
      /** Generator kind. */
      kind: "random-alnum";
      /** Number of characters (1–4096). */
      length: number;
    }
  /** An S3 access key id in Garage's format: `GK` + 24 lowercase hex characters. */
  | {
      /** Generator kind. */
      kind: "s3-access-key-id";
    }
  /** An S3 secret access key in Garage's format: 64 lowercase hex characters. */
  | {
      /** Generator kind. */
      kind: "s3-secret-key";
    }
  /** Provided by the user with `fedi secret set <name>` (or the SecretStore API); never generated. */
  | {
      /** Generator kind. */
      kind: "import";
      /** What the user must provide, shown when it is missing (e.g. "SMTP password for Mastodon"). */
      description: string;
    };

/** A reference to another secret's value, used inside derived files. */
export interface SecretRef {
  /** Name of the referenced secret. */
  secret: string;
}

/**
 * The content of a secret file on a machine:
 * - `value`: the file holds the secret's value as is (plus nothing else);
 * - `env`: an environment file, `KEY=value` lines built from other secrets and non-secret literals: a systemd
 *   EnvironmentFile (default), or with `format: "dotenv"` a phpdotenv `.env` fragment (e.g. Pixelfed's `secretFile`).
 */
export type SecretFileContent =
  | {
      /** The file holds one secret's value. */
      kind: "value";
      /** Name of the secret. */
      secret: string;
    }
  | {
      /** The file is an environment file. */
      kind: "env";
      /** `systemd` (default): EnvironmentFile= syntax; `dotenv`: phpdotenv `.env` syntax. */
      format?: "systemd" | "dotenv";
      /** Variable name → a secret reference or a non-secret literal, written in this order. */
      entries: Record<
        string,
        | SecretRef
        | {
            /** A non-secret value written as is. */
            literal: string;
          }
      >;
    };

/** A secret value to be stored (declared by a plugin or the planner). Names are global within a deployment. */
export interface SecretDeclaration {
  /** Global name, `[a-z0-9][a-z0-9._-]*`, e.g. `mastodon.secret-key-base` or `s3.mastodon-media.secret-key`. */
  name: string;
  /** How the value is made. */
  generate: SecretGenerator;
}

/** A file to install on a machine, built from secrets. */
export interface SecretFile {
  /** File name, unique on its machine; the file lands at `/run/fediversity/secrets/<name>`. */
  name: string;
  /** What the file contains. */
  content: SecretFileContent;
  /** Owning user on the target machine (must exist once the machine's configuration is active). */
  owner: string;
  /** Owning group; defaults to the owner's primary group. */
  group?: string;
  /** File mode as an octal string. Default `"0400"`. */
  mode?: "0400" | "0440";
  /**
   * systemd units that read the file when they start: each wants the file's installer unit
   * (`fediversity-secret-<name>.service`) and starts after it, without being restarted by it.
   */
  neededBy: string[];
  /**
   * Long-running units that keep what they read (directly or through a file a setup unit derives from it): restarted,
   * when running, after the file changed. Default: `neededBy`.
   */
  restartUnits?: string[];
  /**
   * Oneshot units that derive something from the file (e.g. an environment file they write): run again after the file
   * changed, together with `restartUnits` (which are ordered after them). Default: none.
   */
  rerunUnits?: string[];
}
