import type { DnsNameNeed, ReservedDomain, StorageContext, StorageDns } from "@fediversity/core";
import { bucketWebHost } from "./nixos/web-proxy.js";
import type { GarageOptions } from "./options.js";
import { OPTIONS_PATH, resolveTopology } from "./topology.js";

/**
 * The DNS side of Garage (the plugin's `dns` hook):
 * - each public bucket's host `<bucket>.<webRootDomain>`, pointing at the web node, when that node serves public
 *   buckets through nginx (`webRootDomain` set, `webProxy: "nginx"`, no `publicUrlTemplate`); with `webProxy: "none"`
 *   or a `publicUrlTemplate`, public names point at a proxy or CDN the SDK does not know, so none is listed;
 * - `*.<s3RootDomain>`, pointing at every storage node (each answers the S3 API), when some bucket is addressed in
 *   virtual-host style (PeerTube);
 * - claims: the S3 root domain and every name under it (Garage's `s3_api.root_domain`), and every name under the web
 *   root domain (Garage's `s3_web.root_domain`).
 */
export function garageDns(ctx: StorageContext, options: GarageOptions): StorageDns {
  const topology = resolveTopology(options, ctx.machines, ctx.applied);
  const names: DnsNameNeed[] = [];
  const reserved: ReservedDomain[] = [];
  const { webRootDomain, s3RootDomain } = options;

  if (webRootDomain) {
    reserved.push({
      domain: webRootDomain,
      covers: "subdomains",
      path: `${OPTIONS_PATH}.webRootDomain`,
      what: `public buckets (<bucket>.${webRootDomain})`,
    });
    const webNode = topology.webNode;
    if (webNode && !options.publicUrlTemplate) {
      const publicBuckets = ctx.buckets.filter((b) => b.public).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const bucket of publicBuckets) {
        names.push({
          name: bucketWebHost(bucket.name, webRootDomain),
          machines: [webNode],
          neededBy: [bucket.instance],
          purpose: `public bucket ${bucket.name} (nginx on ${webNode})`,
          path: `${OPTIONS_PATH}.webRootDomain`,
        });
      }
    }
  }

  if (s3RootDomain) {
    reserved.push({
      domain: s3RootDomain,
      covers: "domain-and-subdomains",
      path: `${OPTIONS_PATH}.s3RootDomain`,
      what: `virtual-host S3 (<bucket>.${s3RootDomain})`,
    });
    const users = [...new Set(ctx.buckets.filter((b) => b.virtualHost).map((b) => b.instance))].sort();
    if (users.length > 0) {
      names.push({
        name: `*.${s3RootDomain}`,
        machines: [...topology.nodes],
        neededBy: users,
        purpose: `virtual-host S3 buckets (<bucket>.${s3RootDomain}, served by every storage node)`,
        path: `${OPTIONS_PATH}.s3RootDomain`,
      });
    }
  }
  return { names, reserved };
}
