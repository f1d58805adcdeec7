export * from "./status";
export * from "./budget-lines";
