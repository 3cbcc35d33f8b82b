export { stateFromPlan } from "./from-plan.js";
export { acquireLock, type HeldLock, type LockOptions, type LockOwner, readLockOwner } from "./lock.js";
export { LOCK_FILE, STATE_FILE, StateStore } from "./store.js";
export * from "./types.js";
