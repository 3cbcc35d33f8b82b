// A hosting provider with 24 machines in three racks serves many operators (customers), each with the services they
// asked for. Storage is separate: two Garage nodes per rack, three copies of every object spread over the racks.
// Everything below is generated from two small tables (racks, operators): the config is TypeScript.
// Plan it: node packages/cli/dist/bin.js plan --config examples/hosting-provider --out out/hosting-provider
import { defineDeployment } from "@fediversity/cli";

/** The machines' SSH host keys (public), in machine order: 2 storage + 6 service machines per rack. */
const HOST_KEYS = [
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILxumalDMrwOUltE7bp1JNg4oMgXFfgr5iaiMmSTvuW7",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMw5jR7bj6k7Fo7EADLfJQiE3QwiKhSR6twrdVULd8Rz",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMnUYw3IqGB9iukwM7xPl3S8YX1cvyw/nWU6lb2NRRk9",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN7uNMWr+nGiaTonUB9e6LC21tH7tzYs3cuyfAbgbTLD",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN7l3aCZ7YFl2pqwDr5Qq3h9kLXrCII5Nc0Lax7srD5m",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII2ZXhgg8reP/qQEHVt91BJwvplYqM0FUEf3kGMdJZRl",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN6EmHY8LXivpMZKrs5d7YOv31oujKr8G0TytSH8k/7F",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILY/W67dPg+iA39jf3CkLAJoX5iIfMJPHHZw74PYaSWF",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA6LthqI128IXNA2gjH71NNOBYqBCzQXfkDnsKn7/mpH",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINhIdceaJPpbx76VArJjHB3HGmVKx5u9VhMpoWdgss9S",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINkk3Q4BZqz3TWeoyuy3svgioHo7zGYXCf1wo0VbaZ81",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBb3pAMFyDhqA4QBFqlPEPHLEn4YPTRAVvLeQ2F6FTgW",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFOPTy58Il59ReG3AYDD0C1OSuH7B+46zzQJV50790Wp",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ7UR1KMhAYhksE4Z/Webfb2Oso+osbYflc4UeNgK7w9",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL7MJ9PDwzyqwa4HlqstDDABg4ZROpCk9PCkZi0ze2hd",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDhHkfdnbyKQvInGUJx0Njt2KLuSvC95enDN45s8RBlP",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAS1GDrieFgryLBxbXiW0utB2iF4lZ2RuFqkprSkkz/7",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGrQRa8W17gNNaD8PYEQbihin0Z526xiyddk06aQK9P1",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICd9ma1W5uHZgcW+au4nUXXYpYZU5EUqS3zfaIoDUB1y",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHlTzips+Cl5Uz6tQAdg0uSy+TpU/0G4zbI4Zms93Xo",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII+AhpqUyMOuJ7nb5R48YNA8Z6TbzPMO5GIer4pk7446",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFWfe2uT8k+t7nM4+1xkJLa/Bi7D5mpx+hpWzPaT7g68",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOqkuccvcv9+n4XcLYYvXgacUBmsyyexE9EBqcEpUxPP",
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGVafo7+rtsVEYmFDk+WPskaVEKB3piFh0gFiNt+iADu",
];

/** Racks (failure zones) and their address blocks (documentation ranges). */
const RACKS = [
  { zone: "rack-a", prefix: "198.51.100" },
  { zone: "rack-b", prefix: "203.0.113" },
  { zone: "rack-c", prefix: "192.0.2" },
];
const STORAGE_PER_RACK = 2;
const SERVICE_MACHINES_PER_RACK = 6;

type Kind = "mastodon" | "pixelfed" | "peertube";

/** Operators and what they host; `big` instances get more memory than the plugin's default. */
const OPERATORS: Array<{ slug: string; services: Kind[]; big?: Kind[] }> = [
  { slug: "makers-guild", services: ["mastodon", "pixelfed"] },
  { slug: "river-news", services: ["mastodon", "peertube"], big: ["peertube"] },
  { slug: "city-library", services: ["mastodon", "pixelfed", "peertube"], big: ["mastodon"] },
  { slug: "open-science", services: ["mastodon", "peertube"] },
  { slug: "photo-club", services: ["pixelfed"] },
  { slug: "film-school", services: ["peertube", "pixelfed"], big: ["peertube"] },
  { slug: "cycling-union", services: ["mastodon"] },
  { slug: "food-coop", services: ["mastodon", "pixelfed"] },
  { slug: "music-archive", services: ["peertube"] },
  { slug: "climate-lab", services: ["mastodon", "peertube"] },
  { slug: "hiking-club", services: ["pixelfed"] },
  { slug: "student-union", services: ["mastodon", "pixelfed", "peertube"], big: ["mastodon"] },
  { slug: "local-council", services: ["mastodon", "peertube"] },
  { slug: "artists-collective", services: ["pixelfed", "mastodon"] },
];

/** Sub-domain and instance-name suffix per kind. */
const LABEL: Record<Kind, string> = { mastodon: "social", pixelfed: "photos", peertube: "videos" };
/** Memory of a `big` instance (the plugins' defaults: Mastodon and Pixelfed 4 GiB, PeerTube 5 GiB). */
const BIG_MEMORY_MIB = 8192;

/** The operators' key allowed to log in as root once the SDK's configuration is active. */
const OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJeBFqfjk8dHYUqt/NJ46s3PQjLzxwLldl9F9+iap5k3 ops@example.org";

/**
 * What \`fedi adopt\` reads from each machine, the same on this provider's identical VMs: the NixOS release they were
 * installed with, BIOS GRUB on the first disk, and the root file system (as \`nixos\` data here; \`fedi adopt\` writes
 * a hardware-configuration.nix per machine instead, to import with \`nixosImports\`).
 */
const ADOPTED = {
  stateVersion: "25.05",
  boot: { loader: "grub" as const, devices: ["/dev/vda"] },
  nixos: { fileSystems: { "/": { device: "/dev/disk/by-label/nixos", fsType: "ext4" } } },
};

let keyIndex = 0;
const nextKey = () => {
  const key = HOST_KEYS[keyIndex++];
  if (!key) throw new Error("examples/hosting-provider: add a host key to HOST_KEYS for every machine");
  return key;
};

const machines = RACKS.flatMap(({ zone, prefix }, rack) => [
  ...Array.from({ length: STORAGE_PER_RACK }, (_, i) => ({
    name: `store-${rack + 1}${i + 1}`,
    host: `${prefix}.${10 + i}`,
    zone,
    roles: ["storage" as const],
    ssh: { hostPublicKey: nextKey(), authorizedKeys: [OPS_KEY] },
    resources: { cpus: 4, memoryMiB: 8192, diskGiB: 8000 },
    ...ADOPTED,
  })),
  ...Array.from({ length: SERVICE_MACHINES_PER_RACK }, (_, i) => ({
    name: `svc-${rack + 1}${String(i + 1).padStart(2, "0")}`,
    host: `${prefix}.${100 + i}`,
    zone,
    roles: ["services" as const],
    ssh: { hostPublicKey: nextKey(), authorizedKeys: [OPS_KEY] },
    resources: { cpus: 16, memoryMiB: 32768, diskGiB: 400 },
    ...ADOPTED,
  })),
]);

const services = OPERATORS.flatMap(({ slug, services: kinds, big = [] }) =>
  kinds.map((kind) => ({
    name: `${slug}-${LABEL[kind]}`,
    kind,
    options: {
      domain: `${LABEL[kind]}.${slug}.example.org`,
      adminEmail: `admin@${slug}.example.org`,
      // Mail goes through the provider's relay; the password is a secret: fedi secret set <instance>.smtp-password.
      smtp: { mode: "relay" as const, host: "smtp.example.org", user: `${slug}@smtp.example.org` },
      ...(big.includes(kind) ? { resources: { memoryMiB: BIG_MEMORY_MIB } } : {}),
    },
  })),
);

export default defineDeployment({
  name: "provider",
  acme: { email: "hostmaster@example.org" },
  machines,
  storage: {
    kind: "garage",
    options: {
      replicationFactor: 3,
      webRootDomain: "media.example.org",
      s3RootDomain: "s3.example.org",
    },
  },
  services,
});
