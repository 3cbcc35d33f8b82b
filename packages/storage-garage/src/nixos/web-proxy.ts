import { ACME_STAGING_SERVER, FediError, type StorageContext } from "@fediversity/core";
import { type NixInput, nix } from "@fediversity/core/nix";
import type { GarageOptions } from "../options.js";

/** The virtual host name of a public bucket: `<bucket>.<webRootDomain>`. */
export function bucketWebHost(bucket: string, webRootDomain: string): string {
  return `${bucket}.${webRootDomain}`;
}

/**
 * nginx on the web node: one virtual host per public bucket (`<bucket>.<webRootDomain>`), TLS from Let's Encrypt,
 * proxied to Garage's web endpoint on localhost with the Host header kept (Garage picks the bucket from it).
 * Returns undefined when there is no public bucket.
 * @throws FediError `SPEC_INVALID` (path `acme`) when the deployment has no ACME account.
 */
export function webProxyModule(
  ctx: Pick<StorageContext, "buckets" | "deployment">,
  options: GarageOptions & { webRootDomain: string },
): Record<string, NixInput> | undefined {
  const publicBuckets = [...new Set(ctx.buckets.filter((b) => b.public).map((b) => b.name))].sort();
  if (publicBuckets.length === 0) return undefined;
  const email = ctx.deployment.acmeEmail;
  if (!email) {
    throw new FediError("SPEC_INVALID", "The Garage web proxy needs TLS certificates for the public buckets.", {
      issues: [
        {
          path: "acme",
          message: `public buckets are served at https://<bucket>.${options.webRootDomain}: set acme.email (and acme.staging while testing), or storage.options.webProxy: "none" to run your own TLS proxy`,
          code: "SPEC_INVALID",
        },
      ],
      hint: "Add an `acme` section to the deployment spec.",
    });
  }
  const upstream = `http://127.0.0.1:${options.ports.web}`;
  return {
    services: {
      nginx: {
        enable: true,
        virtualHosts: Object.fromEntries(
          publicBuckets.map((bucket) => [
            bucketWebHost(bucket, options.webRootDomain),
            {
              enableACME: true,
              forceSSL: true,
              locations: { "/": { proxyPass: upstream, recommendedProxySettings: true } },
            },
          ]),
        ),
      },
    },
    security: {
      acme: {
        acceptTerms: nix.mkDefault(true),
        defaults: {
          email: nix.mkDefault(email),
          ...(ctx.deployment.acmeStaging ? { server: nix.mkDefault(ACME_STAGING_SERVER) } : {}),
        },
      },
    },
  };
}
