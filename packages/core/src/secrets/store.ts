import { FediError } from "../errors.js";
import { assertSecretName } from "./names.js";

/**
 * Where secret values live on the deployer. Names follow {@link SECRET_NAME_PATTERN}; values are non-empty strings.
 * Implementations never log or echo values.
 */
export interface SecretStore {
  /**
   * The local folder that holds the values, when the store keeps them in files (as `FileSecretStore` does);
   * the SDK keeps the deployment directory out of it.
   */
  readonly dir?: string;
  /** The value of `name`, or undefined when it is not set. */
  get(name: string): Promise<string | undefined>;
  /** Sets (or replaces) the value of `name`. */
  set(name: string, value: string): Promise<void>;
  /** Whether `name` is set. */
  has(name: string): Promise<boolean>;
  /** Removes `name`; no error when it is not set. */
  delete(name: string): Promise<void>;
  /** The names of all set secrets, sorted. */
  list(): Promise<string[]>;
}

/** Largest accepted secret value, in characters. */
export const SECRET_VALUE_MAX_LENGTH = 1024 * 1024;

/** Throws FediError `SECRET_FAILED` when `value` is not an acceptable secret value (never includes the value). */
export function assertSecretValue(name: string, value: unknown): asserts value is string {
  if (typeof value !== "string") {
    throw new FediError("SECRET_FAILED", `The value of secret ${JSON.stringify(name)} must be a string.`);
  }
  if (value.length === 0) {
    throw new FediError("SECRET_FAILED", `The value of secret ${JSON.stringify(name)} must not be empty.`, {
      hint: "To remove a secret, delete it instead of setting it to an empty value.",
    });
  }
  if (value.length > SECRET_VALUE_MAX_LENGTH) {
    throw new FediError(
      "SECRET_FAILED",
      `The value of secret ${JSON.stringify(name)} is longer than ${SECRET_VALUE_MAX_LENGTH} characters.`,
    );
  }
}

/** A {@link SecretStore} in memory, for tests and for embedding the SDK where secrets come from elsewhere. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  /** Creates a store holding `initial` values (names and values validated). */
  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [name, value] of Object.entries(initial)) {
      assertSecretName(name);
      assertSecretValue(name, value);
      this.values.set(name, value);
    }
  }

  /** The value of `name`, or undefined when it is not set. */
  async get(name: string): Promise<string | undefined> {
    assertSecretName(name);
    return this.values.get(name);
  }

  /** Sets (or replaces) the value of `name`. */
  async set(name: string, value: string): Promise<void> {
    assertSecretName(name);
    assertSecretValue(name, value);
    this.values.set(name, value);
  }

  /** Whether `name` is set. */
  async has(name: string): Promise<boolean> {
    assertSecretName(name);
    return this.values.has(name);
  }

  /** Removes `name`; no error when it is not set. */
  async delete(name: string): Promise<void> {
    assertSecretName(name);
    this.values.delete(name);
  }

  /** The names of all set secrets, sorted. */
  async list(): Promise<string[]> {
    return [...this.values.keys()].sort();
  }
}
