export * from "./names.js";
export * from "./spec.js";
export { formatPath, zodIssues } from "./zod-issues.js";
