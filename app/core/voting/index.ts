export * from "./codes";
export * from "./eligibility";
export * from "./equality";
export * from "./paper";
export * from "./ranking";
export * from "./shares";
export * from "./voter-rules";
