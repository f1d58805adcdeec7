import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { BalanceChart } from "~/components/balance-chart";
import { FinanceNav } from "~/components/finance-nav";
import { TextField } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { formatPenceAsDecimal } from "~/core/money";
import { possibleClawbacks, withReturnedClawbacks } from "~/models/clawbacks.server";
import { fundBalances } from "~/models/finance.server";
import { ledgerHead } from "~/models/ledger.server";
import { verifyLedgerFor } from "~/models/ledger-verify.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("finance:balances.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  return json({
    name: user.name,
    funds: withReturnedClawbacks(fundBalances()),
    head: ledgerHead(),
    clawbacks: possibleClawbacks(),
    formKey: randomUUID(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  return json({ verification: verifyLedgerFor(user) });
}

const COLUMNS = ["available", "earmarked", "committed", "payable", "paid", "returned"] as const;

/** Grants whose monitoring report shows less spent than was paid, each with a clawback form filled in. */
function PossibleClawbacks({
  clawbacks,
  formKey,
}: {
  clawbacks: ReturnType<typeof useLoaderData<typeof loader>>["clawbacks"];
  formKey: string;
}) {
  const { t } = useTranslation("finance");
  const format = useFormat();
  if (clawbacks.length === 0) return null;
  return (
    <section aria-labelledby="clawbacks-heading" className="panel">
      <h2 id="clawbacks-heading" className="mt-0">
        {t("balances.clawbacks")}
      </h2>
      <p>{t("balances.clawbacksIntro")}</p>
      <ul className="space-y-4">
        {clawbacks.map((c) => (
          <li key={c.grantId}>
            <h3 className="m-0 text-base">
              {c.reference}: <LocalisedText value={{ en: c.title, cy: c.titleCy }} />{" "}
              <span className="font-normal">({c.groupName})</span>
            </h3>
            <p className="m-0">
              <Trans
                t={t}
                i18nKey="balances.spent"
                values={{
                  spent: format.money(c.spentPence),
                  awarded: format.money(c.awardedPence),
                  paid: format.money(c.paidPence),
                  underspend: format.money(c.underspendPence),
                }}
                components={{ strong: <strong /> }}
              />
            </p>
            <details className="mt-2">
              <summary className="cursor-pointer underline">
                {t("balances.raise")}
                <span className="sr-only">{t("balances.raiseOn", { reference: c.reference })}</span>
              </summary>
              <Form method="post" action="/finance/payments" noValidate className="mt-2">
                <input type="hidden" name="intent" value="raise-clawback" />
                <input type="hidden" name="idempotencyKey" value={`${formKey}:raise-clawback:${c.grantId}`} />
                <input type="hidden" name="grantId" value={c.grantId} />
                <TextField
                  name="amount"
                  id={`underspend-${c.grantId}-amount`}
                  label={t("balances.amount")}
                  defaultValue={formatPenceAsDecimal(c.underspendPence)}
                />
                <TextField
                  name="reason"
                  id={`underspend-${c.grantId}-reason`}
                  label={t("balances.reason")}
                  defaultValue={t("balances.reasonDefault", {
                    spent: format.money(c.spentPence),
                    paid: format.money(c.paidPence),
                  })}
                />
                <TextField
                  name="invoiceRef"
                  id={`underspend-${c.grantId}-invoiceRef`}
                  label={t("balances.invoiceRef")}
                />
                <button type="submit" className="button">
                  {t("balances.submit")}
                </button>
              </Form>
            </details>
          </li>
        ))}
      </ul>
    </section>
  );
}

export default function FinanceHome() {
  const { funds, head, clawbacks, formKey } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("finance");
  const format = useFormat();
  const wardName = (w: (typeof funds)[number]["wards"][number]) =>
    w.wardId === null
      ? t("balances.wholeFund")
      : pickLocalised({ en: w.wardName, cy: w.wardNameCy }, i18n.language).text;
  return (
    <div>
      <h1>{t("balances.title")}</h1>
      <FinanceNav />
      <section aria-labelledby="verify-heading" className="panel">
        <h2 id="verify-heading" className="mt-0">
          {t("balances.integrity")}
        </h2>
        <p>
          {t("balances.entries", { count: head.seq })} <code className="break-all">{head.hash}</code>
        </p>
        {result ? (
          <div role="status" className={result.verification.ok ? "notice" : "error-summary"}>
            <p className="m-0 font-bold">{result.verification.ok ? t("balances.verified") : t("balances.problems")}</p>
            <p className="m-0">
              {t("balances.checked", {
                count: result.verification.count,
                ms: result.verification.ms,
                head: result.verification.head.hash || t("balances.unknownHead"),
              })}
            </p>
            {result.verification.problems.length ? (
              <ul className="list-disc pl-6">
                {result.verification.problems.slice(0, 20).map((p, i) => (
                  <li key={i}>
                    {p.seq !== null ? t("balances.problemSeq", { seq: p.seq }) : ""}
                    {p.message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <Form method="post">
          <button type="submit" className="button">
            {t("balances.verify")}
          </button>
        </Form>
      </section>
      <PossibleClawbacks clawbacks={clawbacks} formKey={formKey} />
      {funds.length === 0 ? <p>{t("balances.noFunds")}</p> : null}
      {funds.map((fund) => {
        // The chart's title and the table's caption name the fund only in the reader's language; a name that
        // exists only in the other language is in the section's heading, marked as such.
        const shown = pickLocalised({ en: fund.fundName, cy: fund.fundNameCy }, i18n.language);
        const named = shown.language === i18n.language;
        return (
          <section key={fund.fundId} aria-labelledby={`fund-${fund.fundId}`}>
            <h2 id={`fund-${fund.fundId}`}>
              <LocalisedText value={{ en: fund.fundName, cy: fund.fundNameCy }} />{" "}
              <span className="muted text-base font-normal">({fund.fy})</span>
            </h2>
            <BalanceChart
              title={named ? t("balances.chartTitle", { fund: shown.text }) : t("balances.chartTitleUnnamed")}
              rows={fund.wards.map((w) => ({
                label: wardName(w),
                paid: w.balances.paid,
                committed: w.balances.committed + w.balances.earmarked + w.balances.payable,
                available: w.balances.available,
              }))}
            />
            <div className="overflow-x-auto">
              <table>
                <caption className="sr-only">
                  {named ? t("balances.caption", { fund: shown.text }) : t("balances.captionUnnamed")}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t("balances.ward")}</th>
                    {COLUMNS.map((key) => (
                      <th key={key} scope="col" className="text-right">
                        {t(`balances.columns.${key}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {fund.wards.map((w) => (
                    <tr key={w.wardId ?? "whole-fund"}>
                      <th scope="row" className="font-normal">
                        {w.wardId ? (
                          <Link to={`/finance/ledger?fundId=${encodeURIComponent(fund.fundId)}&wardId=${w.wardId}`}>
                            <LocalisedText value={{ en: w.wardName, cy: w.wardNameCy }} />
                          </Link>
                        ) : (
                          wardName(w)
                        )}
                      </th>
                      {COLUMNS.map((key) => (
                        <td key={key} className="text-right tabular-nums">
                          {format.money(w.balances[key])}
                        </td>
                      ))}
                    </tr>
                  ))}
                  <tr className="font-bold">
                    <th scope="row">{t("balances.total")}</th>
                    {COLUMNS.map((key) => (
                      <td key={key} className="text-right tabular-nums">
                        {format.money(fund.total[key])}
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          </section>
        );
      })}
    </div>
  );
}
