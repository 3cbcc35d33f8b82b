// Type tests of defineDeployment (issue 13 item 1): compiled by `npm run typecheck`, never run. Each
// `@ts-expect-error` fails the compile when its line stops being an error; the plain lines prove the accepted forms.
import { createPlan, createRegistry, type MachineInput } from "@fediversity/core";
import { mastodon } from "@fediversity/service-mastodon";
import { garage } from "@fediversity/storage-garage";
import { expectTypeOf } from "vitest";
import { type DeploymentConfig, type DeploymentConfigOf, defineDeployment } from "../../src/index.js";
import { site } from "../support/plugins.js";

const box: MachineInput = {
  name: "fedi01",
  host: "203.0.113.10",
  ssh: { hostPublicKey: "ssh-ed25519 AAAA" },
  resources: { cpus: 4, memoryMiB: 8192, diskGiB: 100 },
};
const storage = { kind: "garage", options: { replicationFactor: 1 } } as const;
const social = { domain: "social.example.org", adminEmail: "admin@example.org" };

// Accepted: the built-in plugins' kinds and options.
const config = defineDeployment({
  name: "demo",
  machines: [box],
  storage: { kind: "garage", options: { replicationFactor: 1, webRootDomain: "media.example.org" } },
  services: [
    { name: "social", kind: "mastodon", options: { ...social, registrations: "approval" } },
    { name: "photos", kind: "pixelfed", options: { domain: "photos.example.org", adminEmail: "admin@example.org" } },
  ],
});
expectTypeOf(config).toEqualTypeOf<DeploymentConfigOf>();
// A typed config is still a DeploymentConfig (what the loader reads).
expectTypeOf(config).toExtend<DeploymentConfig>();

// Refused: a misspelt Mastodon option, a wrong value type, an unknown kind, a misspelt Garage option.
defineDeployment({
  name: "demo",
  machines: [box],
  storage,
  services: [
    // @ts-expect-error: 'domian' is not a Mastodon option
    { name: "a", kind: "mastodon", options: { domian: "social.example.org", adminEmail: "admin@example.org" } },
    // @ts-expect-error: registrations is "closed" | "approval" | "open"
    { name: "b", kind: "mastodon", options: { ...social, registrations: "yes" } },
    // @ts-expect-error: no plugin provides 'mastadon'
    { name: "c", kind: "mastadon", options: social },
    // @ts-expect-error: 'site' is a kind only when its plugin is given in `plugins`
    { name: "d", kind: "site", options: { domain: "d.example.org" } },
  ],
});
defineDeployment({
  name: "demo",
  machines: [box],
  // @ts-expect-error: 'replicationFactr' is not a Garage option
  storage: { kind: "garage", options: { replicationFactr: 1 } },
});

// A third-party plugin given in `plugins` adds its kind and options.
const withSite = defineDeployment({
  name: "demo",
  plugins: [site],
  machines: [box],
  storage,
  services: [
    { name: "blog", kind: "site", options: { domain: "blog.example.org", memoryMiB: 512 } },
    { name: "social", kind: "mastodon", options: social },
  ],
});
expectTypeOf(withSite).toEqualTypeOf<DeploymentConfigOf<readonly [typeof site]>>();
defineDeployment({
  name: "demo",
  plugins: [site],
  machines: [box],
  storage,
  services: [
    // @ts-expect-error: 'memoryMib' is not an option of site
    { name: "blog", kind: "site", options: { domain: "blog.example.org", memoryMib: 512 } },
    // @ts-expect-error: site's domain is a string
    { name: "blog2", kind: "site", options: { domain: 42 } },
  ],
});

// The function forms (sync and async) are typed the same way.
const sync = defineDeployment(() => ({ name: "demo", machines: [box], storage }));
expectTypeOf(sync).toEqualTypeOf<() => DeploymentConfigOf | Promise<DeploymentConfigOf>>();
// A function that computes a config with extra plugins returns the object form, which infers them.
const computed = defineDeployment(async () =>
  defineDeployment({
    name: "demo",
    plugins: [site],
    machines: [box],
    storage,
    services: [{ name: "blog", kind: "site", options: { domain: "blog.example.org" } }],
  }),
);
expectTypeOf(computed).toExtend<() => unknown>();
// In the function form the compiler reports a wrong option at the function (the return value is inferred first).
// @ts-expect-error: 'domian' is not a Mastodon option
defineDeployment(() => ({
  name: "demo",
  machines: [box],
  storage,
  services: [{ name: "a", kind: "mastodon", options: { domian: "x", adminEmail: "admin@example.org" } }],
}));

// The embedding path: a registry of the real plugins plans a typed spec; narrowed by kind, options are Mastodon's.
const { plugins: _none, ...spec } = config;
const plan = createPlan({ spec, registry: createRegistry([garage, mastodon, ...([] as [])]) as never });
void plan;
const typed = createPlan({
  registry: createRegistry([garage, mastodon]),
  spec: { name: "demo", machines: [box], storage, services: [{ name: "social", kind: "mastodon", options: social }] },
});
for (const instance of typed.instances) {
  expectTypeOf(instance.kind).toEqualTypeOf<"mastodon">();
  expectTypeOf(instance.options.registrations).toEqualTypeOf<"closed" | "approval" | "open">();
}
