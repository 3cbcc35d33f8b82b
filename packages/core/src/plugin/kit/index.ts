/**
 * Generic building blocks for service plugins: option schemas (SMTP, initial administrator, resource overrides,
 * extra settings), secret-shape heuristics, S3 access helpers and an ACME virtual host. Nothing here names a service.
 */
export {
  ADMIN_PASSWORD_SECRET_ID,
  AdminPasswordSource,
  type AdminUserSchemaOptions,
  adminPasswordSecret,
  adminUserSchema,
} from "./admin-user.js";
export {
  checkOptionContract,
  type OptionContract,
  type OptionContractReport,
  type OptionContractSource,
  type OptionType,
  parseOptionType,
  unwrapDefinitions,
  valueFitsType,
} from "./contract.js";
export {
  type ExtraSettingProblem,
  type ExtraSettingScalar,
  type ExtraSettingsSchemaOptions,
  type ExtraSettingValue,
  extraSettingsSchema,
  type FlatSettingValue,
  findExtraSettingProblems,
  reservedKeys,
} from "./extra-settings.js";
export { acmeVirtualHost } from "./nginx.js";
export {
  type ResolvedResources,
  type ResourceAmounts,
  type ResourceOverridesInput,
  type ResourcesSchemaOptions,
  resourcesSchema,
} from "./resources.js";
export {
  type ParsedEndpoint,
  parseS3Endpoint,
  requireBucket,
  requirePublicUrl,
  requireS3,
  virtualHostEndpoint,
} from "./s3.js";
export {
  containsSecretWord,
  credentialShape,
  isPublicKeyName,
  isRuntimeSecretPath,
  isSecretLookingName,
  nameSegments,
  PUBLIC_NAME_SEGMENTS,
  SECRET_NAME_SEGMENTS,
  SECRET_NAME_WORDS,
} from "./secret-patterns.js";
export {
  LocalSmtpOptions,
  RelaySmtpOptions,
  SMTP_PASSWORD_SECRET_ID,
  SmtpOptions,
  type SmtpOptionsInput,
  smtpAuthenticates,
  smtpPasswordSecret,
} from "./smtp.js";
