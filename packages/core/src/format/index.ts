/**
 * Formatters of plans for people, the ones the `fedi` command prints: the plan summary, its changes against the
 * last apply, and the deployment diagram (Mermaid or Graphviz DOT).
 * @packageDocumentation
 */
export {
  type DeploymentGraph,
  deploymentGraph,
  type GraphEdge,
  type GraphGroup,
  type GraphNode,
  toDot,
  toMermaid,
} from "./graph.js";
export { planChanges, planSummary, type SummaryContext } from "./plan-summary.js";
export { plainStyle, type TextStyle } from "./style.js";
export { textTable } from "./table.js";
