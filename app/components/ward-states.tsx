import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/translate";

const STATE_KEYS: Record<string, string> = {
  waiting: "waiting",
  approved: "approved",
  "approved in part": "approvedInPart",
  declined: "declined",
};

interface WardStatesProps {
  requestedPence: number;
  wards: {
    wards: {
      wardId: number;
      name: string;
      sharePence: number;
      state: string;
      amountPence: number;
      deciderName: string | null;
      decidedAt: string | null;
      reason: string | null;
    }[];
    approvedPence: number;
    settled: boolean;
  };
}

/** Each paying ward's share and its decision. */
export function WardStates({ wards, requestedPence }: WardStatesProps) {
  const { t } = useTranslation("bids");
  const { money, date } = useFormat();
  return (
    <section aria-labelledby="ward-decisions">
      <h2 id="ward-decisions">{t("wardStates.heading")}</h2>
      <p>
        {t("wardStates.intro", { amount: money(requestedPence) })}{" "}
        {t(wards.settled ? "wardStates.settled" : "wardStates.soFar", { amount: money(wards.approvedPence) })}
      </p>
      <table className="table">
        <caption className="sr-only">{t("wardStates.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("wardStates.ward")}</th>
            <th scope="col" className="text-right">
              {t("wardStates.share")}
            </th>
            <th scope="col">{t("wardStates.decision")}</th>
            <th scope="col" className="text-right">
              {t("wardStates.approved")}
            </th>
          </tr>
        </thead>
        <tbody>
          {wards.wards.map((w) => (
            <tr key={w.wardId}>
              <th scope="row">{w.name}</th>
              <td className="text-right">{money(w.sharePence)}</td>
              <td>
                {t(`wardStates.state.${STATE_KEYS[w.state] ?? "waiting"}`)}
                {w.deciderName
                  ? ` ${t("wardStates.byOn", { name: w.deciderName, date: date(w.decidedAt!.slice(0, 10)) })}`
                  : ""}
                {w.reason ? <span translate="no">: {w.reason}</span> : null}
              </td>
              <td className="text-right">{w.state === "waiting" ? "–" : money(w.amountPence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
