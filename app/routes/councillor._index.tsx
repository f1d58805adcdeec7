import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { BalanceChart } from "~/components/balance-chart";
import { listWards } from "~/models/council.server";
import { bidsAwaitingDecision, recentWardActivity } from "~/models/decisions.server";
import { currentFinancialYear, listPublicWards } from "~/models/public-wards.server";
import { requireRole } from "~/utils/auth.server";
import { joinList, titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:councillor.title");

/** The `?done=` outcomes a decision page redirects here with (their messages are routes:councillor.done.*). */
const DONE = new Set([
  "approve",
  "part-approve",
  "reject",
  "request-changes",
  "recorded",
  "ward",
  "wards-done",
  "interest",
  "referred",
]);

/** The audit actions the activity list describes in words (routes:councillor.actions, with "." as "_"). */
const ACTIONS = new Set([
  "bid.submitted",
  "bid.approve",
  "bid.part-approve",
  "bid.reject",
  "bid.request-changes",
  "bid.approval-recorded",
  "bid.ward-approve",
  "bid.ward-part-approve",
  "bid.ward-reject",
  "bid.retrospective-funding-approved",
  "bid.interest-declared",
  "bid.referred-to-designated-decision-maker",
  "offer.accepted",
  "offer.declined",
  "bid.paid",
  "bid.monitoring-due",
  "bid.monitoring-submitted",
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "councillor");
  const fy = currentFinancialYear();
  const budgets = new Map(listPublicWards(fy).map((w) => [w.gssCode, w.budget]));
  const wards = listWards()
    .filter((w) => user.councillorWardIds.includes(w.id))
    .map((w) => ({
      id: w.id,
      name: w.name,
      nameCy: w.nameCy,
      gssCode: w.gssCode,
      population: w.population,
      colleagues: w.councillors.filter((c) => c.id !== user.id).map((c) => c.name),
      budget: budgets.get(w.gssCode) ?? null,
    }));
  return json({ name: user.name, fy, wards, awaiting: bidsAwaitingDecision(user), activity: recentWardActivity(user) });
}

export default function CouncillorHome() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const { t, i18n } = useTranslation("routes");
  const format = useFormat();
  const list = (items: string[]) => joinList(items, i18n.language);
  return (
    <div>
      <h1>{t("councillor.title")}</h1>
      {done && DONE.has(done) ? (
        <p className="notice" role="status">
          {t(`councillor.done.${done}`)}
        </p>
      ) : null}
      <p>
        {t("councillor.welcome", { name: data.name, count: data.wards.length })}{" "}
        <Link to="/councillor/digest" className="underline">
          {t("councillor.digestLink")}
        </Link>
        .
      </p>
      {data.wards.map((w) => (
        <section key={w.id} className="panel" aria-labelledby={`ward-${w.id}`}>
          <h2 id={`ward-${w.id}`} className="mt-0">
            <LocalisedText value={{ en: w.name, cy: w.nameCy }} />
          </h2>
          <p className="muted">
            {t("councillor.wardMeta", { code: w.gssCode, population: format.number(w.population) })}
            {w.colleagues.length ? (
              <>
                {" · "}
                {t("councillor.with", { names: "" })}
                <span translate="no">{list(w.colleagues)}</span>
              </>
            ) : null}
          </p>
          {w.budget && w.budget.setPence > 0 ? (
            <>
              <dl className="summary-list">
                <dt>{t("councillor.budgetSet", { fy: data.fy })}</dt>
                <dd>{format.money(w.budget.setPence)}</dd>
                <dt>{t("councillor.committed")}</dt>
                <dd>{format.money(w.budget.committedPence)}</dd>
                <dt>{t("councillor.paid")}</dt>
                <dd>{format.money(w.budget.paidPence)}</dd>
                <dt>{t("councillor.available")}</dt>
                <dd>
                  <strong>{format.money(w.budget.availablePence)}</strong>
                </dd>
              </dl>
              <BalanceChart
                title={t("councillor.chartTitle", {
                  ward: pickLocalised({ en: w.name, cy: w.nameCy }, i18n.language).text,
                  fy: data.fy,
                })}
                rows={[
                  {
                    label: pickLocalised({ en: w.name, cy: w.nameCy }, i18n.language).text,
                    paid: w.budget.paidPence,
                    committed: w.budget.committedPence,
                    available: Math.max(0, w.budget.availablePence),
                  },
                ]}
              />
            </>
          ) : (
            <p>{t("councillor.noBudget")}</p>
          )}
        </section>
      ))}
      <section aria-labelledby="awaiting">
        <h2 id="awaiting">{t("councillor.awaiting")}</h2>
        {data.awaiting.length ? (
          <ul className="list-disc pl-6">
            {data.awaiting.map((b) => (
              <li key={b.id}>
                <Link to={`/councillor/bids/${b.id}`} className="underline" translate="no">
                  {b.title || b.reference}
                </Link>{" "}
                {t("councillor.awaitingFrom")} <span translate="no">{b.groupName}</span>,{" "}
                {t("councillor.awaitingItem", {
                  amount: b.amountPence ? format.money(b.amountPence) : t("councillor.amountNotGiven"),
                  reference: b.reference,
                  date: b.submittedAt ? format.date(b.submittedAt) : "",
                })}
                {b.waitingOnWards.length > 1 ? (
                  <>
                    {t("councillor.wardsToDecide", { wards: "" })}
                    <span translate="no">{list(b.waitingOnWards)}</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("councillor.noneAwaiting")}</p>
        )}
      </section>
      <section aria-labelledby="activity">
        <h2 id="activity">{t("councillor.activity")}</h2>
        {data.activity.length ? (
          <ul className="list-disc pl-6">
            {data.activity.map((a) => (
              <li key={a.id}>
                {format.date(a.at)}: <span translate="no">{a.title || a.reference}</span>{" "}
                {ACTIONS.has(a.action) ? (
                  t(`councillor.actions.${a.action.replace(/\./g, "_")}`)
                ) : (
                  <code translate="no">{a.action}</code>
                )}
                {a.actorName ? <span translate="no"> ({a.actorName})</span> : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("councillor.noActivity")}</p>
        )}
      </section>
    </div>
  );
}
