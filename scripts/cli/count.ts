import "../count";
