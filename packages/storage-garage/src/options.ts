import { DnsLabel, DomainName, Port } from "@fediversity/core";
import { z } from "zod";

/** Garage's conventional ports: S3 API 3900, RPC 3901, web endpoint 3902, admin API 3903. */
export const GARAGE_DEFAULT_PORTS = Object.freeze({
  /** S3 API. */
  s3: 3900,
  /** RPC between nodes. */
  rpc: 3901,
  /** Web endpoint (public buckets). */
  web: 3902,
  /** Admin API. */
  admin: 3903,
});

/** The `pkgs` attribute of each supported Garage major version (nixpkgs has no default package for Garage). */
export const GARAGE_PACKAGES = Object.freeze({
  /** Garage 1.x. */
  1: "pkgs.garage_1",
  /** Garage 2.x. */
  2: "pkgs.garage_2",
} as const);

/** A zone (failure domain) name as Garage's layout accepts it and the spec's `machines[].zone` allows. */
const ZoneName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, "must be 1-64 of A-Z, a-z, 0-9, '.', '_' and '-'")
  .describe("Zone name: 1-64 of A-Z, a-z, 0-9, '.', '_' and '-'.");

/** Capacity in GiB given to Garage on a node: a positive number. */
const CapacityGiB = z
  .number()
  .positive("must be more than 0 GiB: Garage needs a positive capacity")
  .describe("Capacity in GiB (more than 0).");

/** The four ports Garage listens on. */
const GaragePorts = z
  .object({
    /** S3 API. */
    s3: Port.default(GARAGE_DEFAULT_PORTS.s3).describe(`S3 API port. Default ${GARAGE_DEFAULT_PORTS.s3}.`),
    /** RPC between nodes. */
    rpc: Port.default(GARAGE_DEFAULT_PORTS.rpc).describe(
      `RPC port between nodes. Default ${GARAGE_DEFAULT_PORTS.rpc}.`,
    ),
    /** Web endpoint (public buckets). */
    web: Port.default(GARAGE_DEFAULT_PORTS.web).describe(
      `Web endpoint port (public buckets). Default ${GARAGE_DEFAULT_PORTS.web}.`,
    ),
    /** Admin API (bound to 127.0.0.1 only). */
    admin: Port.default(GARAGE_DEFAULT_PORTS.admin).describe(
      `Admin API port (bound to 127.0.0.1 only). Default ${GARAGE_DEFAULT_PORTS.admin}.`,
    ),
  })
  .strict()
  .superRefine((ports, ctx) => {
    const seen = new Map<number, string>();
    for (const [name, port] of Object.entries(ports)) {
      const other = seen.get(port);
      if (other !== undefined)
        ctx.addIssue({ code: "custom", path: [name], message: `port ${port} is already used for '${other}'` });
      seen.set(port, name);
    }
  });

/** Garage's `consistency_mode` values (enums here are typed as plain unions so that generated docs show the values). */
const ConsistencyMode: z.ZodType<"consistent" | "degraded" | "dangerous", "consistent" | "degraded" | "dangerous"> =
  z.enum(["consistent", "degraded", "dangerous"]);

/** How public buckets are served over HTTPS. */
const WebProxy: z.ZodType<"nginx" | "none", "nginx" | "none"> = z.enum(["nginx", "none"]);

/** Garage's metadata engines (`db_engine`). */
const DbEngine: z.ZodType<"lmdb" | "sqlite", "lmdb" | "sqlite"> = z.enum(["lmdb", "sqlite"]);

/** Firewall rule sets the plugin can add on storage nodes. */
const Firewall: z.ZodType<"restricted" | "open" | "none", "restricted" | "open" | "none"> = z.enum([
  "restricted",
  "open",
  "none",
]);

const PUBLIC_URL_TEMPLATE = /^https?:\/\/[^\s{}]*\{bucket\}[^\s{}]*$/;

/**
 * Options of the Garage storage backend (`storage: { kind: "garage", options: {...} }`).
 *
 * Node selection: `nodes` when given; else every machine whose roles are exactly `["storage"]`; else (one machine or
 * machines that may do anything, the MVP) the first machine by name that may be a storage node.
 */
export const GarageOptions = z
  .object({
    /** Names of the machines that run Garage storage nodes. Default: see the selection rule above. */
    nodes: z
      .array(DnsLabel)
      .min(1, "list at least one machine, or leave 'nodes' out")
      .optional()
      .describe(
        "Names of the machines that run Garage storage nodes. Default: every machine whose roles are exactly " +
          '`["storage"]`; else the first machine by name that may be a storage node.',
      ),
    /**
     * Copies of each object: 1 (single node, no redundancy), 2 or 3 (the resilient setup: needs ≥ 3 nodes).
     * Default: 3 with three or more nodes, else the number of nodes. Garage does not support changing it on a running
     * cluster: set it explicitly before the first deploy of a cluster.
     */
    replicationFactor: z
      .union([z.literal(1), z.literal(2), z.literal(3)])
      .optional()
      .describe(
        "Copies of each object: 1 (single node, no redundancy), 2 or 3 (the resilient setup: needs ≥ 3 nodes). " +
          "Default: 3 with three or more nodes, else the number of nodes. Garage does not support changing it on a " +
          "running cluster: set it explicitly before the first deploy of a cluster.",
      ),
    /** Garage's `consistency_mode`. `consistent` keeps read-after-write consistency. */
    consistencyMode: ConsistencyMode.default("consistent").describe(
      "Garage's `consistency_mode`. `consistent` (default) keeps read-after-write consistency.",
    ),
    /** Zone per node (machine name → zone). Default: the machine's `zone`, else its name. */
    zones: z
      .record(z.string(), ZoneName)
      .default({})
      .describe("Zone per node (machine name → zone). Default: the machine's `zone`, else its name."),
    /** Accept a replication factor above 1 with every node in one zone (replicas cannot be spread across zones). */
    allowSingleZone: z
      .boolean()
      .default(false)
      .describe(
        "Accept a replication factor above 1 with every node in one zone (replicas cannot be spread across zones).",
      ),
    /**
     * Capacity given to Garage in the cluster layout, in GiB: one number for every node, or per node (machine name →
     * GiB). Default: the machine's disk minus the deployment's disk reserve. It is a weight for data placement, not a
     * quota.
     */
    capacityGiB: z
      .union([CapacityGiB, z.record(z.string(), CapacityGiB)])
      .optional()
      .describe(
        "Capacity given to Garage in the cluster layout, in GiB: one number for every node, or per node (machine " +
          "name → GiB). Default: the machine's disk minus the deployment's disk reserve. It is a weight for data " +
          "placement, not a quota.",
      ),
    /** S3 region Garage accepts (`s3_api.s3_region`); clients must use the same. */
    s3Region: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be 1-63 of a-z, 0-9 and '-'")
      .default("garage")
      .describe("S3 region Garage accepts (`s3_api.s3_region`); clients must use the same. Default `garage`."),
    /**
     * Root domain for virtual-host style S3 (`<bucket>.<s3RootDomain>`, Garage's `s3_api.root_domain`), needed by
     * services that address buckets that way (PeerTube). Needs a wildcard DNS record pointing at a storage node.
     */
    s3RootDomain: DomainName.optional().describe(
      "Root domain for virtual-host style S3 (`<bucket>.<s3RootDomain>`, Garage's `s3_api.root_domain`), needed by " +
        "services that address buckets that way (PeerTube). Needs a wildcard DNS record pointing at a storage node.",
    ),
    /**
     * Root domain of the web endpoint that serves public buckets (`<bucket>.<webRootDomain>`, Garage's
     * `s3_web.root_domain`). Without it the web endpoint is off and public buckets have no public URL unless
     * `publicUrlTemplate` names one. Needs a wildcard DNS record pointing at the web node.
     */
    webRootDomain: DomainName.optional().describe(
      "Root domain of the web endpoint that serves public buckets (`<bucket>.<webRootDomain>`, Garage's " +
        "`s3_web.root_domain`). Without it the web endpoint is off and public buckets have no public URL unless " +
        "`publicUrlTemplate` names one. Needs a wildcard DNS record pointing at the web node.",
    ),
    /**
     * How public buckets are served over HTTPS (with `webRootDomain`): `nginx` puts an nginx virtual host with a
     * Let's Encrypt certificate per public bucket on the web node (needs `acme.email` in the spec); `none` leaves TLS
     * to a proxy you run, and opens the web port to everyone instead.
     */
    webProxy: WebProxy.default("nginx").describe(
      "How public buckets are served over HTTPS (with `webRootDomain`): `nginx` (default) puts an nginx virtual " +
        "host with a Let's Encrypt certificate per public bucket on the web node (needs `acme.email` in the spec); " +
        "`none` leaves TLS to a proxy you run, and opens the web port to everyone instead.",
    ),
    /** The storage node that serves public buckets through nginx. Default: the first storage node by name. */
    webNode: DnsLabel.optional().describe(
      "The storage node that serves public buckets through nginx. Default: the first storage node by name.",
    ),
    /**
     * Overrides the public URL of public buckets, e.g. `https://media.example.org/{bucket}` for a proxy or CDN you
     * run. `{bucket}` is replaced by the bucket name; no trailing slash.
     */
    publicUrlTemplate: z
      .string()
      .regex(
        PUBLIC_URL_TEMPLATE,
        "must be an http(s) URL containing '{bucket}', e.g. https://{bucket}.media.example.org",
      )
      .refine((v) => !v.endsWith("/"), "must not end with '/'")
      .optional()
      .describe(
        "Overrides the public URL of public buckets, e.g. `https://media.example.org/{bucket}` for a proxy or CDN " +
          "you run. `{bucket}` is replaced by the bucket name; no trailing slash.",
      ),
    /** Garage major version: 2 (`pkgs.garage_2`, the default) or 1 (`pkgs.garage_1`). Never skip a major version. */
    garageVersion: z
      .union([z.literal(1), z.literal(2)])
      .default(2)
      .describe(
        "Garage major version: 2 (`pkgs.garage_2`, the default) or 1 (`pkgs.garage_1`). Never skip a major version.",
      ),
    /** Ports Garage listens on. */
    ports: GaragePorts.default({ ...GARAGE_DEFAULT_PORTS }).describe("Ports Garage listens on."),
    /**
     * Storage nodes run no services. Default: true when some machine that is not a storage node may host services
     * (the separation of seed epic 5), else false (one machine does everything).
     */
    dedicatedNodes: z
      .boolean()
      .optional()
      .describe(
        "Storage nodes run no services. Default: true when some machine that is not a storage node may host " +
          "services, else false (one machine does everything).",
      ),
    /** Garage's metadata engine (`db_engine`). */
    dbEngine: DbEngine.default("lmdb").describe("Garage's metadata engine (`db_engine`). Default `lmdb`."),
    /** Open the S3 API port to everyone (default: only to the machines that host services). */
    publicS3: z
      .boolean()
      .default(false)
      .describe("Open the S3 API port to everyone (default: only to the machines that host services)."),
    /**
     * Firewall rules the plugin adds on storage nodes. `restricted`: RPC only from the other storage nodes, S3 only
     * from the service machines (their `host` must then be an IP address); `open`: RPC and S3 ports open to everyone
     * (both are authenticated); `none`: no rules at all (you open what is needed yourself).
     */
    firewall: Firewall.default("restricted").describe(
      "Firewall rules the plugin adds on storage nodes. `restricted` (default): RPC only from the other storage " +
        "nodes, S3 only from the service machines (their `host` must then be an IP address); `open`: RPC and S3 " +
        "ports open to everyone (both are authenticated); `none`: no rules at all (you open what is needed yourself).",
    ),
  })
  .strict()
  .describe("Options of the Garage storage backend.");

/** Garage options as a user writes them. */
export type GarageOptionsInput = z.input<typeof GarageOptions>;
/** Validated Garage options (defaults applied). */
export type GarageOptions = z.output<typeof GarageOptions>;
/** Ports Garage listens on. */
export type GaragePorts = GarageOptions["ports"];
