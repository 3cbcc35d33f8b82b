import type { StorageContext, StorageNode } from "@fediversity/core";
import { type NixInput, nix } from "@fediversity/core/nix";
import { isIpAddress } from "../address.js";
import { GARAGE_PACKAGES, type GarageOptions } from "../options.js";
import { GARAGE_ENV_FILE_ID } from "../secrets.js";
import { hostnameIssue, resolveTopology, throwOptionsIssues } from "../topology.js";
import { type FirewallPlan, firewallModule } from "./firewall.js";
import { garageSettings } from "./settings.js";
import { webProxyModule } from "./web-proxy.js";

/**
 * Which ports a storage node opens, and to whom:
 * - RPC: to the other storage nodes (`restricted`) or everyone (`open`);
 * - S3: to the machines that host services, other than the node itself (`restricted`), or everyone (`open`, or
 *   `publicS3`);
 * - web: to everyone when the web endpoint is on and no nginx proxy fronts it; 80 and 443 on the web node with nginx;
 * - admin: never (bound to 127.0.0.1).
 * `none` opens nothing. Localhost traffic is always accepted by NixOS's firewall.
 * @param nginxProxy - the node runs the nginx proxy for public buckets.
 * @throws FediError `PLUGIN_OPTIONS_INVALID` when a `restricted` rule would need a machine's host name.
 */
export function firewallPlan(
  ctx: Pick<StorageContext, "nodes" | "serviceMachines">,
  node: StorageNode,
  options: GarageOptions,
  nginxProxy: boolean,
): FirewallPlan {
  const plan: FirewallPlan = { openPorts: [], rules: [] };
  if (options.firewall === "none") return plan;
  const { ports } = options;
  const self = node.machine.name;
  if (nginxProxy) plan.openPorts.push(80, 443);
  if (options.webRootDomain && options.webProxy === "none") plan.openPorts.push(ports.web);
  if (options.firewall === "open") {
    plan.openPorts.push(ports.rpc, ports.s3);
    return plan;
  }
  if (options.publicS3) plan.openPorts.push(ports.s3);

  const peers = ctx.nodes.map((n) => n.machine).filter((m) => m.name !== self);
  const clients = options.publicS3 ? [] : ctx.serviceMachines.filter((m) => m.name !== self);
  const named = new Map([...peers, ...clients].filter((m) => !isIpAddress(m.host)).map((m) => [m.name, m.host]));
  if (named.size > 0) throwOptionsIssues([...named].sort().map(([name, host]) => hostnameIssue(name, host)));
  plan.rules.push({ port: ports.rpc, what: "Garage RPC from the other storage nodes", sources: peers });
  plan.rules.push({ port: ports.s3, what: "Garage S3 API from the service machines", sources: clients });
  return plan;
}

/**
 * The NixOS module body of one Garage storage node: `services.garage` (package set explicitly, settings without
 * secrets, secrets through `environmentFile`), the firewall rules, and on the web node the nginx TLS proxy for
 * public buckets.
 * @throws FediError `PLUGIN_OPTIONS_INVALID` or `SPEC_INVALID` (ACME account missing for the web proxy).
 */
export function garageNodeModule(ctx: StorageContext, node: StorageNode, options: GarageOptions): NixInput {
  const topology = resolveTopology(options, ctx.machines, ctx.applied);
  const body: Record<string, NixInput> = {
    services: {
      garage: nix.comment(`Garage storage node '${node.machine.name}' of a ${topology.nodes.length}-node cluster`, {
        enable: true,
        package: nix.ref(GARAGE_PACKAGES[options.garageVersion]),
        environmentFile: ctx.secretPath(GARAGE_ENV_FILE_ID),
        settings: { ...garageSettings(node.machine, options, topology.replicationFactor) },
      }),
    },
  };
  const proxy =
    topology.webNode === node.machine.name && options.webRootDomain && !options.publicUrlTemplate
      ? webProxyModule(ctx, { ...options, webRootDomain: options.webRootDomain })
      : undefined;
  if (proxy) {
    body.services = { ...(body.services as Record<string, NixInput>), ...(proxy.services as Record<string, NixInput>) };
    body.security = proxy.security!;
  }
  const firewall = firewallModule(firewallPlan(ctx, node, options, proxy !== undefined));
  if (firewall) body.networking = { firewall };
  return nix.attrs(body);
}
