import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FinanceNav } from "~/components/finance-nav";
import { latestCheckpoints, listFinancialYears } from "~/models/finance.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("finance:exports.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return json({ years: listFinancialYears().map((y) => y.fy), checkpoints: latestCheckpoints(10) });
}

function ExportForm({
  id,
  action,
  title,
  children,
  button,
}: {
  id: string;
  action: string;
  title: string;
  children: ReactNode;
  button: string;
}) {
  const { t } = useTranslation("finance");
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="mt-0 text-xl">
        {title}
      </h2>
      <Form method="post" action={action} reloadDocument>
        {children}
        <div className="field flex items-center gap-2">
          <input id={`${id}-bom`} type="checkbox" name="bom" value="yes" className="h-5 w-5" />
          <label htmlFor={`${id}-bom`}>{t("exports.bom")}</label>
        </div>
        <button type="submit" className="button">
          {button}
        </button>
      </Form>
    </section>
  );
}

export default function Exports() {
  const { years, checkpoints } = useLoaderData<typeof loader>();
  const { t } = useTranslation("finance");
  const yearSelect = (id: string) => (
    <div className="field">
      <label htmlFor={`${id}-fy`} className="block font-semibold">
        {t("exports.fy")}
      </label>
      <select id={`${id}-fy`} name="fy" className="input">
        <option value="">{t("exports.allYears")}</option>
        {years.map((fy) => (
          <option key={fy} value={fy}>
            {fy}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div>
      <h1>{t("exports.title")}</h1>
      <FinanceNav />
      <p>{t("exports.intro")}</p>
      <ExportForm
        id="ledger"
        action="/finance/exports/ledger.csv"
        title={t("exports.ledgerTitle")}
        button={t("exports.ledgerButton")}
      >
        <p>{t("exports.ledgerIntro")}</p>
        {yearSelect("ledger")}
      </ExportForm>
      <ExportForm
        id="pack"
        action="/finance/exports/audit-pack.tar"
        title={t("exports.packTitle")}
        button={t("exports.packButton")}
      >
        <p>
          {t("exports.packIntro")} <code translate="no">node scripts/verify-audit-pack.mjs DIR</code>.
        </p>
        <div className="field">
          <label htmlFor="pack-reason" className="block font-semibold">
            {t("exports.packReason")}
          </label>
          <input id="pack-reason" name="reason" defaultValue={t("exports.packReasonDefault")} className="input" />
        </div>
      </ExportForm>
      <ExportForm
        id="spend"
        action="/finance/exports/spend.csv"
        title={t("exports.spendTitle")}
        button={t("exports.spendButton")}
      >
        <p>{t("exports.spendIntro")}</p>
        <div className="field">
          <label htmlFor="spend-threshold" className="block font-semibold">
            {t("exports.threshold")}
          </label>
          <input
            id="spend-threshold"
            name="threshold"
            defaultValue="500"
            inputMode="decimal"
            className="input max-w-40"
          />
        </div>
        {yearSelect("spend")}
      </ExportForm>
      <ExportForm
        id="vcse"
        action="/finance/exports/vcse-grants.csv"
        title={t("exports.vcseTitle")}
        button={t("exports.vcseButton")}
      >
        <p>{t("exports.vcseIntro")}</p>
        {yearSelect("vcse")}
      </ExportForm>
      <ExportForm
        id="g360csv"
        action="/finance/exports/360giving.csv"
        title={t("exports.g360csvTitle")}
        button={t("exports.g360csvButton")}
      >
        <p>{t("exports.g360csvIntro")}</p>
        {yearSelect("g360csv")}
      </ExportForm>
      <ExportForm
        id="g360json"
        action="/finance/exports/360giving.json"
        title={t("exports.g360jsonTitle")}
        button={t("exports.g360jsonButton")}
      >
        {yearSelect("g360json")}
      </ExportForm>
      <h2>{t("exports.checkpoints")}</h2>
      <ul className="list-disc pl-6">
        {checkpoints.map((c) => (
          <li key={c.id}>
            {c.createdAt.slice(0, 19).replace("T", " ")} · <span translate="no">{c.reason}</span> ·{" "}
            {t("exports.seq", { seq: c.seq })} · <code className="break-all">{c.hash}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
