export * from "./status";
export * from "./budget-lines";
export * from "./validation";
export * from "./diff";
export * from "./files";
