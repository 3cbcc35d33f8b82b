export * from "./names.js";
export * from "./spec.js";
export * from "./ssh-public-key.js";
export { formatPath, zodIssues } from "./zod-issues.js";
