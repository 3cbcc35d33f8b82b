export { stateFromPlan } from "./from-plan.js";
export { LOCK_FILE, STATE_FILE, StateStore } from "./store.js";
export * from "./types.js";
