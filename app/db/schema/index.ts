export * from "./identity";
export * from "./council";
export * from "./community";
export * from "./audit";
export * from "./mail";
export * from "./funds";
export * from "./ledger";
