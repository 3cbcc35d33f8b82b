import { deploymentGraph, toDot, toMermaid } from "@fediversity/core";
import { EXIT } from "../terminal/global-options.js";
import {
  ADOPT_OPTION,
  ALLOW_MOVES_OPTION,
  ALLOW_STORAGE_CHANGES_OPTION,
  CONFIG_OPTION,
  planFromFlags,
  STATE_OPTION,
  stringFlag,
} from "./shared.js";
import type { Command } from "./types.js";

/** `fedi graph`: a diagram of the planned deployment. */
export const graphCommand: Command = {
  name: "graph",
  summary: "draw machines, instances, buckets and who talks to whom (Mermaid or DOT)",
  usage:
    "fedi graph [--config FILE] [--format mermaid|dot] [--state DIR] [--allow-moves] [--allow-storage-changes] [--adopt NAMES]",
  description: [
    "Plans the deployment (without writing files) and prints a diagram on stdout: one frame per machine with its",
    "service instances and storage node, the storage cluster with its buckets, the S3 traffic of each service and",
    "the RPC links between storage nodes.",
  ].join("\n"),
  options: {
    config: CONFIG_OPTION,
    format: {
      type: "string",
      short: "f",
      valueName: "FORMAT",
      description: "diagram language (default: mermaid)",
      choices: ["mermaid", "dot"],
    },
    state: STATE_OPTION,
    "allow-moves": ALLOW_MOVES_OPTION,
    "allow-storage-changes": ALLOW_STORAGE_CHANGES_OPTION,
    adopt: ADOPT_OPTION,
  },
  examples: [
    { command: "fedi graph > deployment.mmd", description: "a Mermaid flowchart (paste it into a ```mermaid block)" },
    { command: "fedi graph --format dot | dot -Tsvg > deployment.svg", description: "an SVG through Graphviz" },
  ],
  async run(ctx) {
    const { plan } = await planFromFlags(ctx);
    const graph = deploymentGraph(plan);
    ctx.io.stdout.write(stringFlag(ctx.flags, "format") === "dot" ? toDot(graph) : toMermaid(graph));
    return EXIT.ok;
  },
};
