export * from "./status";
export * from "./budget-lines";
export * from "./decision";
export * from "./digest";
export * from "./validation";
export * from "./diff";
export * from "./files";
export * from "./tranches";
