export * from "./status";
export * from "./budget-lines";
export * from "./decision";
export * from "./digest";
