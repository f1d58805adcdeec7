export * from "./format";
export * from "./london";
