export * from "./types.js";
export { StateStore, STATE_FILE, LOCK_FILE } from "./store.js";
export { stateFromPlan } from "./from-plan.js";
