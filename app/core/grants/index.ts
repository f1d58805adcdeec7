/** Public surface of the grant machine. This file only re-exports. */
export * from "./state";
export * from "./machine";
export * from "./invariants";
