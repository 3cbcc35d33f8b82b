/**
 * Runtime side of the Garage storage backend: a typed admin API v2 client, cluster layout operations, bucket and key
 * provisioning, and verification through S3. Re-exported by the package index.
 * @module
 */
export {
  createGarageAdminClient,
  type GarageAdminApi,
  type GarageAdminClient,
  type GarageAdminClientOptions,
  type GarageAdminEvent,
  type GarageAdminOperationId,
  type GarageAdminSchemas,
  type GarageBucketRef,
  type GarageKeyRef,
  garageErrorCode,
  garageErrorStatus,
} from "./admin/client.js";
export type {
  components as GarageAdminComponents,
  operations as GarageAdminOperations,
  paths as GarageAdminPaths,
} from "./admin/generated-types.js";
export { REDACTED, redactSecrets } from "./admin/redact.js";
export {
  type GarageAdminRequest,
  type GarageAdminResponse,
  type GarageAdminTransport,
  type HttpTransportOptions,
  httpTransport,
} from "./admin/transport.js";
export { type ConnectResult, connectNodes, getLocalNodeId, type PeerSpec } from "./layout/connect.js";
export {
  type DesiredLayout,
  type DesiredRole,
  desiredLayout,
  isNodeId,
  type LayoutNodeSpec,
  MIN_CAPACITY_BYTES,
} from "./layout/desired.js";
export {
  type CurrentLayout,
  diffLayout,
  type LayoutAdd,
  type LayoutChange,
  type LayoutRemove,
  type LayoutRole,
  type LayoutUpdate,
  sameRole,
  toRoleChanges,
} from "./layout/diff.js";
export { type EnsureLayoutOptions, type EnsureLayoutResult, ensureLayout } from "./layout/ensure.js";
export {
  CORS_METHODS,
  fromS3CorsRules,
  readBucketCors,
  sameCors,
  toS3CorsRules,
  writeBucketCors,
} from "./provision/cors.js";
export {
  type BucketProvisionReport,
  type ProvisionAction,
  type ProvisionOptions,
  type ProvisionReport,
  provisionBuckets,
} from "./provision/provision.js";
export {
  defaultS3Factory,
  describeS3Error,
  GARAGE_DEFAULT_REGION,
  type S3ClientSettings,
  type S3Endpoint,
  type S3Factory,
  s3ErrorName,
  s3ErrorStatus,
  s3Settings,
} from "./provision/s3-client.js";
export type { BucketKeySpec, BucketQuotas, BucketSpec, CorsRule } from "./provision/types.js";
export { isValidBucketName, validateBucketSpecs } from "./provision/validate.js";
export {
  type GarageRemoval,
  type GarageRemovalOptions,
  openGarageRemoval,
  REMOVAL_KEY_PREFIX,
} from "./removal/removal.js";
export {
  type BucketVerifyReport,
  type VerifyCheck,
  type VerifyCheckName,
  type VerifyOptions,
  type VerifyReport,
  verifyBuckets,
} from "./verify/verify.js";
