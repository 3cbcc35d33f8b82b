// The CommonJS consumer (this project has no "type": "module"): the same program, compiled to require() calls.
import { basename } from "node:path";
import { defineDeployment } from "@fediversity/cli";
import { createPlan, createPlanFromUnknown, createRegistry, isFediError, type Plan } from "@fediversity/core";
import { printNix } from "@fediversity/core/nix";
import { secretLookingValues } from "@fediversity/core/testing";
import { type MastodonOptionsInput, mastodon } from "@fediversity/service-mastodon";
import { peertube } from "@fediversity/service-peertube";
import { pixelfed } from "@fediversity/service-pixelfed";
import { garage } from "@fediversity/storage-garage";

const social: MastodonOptionsInput = { domain: "social.example.org", adminEmail: "admin@example.org" };
const deployment = defineDeployment({
  name: "consumer",
  acme: { email: "admin@example.org", staging: true },
  machines: [
    {
      name: "fedi01",
      host: "203.0.113.10",
      ssh: {
        hostPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N",
        authorizedKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMEnLm19Hsm2mDZSZOCeON/RzNJ7CkeQf3kBNuba+y/N ops"],
      },
      resources: { cpus: 4, memoryMiB: 8192, diskGiB: 100 },
      // what `fedi adopt` prints: the machine's stateVersion, boot loader and root file system
      stateVersion: "25.05",
      boot: { loader: "grub", devices: ["/dev/vda"] },
      nixos: { fileSystems: { "/": { device: "/dev/vda1", fsType: "ext4" } } },
    },
  ],
  storage: {
    kind: "garage",
    options: { replicationFactor: 1, webRootDomain: "media.example.org", s3RootDomain: "s3.example.org" },
  },
  services: [{ name: "social", kind: "mastodon", options: social }],
});

// The config is typed by fedi's built-in plugins, so a registry of the same plugins plans it as a typed spec.
const registry = createRegistry([garage, mastodon, pixelfed, peertube]);
const typed = createPlan({ spec: deployment, registry });
const plan: Plan = typed;
// Narrowed by kind, an instance's options have the plugin's type (a compile-time check of the packed types).
const domains: string[] = typed.instances.flatMap((i) => (i.kind === "mastodon" ? [i.options.domain] : []));

let refused = "nothing";
try {
  // Data of unknown shape (here: deliberately invalid) goes through the untyped entry; validation is the same.
  createPlanFromUnknown({ spec: { ...deployment, machines: [] }, registry });
} catch (error) {
  refused = isFediError(error) ? error.code : "an error that is no FediError";
}

console.log(
  JSON.stringify({
    // How this program was loaded, and (under require) which file of core it got.
    module: typeof require === "undefined" ? "esm" : `cjs ${basename(require.resolve("@fediversity/core"))}`,
    instances: plan.instances.map((instance) => `${instance.name}:${instance.kind}@${instance.machine}`),
    domains,
    buckets: plan.buckets.map((bucket) => bucket.name),
    refused,
    // The plugin test kit's secret finder: one value is a secret, the other a file path (fine).
    testKit: secretLookingValues({ smtp: { password: "hunter2", passwordFile: "/run/fedi/smtp" } }),
    nix: printNix({ enable: true }),
  }),
);
