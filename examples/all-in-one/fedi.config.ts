// The April MVP demo: one existing NixOS machine runs a single-node Garage (one copy of each object) and one instance
// each of Mastodon, Pixelfed and PeerTube, their media in Garage buckets.
// Plan it from the repository root: npm run demo (or: node packages/cli/dist/bin.js plan --config examples/all-in-one).
import { defineDeployment } from "@fediversity/cli";

const adminEmail = "admin@example.org";

export default defineDeployment({
  name: "demo",
  // Staging CA while trying things out: untrusted certificates, no rate limits.
  acme: { email: adminEmail, staging: true },
  machines: [
    {
      name: "fedi01",
      host: "203.0.113.10",
      ssh: {
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N",
        // Who may log in as root once the SDK's configuration is active (it replaces the machine's own).
        authorizedKeys: [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBFqfjk8dHYUqt/NJ46s3PQjLzxwLldl9F9+iap5k3 ops@example.org",
        ],
      },
      // Mastodon 4 GiB + Pixelfed 4 GiB + PeerTube 5 GiB + Garage 1 GiB + 1 GiB for the OS.
      resources: { cpus: 8, memoryMiB: 20480, diskGiB: 500 },
      // What \`fedi adopt fedi01\` read from the machine: the generated configuration replaces the machine's own,
      // so it must bring what the machine needs to boot. The NixOS release it was installed with, its boot loader
      // and its hardware configuration (file systems, kernel modules), written beside this file.
      stateVersion: "25.05",
      boot: { loader: "grub", devices: ["/dev/vda"] },
      nixosImports: ["machines/fedi01/hardware-configuration.nix"],
    },
  ],
  storage: {
    kind: "garage",
    options: {
      replicationFactor: 1,
      // Public media at https://<bucket>.media.example.org (wildcard DNS record to the machine).
      webRootDomain: "media.example.org",
      // Virtual-host style S3 (<bucket>.s3.example.org), which PeerTube needs.
      s3RootDomain: "s3.example.org",
    },
  },
  services: [
    { name: "social", kind: "mastodon", options: { domain: "social.example.org", adminEmail } },
    { name: "photos", kind: "pixelfed", options: { domain: "photos.example.org", adminEmail } },
    { name: "videos", kind: "peertube", options: { domain: "videos.example.org", adminEmail } },
  ],
});
