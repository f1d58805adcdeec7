import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { FinanceNav } from "~/components/finance-nav";
import { latestCheckpoints, listFinancialYears } from "~/models/finance.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Exports – Wardfund" }];

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
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="mt-0 text-xl">
        {title}
      </h2>
      <Form method="post" action={action} reloadDocument>
        {children}
        <div className="field flex items-center gap-2">
          <input id={`${id}-bom`} type="checkbox" name="bom" value="yes" className="h-5 w-5" />
          <label htmlFor={`${id}-bom`}>Excel-friendly (start the file with a UTF-8 byte order mark)</label>
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
  const yearSelect = (id: string) => (
    <div className="field">
      <label htmlFor={`${id}-fy`} className="block font-semibold">
        Financial year
      </label>
      <select id={`${id}-fy`} name="fy" className="input">
        <option value="">All years</option>
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
      <h1>Exports</h1>
      <FinanceNav />
      <p>
        Every export writes a checkpoint of the ledger's head hash and is recorded in the audit trail with who made it.
      </p>
      <ExportForm
        id="ledger"
        action="/finance/exports/ledger.csv"
        title="The full ledger (CSV)"
        button="Download the ledger"
      >
        <p>One row per posting, with the entry's sequence number, type, dates, references and hash.</p>
        {yearSelect("ledger")}
      </ExportForm>
      <ExportForm
        id="pack"
        action="/finance/exports/audit-pack.tar"
        title="Audit pack (tar archive)"
        button="Download the audit pack"
      >
        <p>
          Entries, postings, the hash-chained log with the exact hashed payloads, the trial balance, checkpoints, a
          manifest of SHA-256 hashes and VERIFY.md. An auditor checks it without Wardfund:{" "}
          <code>node scripts/verify-audit-pack.mjs DIR</code>.
        </p>
        <div className="field">
          <label htmlFor="pack-reason" className="block font-semibold">
            Reason for the export
          </label>
          <input id="pack-reason" name="reason" defaultValue="Audit pack download" className="input" />
        </div>
      </ExportForm>
      <ExportForm
        id="spend"
        action="/finance/exports/spend.csv"
        title="Transparency Code: spend over a threshold (CSV)"
        button="Download the spend file"
      >
        <p>
          Confirmed grant payments, with reversals as negative lines, in the Local Government Transparency Code layout
          (dates as dd/mm/yyyy).
        </p>
        <div className="field">
          <label htmlFor="spend-threshold" className="block font-semibold">
            Threshold (£)
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
        title="Transparency Code: grants to voluntary organisations (CSV)"
        button="Download the grants register"
      >
        <p>Awards (commitments net of withdrawals) to voluntary, community and social enterprise organisations.</p>
        {yearSelect("vcse")}
      </ExportForm>
      <ExportForm
        id="g360csv"
        action="/finance/exports/360giving.csv"
        title="360Giving grants (CSV)"
        button="Download 360Giving CSV"
      >
        <p>Grants in the 360Giving Data Standard, one row per grant, ward GSS codes as beneficiary locations.</p>
        {yearSelect("g360csv")}
      </ExportForm>
      <ExportForm
        id="g360json"
        action="/finance/exports/360giving.json"
        title="360Giving grants (JSON)"
        button="Download 360Giving JSON"
      >
        {yearSelect("g360json")}
      </ExportForm>
      <h2>Recent checkpoints</h2>
      <ul className="list-disc pl-6">
        {checkpoints.map((c) => (
          <li key={c.id}>
            {c.createdAt.slice(0, 19).replace("T", " ")} · {c.reason} · seq {c.seq} ·{" "}
            <code className="break-all">{c.hash}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
