/**
 * Secrets: the local secret store, generation of missing values, the bytes of secret files installed on machines,
 * and redaction of secret values from any text.
 * @packageDocumentation
 */
export { type EnsureSecretsResult, ensureSecrets } from "./ensure.js";
export { DEFAULT_SECRETS_DIR, FileSecretStore } from "./file-store.js";
export { generateSecret, SECRET_GENERATOR_MAX_SIZE } from "./generate.js";
export { assertSecretName, SECRET_NAME_MAX_LENGTH, SECRET_NAME_PATTERN, secretNameProblem } from "./names.js";
export { REDACT_MIN_LENGTH, type Redact, redactor, type SecretValues } from "./redact.js";
export { ENV_KEY_PATTERN, environmentFileLine, renderSecretFile } from "./render.js";
export { assertSecretValue, MemorySecretStore, SECRET_VALUE_MAX_LENGTH, type SecretStore } from "./store.js";
export type {
  SecretDeclaration,
  SecretFile,
  SecretFileContent,
  SecretGenerator,
  SecretRef,
} from "./types.js";
