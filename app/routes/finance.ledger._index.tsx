import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ENTRY_TYPES, isIsoDate } from "~/core/ledger";
import { ledgerFilterOptions, listLedgerEntries } from "~/models/finance.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:financeLedger.title");

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (v === "" ? undefined : v), schema.optional()).catch(undefined);

const filterSchema = z.object({
  fy: optional(z.string().regex(/^\d{4}\/\d{2}$/)),
  from: optional(z.string().refine(isIsoDate)),
  to: optional(z.string().refine(isIsoDate)),
  fundId: optional(z.string().max(64)),
  wardId: optional(z.coerce.number().int().positive()),
  type: optional(z.enum(ENTRY_TYPES)),
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const filter = filterSchema.parse(params);
  const { page, ...rest } = filter;
  const result = listLedgerEntries(rest, page);
  return json({ ...result, page, filter: rest, options: ledgerFilterOptions() });
}

export default function Ledger() {
  const { rows, total, pages, page, filter, options } = useLoaderData<typeof loader>();
  const pageLink = (n: number) => {
    const params = new URLSearchParams(
      Object.entries(filter)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([k, v]) => [k, String(v)]),
    );
    params.set("page", String(n));
    return `?${params}`;
  };
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("financeLedger.title")}</h1>
      <FinanceNav />
      <Form method="get" className="mb-6 grid grid-cols-1 gap-4 md:grid-cols-3">
        <Select
          name="fy"
          label={t("financeLedger.fy")}
          value={filter.fy}
          options={options.years.map((y) => ({ value: y, label: y }))}
        />
        <div>
          <label htmlFor="from" className="block font-semibold">
            {t("financeLedger.from")}
          </label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} className="input" />
        </div>
        <div>
          <label htmlFor="to" className="block font-semibold">
            {t("financeLedger.to")}
          </label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} className="input" />
        </div>
        <Select
          name="fundId"
          label={t("financeLedger.fund")}
          value={filter.fundId}
          options={options.funds.map((f) => ({ value: f.id, label: f.name }))}
        />
        <Select
          name="wardId"
          label={t("financeLedger.ward")}
          value={filter.wardId === undefined ? undefined : String(filter.wardId)}
          options={options.wards.map((w) => ({ value: String(w.id), label: w.name }))}
        />
        <Select
          name="type"
          label={t("financeLedger.type")}
          value={filter.type}
          options={ENTRY_TYPES.map((t) => ({ value: t, label: t }))}
        />
        <div className="md:col-span-3">
          <button type="submit" className="button button-secondary">
            {t("financeLedger.filter")}
          </button>{" "}
          <Link to="/finance/ledger">{t("financeLedger.clear")}</Link>
        </div>
      </Form>
      <p role="status">
        {t("financeLedger.count", { count: total })}
        {pages > 1 ? t("financeLedger.pageOf", { page, pages }) : ""}.
      </p>
      <div className="overflow-x-auto">
        <table>
          <caption className="sr-only">{t("financeLedger.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("financeLedger.seq")}</th>
              <th scope="col">{t("financeLedger.date")}</th>
              <th scope="col">{t("financeLedger.type")}</th>
              <th scope="col" className="text-right">
                {t("financeLedger.amount")}
              </th>
              <th scope="col">{t("financeLedger.notes")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/finance/ledger/${r.id}`} aria-label={t("financeLedger.entry", { seq: r.seq })}>
                    {r.seq}
                  </Link>
                </td>
                <td className="whitespace-nowrap">{format.date(r.effectiveDate)}</td>
                <td>
                  <code translate="no">{r.type}</code>
                  {r.reversedBy ? <span className="tag ml-1">{t("financeLedger.reversed")}</span> : null}
                </td>
                <td className="text-right tabular-nums">{format.money(r.amountPence ?? 0)}</td>
                <td translate="no">{[r.externalRef, r.reason, r.memo].filter(Boolean).join(" · ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label={t("financeLedger.pages")} className="mt-4 flex gap-4">
        {page > 1 ? <Link to={pageLink(page - 1)}>{t("financeLedger.previous")}</Link> : null}
        {page < pages ? <Link to={pageLink(page + 1)}>{t("financeLedger.next")}</Link> : null}
      </nav>
    </div>
  );
}

function Select({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | undefined;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation("routes");
  return (
    <div>
      <label htmlFor={name} className="block font-semibold">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value ?? ""} className="input">
        <option value="">{t("financeLedger.all")}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value} translate="no">
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
