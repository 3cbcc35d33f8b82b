// A small spec for the stage tests: two machines, toy storage on the first, a web app and a worker.
import { createRegistry } from "../../../src/index.js";
import { machine, testPlugins } from "../../fixtures/plugins.js";

/** The registry of the test plugins. */
export const registry = createRegistry(testPlugins);

/** Two machines (`a` holds the toy storage), a web app with a bucket and a worker. */
export function twoMachines(): any {
  return {
    name: "demo",
    acme: { email: "ops@example.org" },
    machines: [machine("a", "10.0.0.1"), machine("b", "10.0.0.2")],
    storage: { kind: "toystore", options: {} },
    services: [
      { name: "social", kind: "webapp", options: { domain: "social.example.org" } },
      { name: "jobs", kind: "worker", options: {} },
    ],
  };
}
