/**
 * Public surface of the pure ledger core. This file only re-exports; nothing in the module
 * imports it. See each module's header for its invariants.
 */
export * from "./accounts";
export * from "./audit-pack";
export * from "./balances";
export * from "./builders";
export * from "./canonical-json";
export * from "./chain";
export * from "./csv";
export * from "./entry";
export * from "./errors";
export * from "./financial-year";
export * from "./hash";
export * from "./model-ledger";
export * from "./payload";
export * from "./payload-scan";
export * from "./rules";
export * from "./templates";
