// A deployment with the GoToSocial example plugin beside the built-in ones: one machine runs Garage, Mastodon and
// GoToSocial. Check it from the repository root: node packages/cli/dist/bin.js validate --config examples/plugin-gotosocial
import { defineDeployment } from "@fediversity/cli";
import { gotosocial } from "./src/index.js";

export default defineDeployment({
  name: "gts",
  acme: { email: "ops@example.org", staging: true },
  plugins: [gotosocial],
  machines: [
    {
      name: "fedi01",
      host: "203.0.113.10",
      ssh: {
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N",
        authorizedKeys: [
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBFqfjk8dHYUqt/NJ46s3PQjLzxwLldl9F9+iap5k3 ops@example.org",
        ],
      },
      resources: { cpus: 8, memoryMiB: 16384, diskGiB: 400 },
      stateVersion: "25.05",
      boot: { loader: "grub", devices: ["/dev/vda"] },
      nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } } },
    },
  ],
  storage: { kind: "garage", options: { replicationFactor: 1, webRootDomain: "media.example.org" } },
  services: [
    { name: "social", kind: "mastodon", options: { domain: "social.example.org", adminEmail: "ops@example.org" } },
    { name: "chat", kind: "gotosocial", options: { domain: "chat.example.org", instanceName: "Our chat" } },
  ],
});
