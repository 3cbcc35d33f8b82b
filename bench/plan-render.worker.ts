// One benchmark run in a fresh process, so that peak memory is this size's alone. Prints one JSON line.
import { createPlanFromUnknown, createRegistry, deploymentFiles } from "@fediversity/core";
import { mastodon } from "@fediversity/service-mastodon";
import { peertube } from "@fediversity/service-peertube";
import { pixelfed } from "@fediversity/service-pixelfed";
import { garage } from "@fediversity/storage-garage";
import { syntheticSpec } from "./synthetic-spec.js";

const machines = Number(process.argv[2]);
const spec = syntheticSpec(machines);
const registry = createRegistry([garage, mastodon, pixelfed, peertube]);
const start = process.hrtime.bigint();
const plan = createPlanFromUnknown({ spec, registry });
const files = deploymentFiles(plan);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
let bytes = 0;
for (const text of files.values()) bytes += text.length;
console.log(
  JSON.stringify({
    machines,
    instances: plan.instances.length,
    ms,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    files: files.size,
    outputMiB: bytes / 1024 / 1024,
  }),
);
