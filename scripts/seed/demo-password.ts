/** The password of every demo account, printed at start-up: the demo council is public. */
export const DEMO_PASSWORD = "wardfund-demo";
