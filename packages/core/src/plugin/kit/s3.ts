import { FediError } from "../../errors.js";
import { ownValue } from "../../util/own.js";
import type { AllocatedBucket, S3Access, ServiceContext } from "../types.js";

/** An S3 endpoint URL taken apart. */
export interface ParsedEndpoint {
  /** `http` or `https`. */
  protocol: "http" | "https";
  /** Host name or address, without port (IPv6 keeps its brackets). */
  hostname: string;
  /** Explicit port, if the URL has one. */
  port?: number;
  /** `hostname[:port]`, as in the URL. */
  host: string;
}

/**
 * Takes an S3 endpoint URL (`http://10.0.0.5:3900`, `https://s3.example.org`) apart.
 * @throws FediError `PLUGIN_CONTRACT` when it is not an http(s) URL (the storage plugin gave a bad endpoint).
 */
export function parseS3Endpoint(endpoint: string): ParsedEndpoint {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw storageContract(`gave an S3 endpoint that is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw storageContract("gave an S3 endpoint that is not http(s)");
  const protocol = url.protocol === "https:" ? "https" : "http";
  return { protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}), host: url.host };
}

/**
 * The instance's S3 access, which the planner provides to plugins that declared buckets.
 * @throws FediError `PLUGIN_CONTRACT` naming `who` when it is missing.
 */
export function requireS3(ctx: ServiceContext, who: string): NonNullable<ServiceContext["s3"]> {
  if (!ctx.s3) {
    throw new FediError(
      "PLUGIN_CONTRACT",
      `The ${who} plugin got no S3 access for instance '${ctx.instance.name}', although it declares buckets.`,
      {
        hint: "This is a bug in the SDK or the plugin: report it.",
      },
    );
  }
  return ctx.s3;
}

/**
 * A bucket the planner allocated for the instance, by the plugin-local id it was declared with.
 * @throws FediError `PLUGIN_CONTRACT` when it is missing.
 */
export function requireBucket(ctx: ServiceContext, id: string, who: string): AllocatedBucket {
  const bucket = ownValue(requireS3(ctx, who).buckets, id);
  if (!bucket) {
    throw new FediError(
      "PLUGIN_CONTRACT",
      `The ${who} plugin got no bucket '${id}' for instance '${ctx.instance.name}'.`,
      {
        hint: "This is a bug in the SDK or the plugin: report it.",
      },
    );
  }
  return bucket;
}

/**
 * The public base URL (no trailing slash) of a public bucket.
 * @throws FediError `SPEC_INVALID` (issue at `storage.options`) when the storage has no public URL for it: the
 * storage backend is not configured to serve buckets publicly.
 */
export function requirePublicUrl(ctx: ServiceContext, id: string, who: string): string {
  const bucket = requireBucket(ctx, id, who);
  if (!bucket.publicUrl) {
    const message = `the ${who} instance '${ctx.instance.name}' serves files from bucket '${bucket.name}', but the storage has no public URL for it`;
    throw new FediError("SPEC_INVALID", `The storage cannot serve ${who} media publicly.`, {
      issues: [{ path: "storage.options", message }],
      hint: "Give the storage a public web endpoint (for Garage: webRootDomain or publicUrlTemplate).",
      service: ctx.instance.name,
    });
  }
  return bucket.publicUrl.replace(/\/+$/, "");
}

/**
 * The S3 endpoint for virtual-host-style access (`<bucket>.<root>`): the API endpoint's scheme and port with the
 * storage's virtual-host root domain as host, e.g. `http://s3.example.org:3900`; undefined when the storage has no
 * virtual-host root.
 */
export function virtualHostEndpoint(s3: S3Access): string | undefined {
  if (!s3.virtualHostRoot) return undefined;
  const root = s3.virtualHostRoot.replace(/^\.+/, "").replace(/\.+$/, "");
  if (root === "") return undefined;
  const ep = parseS3Endpoint(s3.endpoint);
  return `${ep.protocol}://${root}${ep.port !== undefined ? `:${ep.port}` : ""}`;
}

function storageContract(what: string): FediError {
  return new FediError("PLUGIN_CONTRACT", `The storage plugin ${what}.`, {
    hint: "Check the storage plugin's options (its public/web endpoint), or report a bug in the storage plugin.",
  });
}
