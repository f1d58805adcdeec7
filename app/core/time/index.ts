export * from "./format";
export * from "./london";
export * from "./date-parts";
