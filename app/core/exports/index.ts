/**
 * Public surface of the publication exports: pure mapping from plain rows to the Transparency Code
 * spend file, the VCSE grants register and 360Giving (CSV records and JSON). This file only
 * re-exports; nothing in the module imports it.
 */
export * from "./format";
export * from "./identifiers";
export * from "./sources";
export * from "./spend";
export * from "./vcse";
export * from "./three-sixty-giving";
export * from "./three-sixty-giving-check";
