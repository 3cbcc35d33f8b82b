import { createPlanFromUnknown, createRegistry, deploymentGraph, toDot, toMermaid } from "@fediversity/core";
import { describe, expect, it } from "vitest";
import { blobs, machine, site } from "./support/plugins.js";

const registry = createRegistry([site, blobs]);
const plan = createPlanFromUnknown({
  registry,
  spec: {
    name: "prov",
    machines: [
      machine("store1", "192.0.2.1", { roles: ["storage"], zone: "a" }),
      machine("store2", "192.0.2.2", { roles: ["storage"], zone: "b" }),
      machine("store3", "192.0.2.3", { roles: ["storage"], zone: "c" }),
      machine("app1", "192.0.2.11", { roles: ["services"] }),
      machine("app2", "192.0.2.12", { roles: ["services"] }),
    ],
    storage: { kind: "blobs" },
    services: [
      { name: "one", kind: "site", options: { domain: "one.example.org" } },
      { name: "two", kind: "site", options: { domain: "two.example.org" } },
    ],
  },
});

describe("deployment graph", () => {
  const graph = deploymentGraph(plan);

  it("has a frame per machine with its instances and storage node, and the cluster with every bucket", () => {
    const machines = graph.groups.filter((g) => g.id.startsWith("m"));
    expect(machines.map((g) => g.label[0])).toEqual(plan.machines.map((m) => m.name));
    for (const m of plan.machines) {
      const group = machines.find((g) => g.label[0] === m.name)!;
      expect(group.nodes.filter((n) => n.kind === "instance").map((n) => n.label[0])).toEqual(m.instances);
      expect(group.nodes.some((n) => n.kind === "storage-node")).toBe(m.storageNode);
    }
    const cluster = graph.groups.find((g) => g.id === "storage")!;
    expect(cluster.nodes.filter((n) => n.kind === "bucket").map((n) => n.label[0])).toEqual(
      plan.buckets.map((b) => b.name),
    );
  });

  it("connects storage nodes pairwise and every instance with buckets to S3", () => {
    const rpc = graph.edges.filter((e) => e.kind === "rpc");
    expect(rpc).toHaveLength(3); // 3 nodes → 3 pairs
    const s3From = new Set(graph.edges.filter((e) => e.kind === "s3" && e.from.startsWith("i")).map((e) => e.from));
    expect(s3From.size).toBe(plan.instances.length);
  });

  it("points an instance at the node its recorded S3 endpoint names (loopback: its own machine)", () => {
    const withEndpoint = structuredClone(plan);
    (withEndpoint.instances[0] as unknown as { s3: { endpoint: string } }).s3 = { endpoint: "http://192.0.2.2:3900" };
    const g = deploymentGraph(withEndpoint);
    const node2 = g.groups.find((x) => x.label[0] === "store2")!.nodes[0]!.id;
    expect(g.edges).toContainEqual({ from: "i0", to: node2, label: "S3", kind: "s3" });
  });

  it("renders Mermaid with balanced subgraphs and every edge", () => {
    const text = toMermaid(graph);
    expect(text.startsWith("flowchart LR\n")).toBe(true);
    expect((text.match(/^\s*subgraph /gm) ?? []).length).toBe(graph.groups.length);
    expect((text.match(/^\s*end$/gm) ?? []).length).toBe(graph.groups.length);
    expect((text.match(/ <-->\|"RPC"\| /g) ?? []).length).toBe(3);
    for (const b of plan.buckets) expect(text).toContain(b.name);
  });

  it("renders DOT with balanced braces, one cluster per group and every edge", () => {
    const text = toDot(graph);
    expect(text.split("{").length).toBe(text.split("}").length);
    expect((text.match(/subgraph "cluster_/g) ?? []).length).toBe(graph.groups.length);
    expect((text.match(/ -> /g) ?? []).length).toBe(graph.edges.length);
    expect((text.match(/dir=both/g) ?? []).length).toBe(3);
  });
});
