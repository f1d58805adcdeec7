/**
 * A round's bids by review state, "3 to review, 5 eligible, 1 ineligible", in the reader's language;
 * merged and withdrawn bids are named only when there are some.
 */
import { useTranslation } from "react-i18next";
import type { ReviewTally } from "~/core/rounds";

export function ReviewTallyText({ tally }: { tally: ReviewTally }) {
  const { t } = useTranslation("admin");
  const parts = [
    t("tally.toReview", { count: tally.toReview }),
    t("tally.eligible", { count: tally.eligible }),
    t("tally.ineligible", { count: tally.ineligible }),
  ];
  if (tally.merged > 0) parts.push(t("tally.merged", { count: tally.merged }));
  if (tally.withdrawn > 0) parts.push(t("tally.withdrawn", { count: tally.withdrawn }));
  return <>{parts.join(", ")}</>;
}
