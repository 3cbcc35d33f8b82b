export * from "./define.js";
export * from "./kit/index.js";
export * from "./registry.js";
export * from "./typed-spec.js";
export * from "./types.js";
