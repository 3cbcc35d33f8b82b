import type { Plan, PlannedInstance } from "../plan/index.js";

/** A box in the diagram. */
export interface GraphNode {
  /** Identifier, safe in Mermaid and DOT (`i0`, `n1`, `b2`, `s3`). */
  id: string;
  /** Lines of text. */
  label: string[];
  /** What it is. */
  kind: "instance" | "storage-node" | "bucket" | "s3-api";
}

/** A frame around boxes: a machine, or the storage cluster. */
export interface GraphGroup {
  /** Identifier. */
  id: string;
  /** Lines of text. */
  label: string[];
  /** Boxes inside. */
  nodes: GraphNode[];
}

/** A connection. */
export interface GraphEdge {
  /** Source box id. */
  from: string;
  /** Target box id. */
  to: string;
  /** Text on the arrow. */
  label?: string;
  /** `s3`: a service uses S3; `rpc`: storage nodes talk to each other (both ways); `owns`: an instance's bucket. */
  kind: "s3" | "rpc" | "owns";
}

/** Machines with their instances and storage nodes, the storage cluster with its buckets, and who talks to whom. */
export interface DeploymentGraph {
  /** Deployment name. */
  name: string;
  /** Machines first (sorted by name), then the storage cluster. */
  groups: GraphGroup[];
  /** Connections. */
  edges: GraphEdge[];
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** The S3 endpoint of an instance, when the plan records it (`instance.s3.endpoint`). */
function s3EndpointHost(instance: PlannedInstance): string | undefined {
  const s3 = (instance as { s3?: unknown }).s3;
  const endpoint = s3 && typeof s3 === "object" ? (s3 as { endpoint?: unknown }).endpoint : undefined;
  if (typeof endpoint !== "string") return undefined;
  try {
    return new URL(endpoint).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return undefined;
  }
}

/**
 * Builds the diagram of a plan. Instances with buckets point at the storage node whose address their S3 endpoint
 * names (a loopback endpoint means the node on their own machine), or else at the cluster's S3 API, which points at
 * every node; storage nodes are connected pairwise (RPC).
 */
export function deploymentGraph(plan: Plan): DeploymentGraph {
  const nodeMachines = new Set(plan.storage.nodes.map((n) => n.machine));
  const instanceId = new Map(plan.instances.map((i, index) => [i.name, `i${index}`]));
  const nodeId = new Map(plan.storage.nodes.map((n, index) => [n.machine, `n${index}`]));
  const byName = new Map(plan.instances.map((i) => [i.name, i]));
  const groups: GraphGroup[] = plan.machines.map((m, index) => ({
    id: `m${index}`,
    label: [m.name, m.host],
    nodes: [
      ...m.instances.map((name) => ({
        id: instanceId.get(name)!,
        label: [name, byName.get(name)?.kind ?? "?"],
        kind: "instance" as const,
      })),
      ...(nodeMachines.has(m.name)
        ? [
            {
              id: nodeId.get(m.name)!,
              label: [
                `${plan.storage.kind} node`,
                `zone ${plan.storage.nodes.find((n) => n.machine === m.name)!.zone}`,
              ],
              kind: "storage-node" as const,
            },
          ]
        : []),
    ],
  }));

  const edges: GraphEdge[] = [];
  const hostToNode = new Map(
    plan.machines.filter((m) => nodeMachines.has(m.name)).map((m) => [m.host, nodeId.get(m.name)!]),
  );
  let usesApi = false;
  for (const instance of plan.instances) {
    if (instance.buckets.length === 0) continue;
    const host = s3EndpointHost(instance);
    const local = host !== undefined && LOOPBACK.has(host) ? nodeId.get(instance.machine) : undefined;
    const target = local ?? (host !== undefined ? hostToNode.get(host) : undefined);
    if (target === undefined) usesApi = true;
    edges.push({ from: instanceId.get(instance.name)!, to: target ?? "s3", label: "S3", kind: "s3" });
  }
  const cluster: GraphGroup = {
    id: "storage",
    label: [
      `${plan.storage.kind} cluster`,
      `${plan.storage.nodes.length} node${plan.storage.nodes.length === 1 ? "" : "s"}`,
    ],
    nodes: [
      ...(usesApi ? [{ id: "s3", label: ["S3 API"], kind: "s3-api" as const }] : []),
      ...plan.buckets.map((b, index) => ({
        id: `b${index}`,
        label: [b.name, b.public ? "public" : "private"],
        kind: "bucket" as const,
      })),
    ],
  };
  if (usesApi) for (const id of nodeId.values()) edges.push({ from: "s3", to: id, kind: "s3" });
  const nodeIds = [...nodeId.values()];
  nodeIds.forEach((a, i) => {
    for (const b of nodeIds.slice(i + 1)) edges.push({ from: a, to: b, label: "RPC", kind: "rpc" });
  });
  plan.buckets.forEach((b, index) => {
    const from = instanceId.get(b.instance);
    if (from) edges.push({ from, to: `b${index}`, kind: "owns" });
  });
  return { name: plan.deployment.name, groups: [...groups, ...(cluster.nodes.length ? [cluster] : [])], edges };
}

const mermaidText = (lines: string[]) => `"${lines.map((l) => l.replace(/"/g, "#quot;")).join("<br/>")}"`;

/** The diagram as a Mermaid flowchart (renders on GitHub and GitLab inside a ```mermaid block). */
export function toMermaid(graph: DeploymentGraph): string {
  const shape = (n: GraphNode) => {
    const text = mermaidText(n.label);
    switch (n.kind) {
      case "storage-node":
        return `${n.id}[(${text})]`;
      case "bucket":
        return `${n.id}[/${text}/]`;
      case "s3-api":
        return `${n.id}{{${text}}}`;
      default:
        return `${n.id}[${text}]`;
    }
  };
  const lines = ["flowchart LR"];
  for (const g of graph.groups) {
    lines.push(`  subgraph ${g.id}[${mermaidText(g.label)}]`);
    for (const n of g.nodes) lines.push(`    ${shape(n)}`);
    lines.push("  end");
  }
  for (const e of graph.edges) {
    const arrow = e.kind === "rpc" ? "<-->" : e.kind === "owns" ? "-.-" : "-->";
    lines.push(`  ${e.from} ${arrow}${e.label ? `|${mermaidText([e.label])}|` : ""} ${e.to}`);
  }
  return `${lines.join("\n")}\n`;
}

const dotText = (lines: string[]) => `"${lines.map((l) => l.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join("\\n")}"`;

/** The diagram in Graphviz DOT (`fedi graph --format dot | dot -Tsvg > deployment.svg`). */
export function toDot(graph: DeploymentGraph): string {
  const shapes: Record<GraphNode["kind"], string> = {
    instance: "box",
    "storage-node": "cylinder",
    bucket: "folder",
    "s3-api": "hexagon",
  };
  const lines = [
    `digraph ${dotText([graph.name])} {`,
    "  rankdir=LR;",
    '  node [fontname="sans-serif"];',
    '  edge [fontname="sans-serif"];',
  ];
  for (const g of graph.groups) {
    lines.push(`  subgraph ${dotText([`cluster_${g.id}`])} {`, `    label=${dotText(g.label)};`);
    for (const n of g.nodes) lines.push(`    ${n.id} [label=${dotText(n.label)}, shape=${shapes[n.kind]}];`);
    lines.push("  }");
  }
  for (const e of graph.edges) {
    const attrs = [
      ...(e.label ? [`label=${dotText([e.label])}`] : []),
      ...(e.kind === "rpc" ? ["dir=both"] : []),
      ...(e.kind === "owns" ? ["style=dashed", "arrowhead=none"] : []),
    ];
    lines.push(`  ${e.from} -> ${e.to}${attrs.length ? ` [${attrs.join(", ")}]` : ""};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
