/**
 * `@fediversity/core`: the model, plugin API, planner, renderer and deploy pipeline of the Fediversity SDK.
 * The Nix printer is exported separately as `@fediversity/core/nix`, the plugin test kit as `@fediversity/core/testing`.
 * @packageDocumentation
 */

export * from "./deploy/index.js";
export * from "./encode/index.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./format/index.js";
export * from "./imports/index.js";
export * from "./machine/index.js";
export * from "./model/index.js";
export * from "./nixops4/index.js";
export * from "./plan/index.js";
export * from "./plugin/index.js";
export * from "./prune/index.js";
export * from "./render/index.js";
export * from "./secrets/index.js";
export * from "./state/index.js";
export { type AtomicWriteOptions, writeFileAtomic } from "./util/atomic-write.js";
export { hasOwnEntry, ownEntries, ownValue, recordFromEntries } from "./util/own.js";
export { CORE_VERSION } from "./version.js";
