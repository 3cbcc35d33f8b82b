// Type tests (issue 13 item 1, "types that follow the plugins"): compiled by `npm run typecheck` (tsconfig.json takes
// packages/*/test), never run. Each `@ts-expect-error` fails the compile when its line stops being an error, so the
// refused forms are proved refused and the accepted forms (plain lines) accepted.
import { expectTypeOf } from "vitest";
import type { z } from "zod";
import {
  createPlan,
  createPlanFromUnknown,
  createRegistry,
  type DeploymentSpecInputOf,
  defineSpec,
  type MachineInput,
  type Plan,
  type PlannedInstance,
  type PluginRegistry,
} from "../../src/index.js";
import { toyStorage, webApp, worker } from "../fixtures/plugins.js";

const box: MachineInput = {
  name: "box",
  host: "10.0.0.1",
  ssh: { hostPublicKey: "ssh-ed25519 AAAA" },
  resources: { cpus: 8, memoryMiB: 16384, diskGiB: 200 },
};
const plugins = [toyStorage, webApp, worker] as const;
const registry = createRegistry(plugins);

// defineService / defineStorage keep the literal kind and the schema's input and output.
expectTypeOf(webApp.kind).toEqualTypeOf<"webapp">();
expectTypeOf(toyStorage.kind).toEqualTypeOf<"toystore">();
expectTypeOf<z.input<typeof webApp.options>>().toEqualTypeOf<{
  domain: string;
  memoryMiB?: number | undefined;
  cpus?: number | undefined;
  diskGiB?: number | undefined;
}>();
expectTypeOf<z.output<typeof webApp.options>["memoryMiB"]>().toEqualTypeOf<number>();
expectTypeOf(registry).toEqualTypeOf<PluginRegistry<readonly [typeof toyStorage, typeof webApp, typeof worker]>>();

// Accepted: known kinds with their options (optional `options` when the schema accepts {}).
const spec = defineSpec(plugins, {
  name: "prod",
  machines: [box],
  storage: { kind: "toystore", options: { region: "eu" } },
  services: [
    { name: "web", kind: "webapp", options: { domain: "web.example.org", memoryMiB: 512 } },
    { name: "jobs", kind: "worker" },
  ],
});
expectTypeOf(spec.storage.kind).toEqualTypeOf<"toystore">();
expectTypeOf<NonNullable<DeploymentSpecInputOf<typeof plugins>["services"]>[number]["kind"]>().toEqualTypeOf<
  "webapp" | "worker"
>();

// Refused: a misspelt option (excess property), a value of the wrong type, an unknown kind, a missing required option.
defineSpec(plugins, {
  name: "prod",
  machines: [box],
  storage: { kind: "toystore" },
  services: [
    // @ts-expect-error: 'domian' is not an option of webapp
    { name: "web", kind: "webapp", options: { domian: "web.example.org" } },
    // @ts-expect-error: memoryMiB is a number
    { name: "web2", kind: "webapp", options: { domain: "web2.example.org", memoryMiB: "512" } },
    // @ts-expect-error: no plugin provides the kind 'webap'
    { name: "web3", kind: "webap", options: { domain: "web3.example.org" } },
    // @ts-expect-error: webapp's domain is required
    { name: "web4", kind: "webapp", options: {} },
  ],
});

// Refused: a wrong storage option and an unknown storage kind.
defineSpec(plugins, {
  name: "prod",
  machines: [box],
  // @ts-expect-error: 'regoin' is not an option of toystore
  storage: { kind: "toystore", options: { regoin: "eu" } },
});
defineSpec(plugins, {
  name: "prod",
  machines: [box],
  // @ts-expect-error: no storage plugin provides 'garage' here
  storage: { kind: "garage", options: {} },
});

// createPlan with a typed registry takes the typed spec, and refuses the same mistakes.
const plan = createPlan({ spec, registry });
createPlan({
  registry,
  spec: {
    name: "prod",
    machines: [box],
    storage: { kind: "toystore" },
    // @ts-expect-error: 'domian' is not an option of webapp
    services: [{ name: "web", kind: "webapp", options: { domian: "web.example.org" } }],
  },
});

// Plan<P>: an instance narrowed by kind has its plugin's validated options (the schema's output, defaults applied).
const instance = plan.instances[0]!;
expectTypeOf(instance.kind).toEqualTypeOf<"webapp" | "worker">();
// @ts-expect-error: before narrowing, options are a union that not every member has 'domain' in
void instance.options.domain;
if (instance.kind === "webapp") {
  expectTypeOf(instance.options).toEqualTypeOf<z.output<typeof webApp.options>>();
  expectTypeOf(instance.options.memoryMiB).toEqualTypeOf<number>();
} else {
  expectTypeOf(instance.options).toEqualTypeOf<{ memoryMiB: number }>();
}
if (plan.storage.kind === "toystore") expectTypeOf(plan.storage.options.region).toEqualTypeOf<string>();
// A typed plan is a Plan: every function that takes a Plan takes it.
expectTypeOf(plan).toExtend<Plan>();

// The default Plan keeps its untyped meaning: string kinds, unknown options.
expectTypeOf<Plan["instances"][number]>().toEqualTypeOf<PlannedInstance>();
expectTypeOf<Plan["instances"][number]["options"]>().toEqualTypeOf<unknown>();
expectTypeOf<Plan["storage"]["kind"]>().toEqualTypeOf<string>();

// The untyped entry: data of unknown shape (JSON from a web form) plans through createPlanFromUnknown, typed plan out.
const fromForm: unknown = JSON.parse("{}");
const planned = createPlanFromUnknown({ spec: fromForm, registry });
expectTypeOf(planned).toEqualTypeOf<Plan<readonly [typeof toyStorage, typeof webApp, typeof worker]>>();
// @ts-expect-error: createPlan with a typed registry does not take a value of unknown shape
createPlan({ spec: fromForm, registry });
// An untyped registry (plugins known only at run time) takes any spec, as before.
const untyped: PluginRegistry = createRegistry([toyStorage, webApp] as Array<typeof toyStorage | typeof webApp>);
expectTypeOf(createPlan({ spec: fromForm, registry: untyped })).toEqualTypeOf<Plan>();
