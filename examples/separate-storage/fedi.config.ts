// Storage separated from the services (seed epic 5): three Garage nodes in three zones keep three copies of every
// object (replicationFactor 3), and three service machines run Mastodon, Pixelfed and PeerTube, one each.
// Plan it: node packages/cli/dist/bin.js plan --config examples/separate-storage --out out/separate-storage
import { defineDeployment } from "@fediversity/cli";

const adminEmail = "ops@example.org";

/** The operators' key allowed to log in as root once the SDK's configuration is active. */
const OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBFqfjk8dHYUqt/NJ46s3PQjLzxwLldl9F9+iap5k3 ops@example.org";

/**
 * What \`fedi adopt <machine>\` read from each machine: the NixOS release it was installed with, its boot loader
 * (BIOS GRUB on /dev/vda here) and its hardware configuration, written to machines/<name>/hardware-configuration.nix.
 */
const adopted = (name: string) => ({
  stateVersion: "25.05",
  boot: { loader: "grub" as const, devices: ["/dev/vda"] },
  nixosImports: [`machines/${name}/hardware-configuration.nix`],
});

export default defineDeployment({
  name: "separate",
  acme: { email: adminEmail },
  machines: [
    // Storage nodes: roles ["storage"] keeps services off them; one per zone (rack, room or site).
    ...[
      {
        name: "garage-a",
        host: "198.51.100.11",
        zone: "zone-a",
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBLRDa92574212lYZUeyxoS+ZMf4uZjUiPmI9vLaVHUR",
      },
      {
        name: "garage-b",
        host: "198.51.100.12",
        zone: "zone-b",
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK3VbWjpKh0asc0LiV+WhLbKgzpSl91Ur0AvrD9+Ebrg",
      },
      {
        name: "garage-c",
        host: "198.51.100.13",
        zone: "zone-c",
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPdfgn+Cw47OS0MmStOhbwgORGt+SGGpPLAwvbQlKbWs",
      },
    ].map(({ hostPublicKey, ...node }) => ({
      ...node,
      roles: ["storage" as const],
      ssh: { hostPublicKey, authorizedKeys: [OPS_KEY] },
      resources: { cpus: 4, memoryMiB: 8192, diskGiB: 2000 },
      ...adopted(node.name),
    })),
    // Service machines: 8 GiB each fits one service (PeerTube asks 5 GiB, Mastodon and Pixelfed 4 GiB, the OS 1 GiB).
    ...[
      {
        name: "app1",
        host: "203.0.113.21",
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBYPw9rduBF/W6r2mkiaDG/b+1FORAcsAILMjw+FCs9a",
      },
      {
        name: "app2",
        host: "203.0.113.22",
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDV3qBE+oOHTPotM2WmvwSoaTWUCHtlV1fRrYm99vO2b",
      },
      {
        name: "app3",
        host: "203.0.113.23",
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL03CdrX7vM6xuznh5JJzXutuO64Y1RpoKCpuKAaZjpH",
      },
    ].map(({ hostPublicKey, ...machine }) => ({
      ...machine,
      roles: ["services" as const],
      ssh: { hostPublicKey, authorizedKeys: [OPS_KEY] },
      resources: { cpus: 4, memoryMiB: 8192, diskGiB: 200 },
      ...adopted(machine.name),
    })),
  ],
  storage: {
    kind: "garage",
    options: {
      replicationFactor: 3,
      webRootDomain: "media.example.org",
      s3RootDomain: "s3.example.org",
    },
  },
  services: [
    { name: "social", kind: "mastodon", options: { domain: "social.example.org", adminEmail } },
    { name: "photos", kind: "pixelfed", options: { domain: "photos.example.org", adminEmail } },
    { name: "videos", kind: "peertube", options: { domain: "videos.example.org", adminEmail } },
  ],
});
