import type {
  StorageRemoval,
  StorageRemovalInput,
  StorageRuntime,
  StorageRuntimeInput,
  StorageStepReport,
} from "@fediversity/core";
import { createGarageAdminClient, type GarageAdminClient } from "./admin/client.js";
import { httpTransport } from "./admin/transport.js";
import { connectNodes, getLocalNodeId } from "./layout/connect.js";
import { desiredLayout } from "./layout/desired.js";
import { ensureLayout } from "./layout/ensure.js";
import type { GarageOptions } from "./options.js";
import { provisionBuckets } from "./provision/provision.js";
import { defaultS3Factory } from "./provision/s3-client.js";
import type { BucketSpec } from "./provision/types.js";
import { type GarageRemoval, openGarageRemoval } from "./removal/removal.js";
import { GARAGE_SECRET_IDS } from "./secrets.js";
import { defaultReplicationFactor } from "./topology.js";
import { verifyBuckets } from "./verify/verify.js";

/**
 * Garage's runtime operations for the deploy pipeline. Everything goes through SSH tunnels to the nodes' localhost
 * ports: the admin API (never exposed) and the S3 API of the first node.
 * - provision: read every node's id, connect the nodes to each other (`ConnectClusterNodes` with
 *   `<id>@<host>:<rpc port>`), bring the cluster layout to the plan (zones, capacities; applied once as version
 *   current + 1), then ensure buckets, keys (imported with the SDK's credentials), permissions, website access,
 *   quotas and CORS. Idempotent: a second run changes nothing and says so.
 * - verify: with each bucket's key, write, read back and delete a canary object, and compare CORS.
 * - removal (`fedi prune`): a session on the first node that empties and deletes buckets and deletes keys
 *   ({@link openGarageRemoval}).
 */
export function garageRuntime(): StorageRuntime<GarageOptions> {
  return {
    async provision(input) {
      return withCluster(input, async ({ clients, first, s3Url }) => {
        const reports: StorageStepReport[] = [];
        const ids = await Promise.all(clients.map((c) => getLocalNodeId(c.client)));
        const peers = input.nodes.map((n, i) => ({
          nodeId: ids[i]!,
          address: rpcAddress(n.machine.host, input.options.ports.rpc),
        }));
        if (peers.length > 1) {
          await connectNodes(first, peers);
          reports.push({ summary: `${peers.length} nodes connected`, changed: false });
        }
        const rf =
          input.replicationFactor ?? input.options.replicationFactor ?? defaultReplicationFactor(input.nodes.length);
        const zones = new Set(input.nodes.map((n) => n.zone)).size;
        const layout = await ensureLayout(
          first,
          desiredLayout(
            input.nodes.map((n, i) => ({
              nodeId: ids[i]!,
              zone: n.zone,
              capacityBytes: n.capacityBytes,
              tags: [n.machine.name],
            })),
          ),
          { replicationFactor: rf, zoneRedundancy: { atLeast: Math.min(rf, zones) } },
        );
        reports.push({
          summary: layout.changed
            ? `cluster layout applied as version ${layout.version}`
            : `cluster layout up to date (version ${layout.version})`,
          changed: layout.changed,
        });
        if (input.buckets.length > 0) {
          const r = await provisionBuckets(first, defaultS3Factory, bucketSpecs(input), {
            s3: { endpoint: s3Url, region: input.options.s3Region, forcePathStyle: true },
          });
          const changed = r.buckets.filter((b) => b.changed).map((b) => b.bucket);
          reports.push({
            summary: r.changed ? `buckets changed: ${changed.join(", ")}` : `${r.buckets.length} bucket(s) up to date`,
            changed: r.changed,
          });
        }
        return reports;
      });
    },
    async verify(input) {
      if (input.buckets.length === 0) return [];
      return withCluster(input, async ({ s3Url }) => {
        const r = await verifyBuckets(defaultS3Factory, bucketSpecs(input), {
          s3: { endpoint: s3Url, region: input.options.s3Region, forcePathStyle: true },
        });
        return r.buckets.map((b) => ({
          bucket: b.bucket,
          ok: b.ok,
          detail: b.checks.map((c) => `${c.name}: ${c.ok ? "ok" : (c.message ?? "failed")}`).join("; "),
        }));
      });
    },
    removal: (input) => removalSession(input),
  };
}

function bucketSpecs(input: StorageRuntimeInput<GarageOptions>): BucketSpec[] {
  return input.buckets.map((b) => ({
    name: b.name,
    public: b.public,
    ...(b.cors ? { cors: b.cors } : {}),
    ...(b.quotas
      ? {
          quotas: {
            ...(b.quotas.maxSizeBytes !== undefined ? { maxSize: b.quotas.maxSizeBytes } : {}),
            ...(b.quotas.maxObjects !== undefined ? { maxObjects: b.quotas.maxObjects } : {}),
          },
        }
      : {}),
    key: b.key,
  }));
}

function rpcAddress(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Admin clients of the nodes (all, or only the first) and the first node's S3 URL, over tunnels to close. */
interface OpenCluster {
  clients: Array<{ node: string; client: GarageAdminClient }>;
  first: GarageAdminClient;
  s3Url: string;
  close(): Promise<void>;
}

async function openCluster(
  input: Pick<StorageRuntimeInput<GarageOptions>, "nodes" | "options" | "secret" | "tunnel">,
  which: "all" | "first",
): Promise<OpenCluster> {
  const token = await input.secret(GARAGE_SECRET_IDS.adminToken);
  const tunnels: Array<{ close(): Promise<void> }> = [];
  const close = () => Promise.all(tunnels.splice(0).map((t) => t.close().catch(() => {}))).then(() => {});
  try {
    const clients = [];
    for (const node of which === "all" ? input.nodes : input.nodes.slice(0, 1)) {
      const t = await input.tunnel(node.machine.name, input.options.ports.admin);
      tunnels.push(t);
      clients.push({
        node: node.machine.name,
        client: createGarageAdminClient({ transport: httpTransport(t.url), token }),
      });
    }
    const s3 = await input.tunnel(input.nodes[0]!.machine.name, input.options.ports.s3);
    tunnels.push(s3);
    return { clients, first: clients[0]!.client, s3Url: s3.url, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function withCluster<T>(
  input: StorageRuntimeInput<GarageOptions>,
  fn: (cluster: OpenCluster) => Promise<T>,
): Promise<T> {
  const cluster = await openCluster(input, "all");
  try {
    return await fn(cluster);
  } finally {
    await cluster.close();
  }
}

/** The removal session of {@link garageRuntime}: {@link openGarageRemoval} over tunnels to the first node. */
async function removalSession(input: StorageRemovalInput<GarageOptions>): Promise<StorageRemoval> {
  const cluster = await openCluster(input, "first");
  let removal: GarageRemoval;
  try {
    removal = await openGarageRemoval(cluster.first, {
      s3: { endpoint: cluster.s3Url, region: input.options.s3Region, forcePathStyle: true },
      s3Factory: defaultS3Factory,
    });
  } catch (error) {
    await cluster.close();
    throw error;
  }
  let closed = false;
  return {
    deleteBucket: (name) => {
      input.progress(`emptying and deleting bucket ${name}`);
      return removal.deleteBucket(name);
    },
    deleteKey: (name) => removal.deleteKey(name),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await removal.close();
      } finally {
        await cluster.close();
      }
    },
  };
}
