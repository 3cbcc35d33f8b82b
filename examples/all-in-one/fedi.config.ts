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
      ssh: { hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N" },
      // Mastodon 4 GiB + Pixelfed 4 GiB + PeerTube 5 GiB + Garage 1 GiB + 1 GiB for the OS.
      resources: { cpus: 8, memoryMiB: 20480, diskGiB: 500 },
      // The generated configuration replaces the machine's own: bring what it needs to boot (a copy of its
      // /etc/nixos/hardware-configuration.nix).
      nixosImports: ["hardware-configuration.nix"],
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
