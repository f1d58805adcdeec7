import type { PreparedContest } from "./rcv";
import type { ContestReport } from "./types";

export function countScottishStv(_prepared: PreparedContest): ContestReport {
  throw new Error("not yet");
}
