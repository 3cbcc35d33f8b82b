import { S3Client } from "@aws-sdk/client-s3";
import { redactSecrets } from "../admin/redact.js";

/** Where Garage's S3 API answers. The deployer may point `endpoint` at a local SSH tunnel. */
export interface S3Endpoint {
  /** S3 API URL, e.g. `http://127.0.0.1:3900`. */
  endpoint: string;
  /** Garage's `s3_region`. Default `garage`. */
  region?: string;
  /** Path-style requests (`endpoint/bucket/key`). Default true: it always works with Garage. */
  forcePathStyle?: boolean;
}

/** Everything needed to build one S3 client for one key. */
export interface S3ClientSettings {
  /** S3 API URL. */
  endpoint: string;
  /** Region name. */
  region: string;
  /** Path-style requests. */
  forcePathStyle: boolean;
  /** The key to sign requests with. */
  credentials: {
    /** Access key id. */
    accessKeyId: string;
    /** Secret access key. */
    secretAccessKey: string;
  };
}

/**
 * Builds an S3 client. The functions of this package call it once per bucket key and destroy the client when done,
 * so it must return a new client each time.
 */
export type S3Factory = (settings: S3ClientSettings) => S3Client;

/** Garage's default `s3_region`. */
export const GARAGE_DEFAULT_REGION = "garage";

/**
 * The default {@link S3Factory}: an `@aws-sdk/client-s3` client that computes and validates checksums only where
 * S3 requires them (S3-compatible servers do not all support the newer default checksums).
 */
export const defaultS3Factory: S3Factory = (settings) =>
  new S3Client({
    endpoint: settings.endpoint,
    region: settings.region,
    forcePathStyle: settings.forcePathStyle,
    credentials: { ...settings.credentials },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 2,
  });

/** Combines an endpoint and a key into {@link S3ClientSettings}, with Garage's defaults. */
export function s3Settings(
  endpoint: S3Endpoint,
  credentials: { accessKeyId: string; secretAccessKey: string },
): S3ClientSettings {
  return {
    endpoint: endpoint.endpoint,
    region: endpoint.region ?? GARAGE_DEFAULT_REGION,
    forcePathStyle: endpoint.forcePathStyle ?? true,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
  };
}

/** The S3 error name (e.g. `NoSuchCORSConfiguration`, `AccessDenied`) of an SDK error, if any. */
export function s3ErrorName(error: unknown): string | undefined {
  return error instanceof Error && typeof error.name === "string" ? error.name : undefined;
}

/** The HTTP status of an SDK error, if any. */
export function s3ErrorStatus(error: unknown): number | undefined {
  const meta = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof meta?.httpStatusCode === "number" ? meta.httpStatusCode : undefined;
}

/** A one-line description of an S3 error, with the given secrets removed. */
export function describeS3Error(error: unknown, secrets: Iterable<string | undefined>): string {
  const name = s3ErrorName(error) ?? "Error";
  const status = s3ErrorStatus(error);
  const message = error instanceof Error ? error.message : String(error);
  return redactSecrets(`${name}${status ? ` (HTTP ${status})` : ""}: ${message}`, secrets);
}
