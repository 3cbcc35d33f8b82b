import type { DeploymentSpecInput } from "@fediversity/core";

const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAiszi43aOWWV7voNgQ1Ifa7LGKwGJfOuiLM1n42h2Y8";

/** What `fedi adopt` would add to each machine: stateVersion, boot loader, root file system, an authorized key. */
const ADOPTED = {
  stateVersion: "25.05",
  boot: { loader: "grub" as const, devices: ["/dev/vda"] },
  nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } } },
};

/**
 * A synthetic deployment: `n` service machines (plus three Garage nodes in three zones), each with room for one
 * Mastodon, one Pixelfed and one PeerTube instance — three instances per machine.
 */
export function syntheticSpec(n: number): DeploymentSpecInput {
  const machines = [];
  for (let z = 0; z < 3; z++) {
    machines.push({
      name: `store${z}`,
      host: `10.255.0.${z + 1}`,
      zone: `zone-${z}`,
      roles: ["storage" as const],
      ssh: { hostPublicKey: HOST_KEY, authorizedKeys: [HOST_KEY] },
      resources: { cpus: 8, memoryMiB: 16384, diskGiB: 4000 },
      ...ADOPTED,
    });
  }
  const services = [];
  for (let i = 0; i < n; i++) {
    machines.push({
      name: `web${i}`,
      host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      roles: ["services" as const],
      ssh: { hostPublicKey: HOST_KEY, authorizedKeys: [HOST_KEY] },
      resources: { cpus: 16, memoryMiB: 16384 + 4096, diskGiB: 500 },
      ...ADOPTED,
    });
    for (const kind of ["mastodon", "pixelfed", "peertube"]) {
      services.push({
        name: `${kind.slice(0, 4)}${i}`,
        kind,
        options: { domain: `${kind}${i}.example.org`, adminEmail: `admin@${kind}${i}.example.org` },
      });
    }
  }
  return {
    name: "bench",
    acme: { email: "ops@example.org" },
    machines,
    storage: {
      kind: "garage",
      options: { replicationFactor: 3, s3RootDomain: "s3.bench.example.org", webRootDomain: "web.bench.example.org" },
    },
    services,
  };
}
