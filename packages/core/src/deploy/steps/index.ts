import { activateStep } from "./activate.js";
import type { ApplyStepDefinition } from "./context.js";
import { nixops4Step } from "./nixops4.js";
import { preflightStep } from "./preflight.js";
import { renderStep } from "./render.js";
import { secretsStep } from "./secrets.js";
import { storageStep } from "./storage.js";
import { storageNodesStep } from "./storage-nodes.js";
import { uploadStep } from "./upload.js";
import { verifyStep } from "./verify.js";

/**
 * The steps of an apply, in the order they run (their names are `APPLY_STEPS`): the cheap checks first, then what
 * writes locally, then what changes the machines.
 */
export const APPLY_STEP_DEFINITIONS: readonly ApplyStepDefinition[] = [
  preflightStep,
  renderStep,
  secretsStep,
  uploadStep,
  storageNodesStep,
  storageStep,
  nixops4Step,
  activateStep,
  verifyStep,
];

export {
  type ApplyContext,
  type ApplyContextInput,
  type ApplyStepDefinition,
  createApplyContext,
  type UploadedFiles,
} from "./context.js";
export { ApplyProgressRecorder } from "./progress.js";
export { runSteps } from "./run.js";
