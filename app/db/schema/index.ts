export * from "./identity";
export * from "./council";
export * from "./community";
export * from "./audit";
export * from "./mail";
