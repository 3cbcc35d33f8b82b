import { createHash } from "node:crypto";
import type { MachineFacts, S3Access, StorageContext } from "@fediversity/core";
import { hostPort } from "./address.js";
import type { GarageOptions } from "./options.js";

/** The storage context the access functions need (the planner calls them before buckets exist). */
export type GarageAccessContext = Pick<StorageContext, "nodes">;

/**
 * The storage node a machine's services talk S3 to: the machine itself when it is a node, else a node chosen by a
 * hash of the machine's name (stable, and spreads service machines over the nodes). Undefined without nodes.
 */
export function s3NodeFor(ctx: GarageAccessContext, machine: MachineFacts): MachineFacts | undefined {
  const nodes = [...ctx.nodes].map((n) => n.machine).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const self = nodes.find((n) => n.name === machine.name);
  if (self) return self;
  if (nodes.length === 0) return undefined;
  const index = createHash("sha256").update(machine.name).digest().readUInt32BE(0) % nodes.length;
  return nodes[index];
}

/**
 * How services on `machine` reach Garage's S3 API: `http://127.0.0.1:<s3 port>` on a storage node, else
 * `http://<node host>:<s3 port>` of the node {@link s3NodeFor} picks. Path-style always works with Garage;
 * `virtualHostRoot` is set when `s3RootDomain` is.
 */
export function garageS3Access(ctx: GarageAccessContext, machine: MachineFacts, options: GarageOptions): S3Access {
  const node = s3NodeFor(ctx, machine);
  const host = !node || node.name === machine.name ? "127.0.0.1" : node.host;
  return {
    endpoint: `http://${hostPort(host, options.ports.s3)}`,
    region: options.s3Region,
    forcePathStyle: true,
    ...(options.s3RootDomain ? { virtualHostRoot: options.s3RootDomain } : {}),
  };
}

/**
 * Public base URL of a public bucket: `publicUrlTemplate` with `{bucket}` replaced, else
 * `https://<bucket>.<webRootDomain>` (Garage's web endpoint picks the bucket from the Host header), else undefined:
 * without a web root domain Garage cannot serve a bucket under a URL of its own.
 */
export function garagePublicUrl(bucket: string, options: GarageOptions): string | undefined {
  if (options.publicUrlTemplate) return options.publicUrlTemplate.split("{bucket}").join(bucket);
  if (options.webRootDomain) return `https://${bucket}.${options.webRootDomain}`;
  return undefined;
}
