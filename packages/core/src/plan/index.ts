export * from "./types.js";
export { createPlan, type PlanInput } from "./plan.js";
export { validateSpec, type ValidatedSpec, RESERVED_INSTANCE_NAMES } from "./validate.js";
export { diffAgainstState } from "./diff.js";
export { placeInstances, type PlacementInstance, type PlacementMachine, type PlacementResult } from "./placement.js";
export { bucketName, isValidBucketName, secretName, secretFileName } from "./allocate.js";
