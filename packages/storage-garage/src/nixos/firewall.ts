import { isIP } from "node:net";
import type { MachineFacts } from "@fediversity/core";
import { type NixInput, type NixNode, nix } from "@fediversity/core/nix";

/** A port opened to a set of source addresses (IP literals). */
export interface SourceRule {
  /** TCP port. */
  port: number;
  /** What the port is, for the rule comment. */
  what: string;
  /** Source machines; their `host` is an IP address (checked by the caller). */
  sources: MachineFacts[];
}

/** The firewall part of a storage node's module. */
export interface FirewallPlan {
  /** Ports opened to everyone (`networking.firewall.allowedTCPPorts`). */
  openPorts: number[];
  /** Ports opened to given addresses only. */
  rules: SourceRule[];
}

/** iptables commands (NixOS's default firewall backend): appended to the `nixos-fw` chain before its final refusal. */
export function iptablesCommands(rules: readonly SourceRule[]): string {
  const lines: string[] = [];
  for (const rule of rules) {
    lines.push(`# ${rule.what} (port ${rule.port})`);
    for (const source of rule.sources) {
      const tool = isIP(source.host) === 6 ? "ip6tables" : "iptables";
      lines.push(`${tool} -w -A nixos-fw -p tcp -s ${source.host} --dport ${rule.port} -j nixos-fw-accept`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/** nftables rules for the `input-allow` chain of NixOS's nftables firewall. */
export function nftablesRules(rules: readonly SourceRule[]): string {
  const lines: string[] = [];
  for (const rule of rules) {
    for (const [family, version] of [
      ["ip", 4],
      ["ip6", 6],
    ] as const) {
      const hosts = rule.sources.filter((s) => isIP(s.host) === version).map((s) => s.host);
      if (hosts.length === 0) continue;
      lines.push(`${family} saddr { ${hosts.join(", ")} } tcp dport ${rule.port} accept comment "${rule.what}"`);
    }
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}

/**
 * `networking.firewall` settings. Address-restricted rules are written for both NixOS firewall backends; each is
 * active only under its backend (`networking.firewall.backend`, or `networking.nftables.enable` on releases without
 * it), so the module works with either and never trips the other backend's assertions.
 */
export function firewallModule(plan: FirewallPlan): Record<string, NixInput> | undefined {
  const firewall: Record<string, NixInput> = {};
  if (plan.openPorts.length > 0)
    firewall.allowedTCPPorts = nix.list([...new Set(plan.openPorts)].sort((a, b) => a - b));
  const rules = plan.rules.filter((r) => r.sources.length > 0);
  if (rules.length > 0) {
    firewall.extraCommands = nix.mkIf(backendIs("iptables"), nix.ind(iptablesCommands(rules)));
    firewall.extraInputRules = nix.mkIf(backendIs("nftables"), nix.ind(nftablesRules(rules)));
  }
  return Object.keys(firewall).length > 0 ? firewall : undefined;
}

function backendIs(backend: "iptables" | "nftables"): NixNode {
  const current = nix.select(
    nix.ref("config"),
    ["networking", "firewall", "backend"],
    nix.if(nix.ref("config.networking.nftables.enable"), "nftables", "iptables"),
  );
  return nix.op(current, "==", backend);
}
