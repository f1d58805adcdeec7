export * from "./phases";
export * from "./dates";
export * from "./shuffle";
export * from "./gallery";
export * from "./ballot";
