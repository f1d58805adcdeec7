import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ENTRY_TYPES, isIsoDate } from "~/core/ledger";
import { formatPence } from "~/core/money";
import { ledgerFilterOptions, listLedgerEntries } from "~/models/finance.server";
import { requireRole } from "~/utils/auth.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "Ledger – Wardfund" }];

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
  return (
    <div>
      <h1>Ledger</h1>
      <FinanceNav />
      <Form method="get" className="mb-6 grid grid-cols-1 gap-4 md:grid-cols-3">
        <Select
          name="fy"
          label="Financial year"
          value={filter.fy}
          options={options.years.map((y) => ({ value: y, label: y }))}
        />
        <div>
          <label htmlFor="from" className="block font-semibold">
            From date
          </label>
          <input id="from" name="from" type="date" defaultValue={filter.from ?? ""} className="input" />
        </div>
        <div>
          <label htmlFor="to" className="block font-semibold">
            To date
          </label>
          <input id="to" name="to" type="date" defaultValue={filter.to ?? ""} className="input" />
        </div>
        <Select
          name="fundId"
          label="Fund"
          value={filter.fundId}
          options={options.funds.map((f) => ({ value: f.id, label: f.name }))}
        />
        <Select
          name="wardId"
          label="Ward"
          value={filter.wardId === undefined ? undefined : String(filter.wardId)}
          options={options.wards.map((w) => ({ value: String(w.id), label: w.name }))}
        />
        <Select
          name="type"
          label="Entry type"
          value={filter.type}
          options={ENTRY_TYPES.map((t) => ({ value: t, label: t }))}
        />
        <div className="md:col-span-3">
          <button type="submit" className="button button-secondary">
            Filter
          </button>{" "}
          <Link to="/finance/ledger">Clear filters</Link>
        </div>
      </Form>
      <p role="status">
        {total.toLocaleString("en-GB")} {total === 1 ? "entry" : "entries"}
        {pages > 1 ? `, page ${page} of ${pages}` : ""}.
      </p>
      <div className="overflow-x-auto">
        <table>
          <caption className="sr-only">Ledger entries, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col" className="text-right">
                Amount
              </th>
              <th scope="col">Reference and notes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link to={`/finance/ledger/${r.id}`} aria-label={`Entry ${r.seq}`}>
                    {r.seq}
                  </Link>
                </td>
                <td className="whitespace-nowrap">{formatDate(r.effectiveDate)}</td>
                <td>
                  {r.type}
                  {r.reversedBy ? <span className="tag ml-1">reversed</span> : null}
                </td>
                <td className="text-right tabular-nums">{formatPence(r.amountPence ?? 0)}</td>
                <td>{[r.externalRef, r.reason, r.memo].filter(Boolean).join(" · ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="mt-4 flex gap-4">
        {page > 1 ? <Link to={pageLink(page - 1)}>Previous page</Link> : null}
        {page < pages ? <Link to={pageLink(page + 1)}>Next page</Link> : null}
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
  return (
    <div>
      <label htmlFor={name} className="block font-semibold">
        {label}
      </label>
      <select id={name} name={name} defaultValue={value ?? ""} className="input">
        <option value="">All</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
