/** How the outcome of a decided bid reads on public pages. */
export type PublicOutcome = "funded" | "funded-in-part" | "not-funded" | "chosen-by-residents" | "not-chosen";

export const PUBLIC_OUTCOME_LABELS: Readonly<Record<PublicOutcome, string>> = {
  funded: "Funded",
  "funded-in-part": "Funded in part",
  "not-funded": "Not funded",
  "chosen-by-residents": "Chosen by residents",
  "not-chosen": "Not chosen in the vote",
};
