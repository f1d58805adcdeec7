/**
 * Finance publishes a financial year's spending: its Transparency Code and 360Giving files and a
 * summary go on the public spending page, as the ledger stands at the moment of publishing. Each
 * publication writes a ledger checkpoint and an audit event.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import { formatRoundDate } from "~/core/rounds/gallery";
import { publishedPeriods, publishSpendingPeriod } from "~/models/spending.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Publish spending – Wardfund" }];

function yearsToOffer(): string[] {
  const current = financialYearOf(londonDateOf(new Date()));
  const start = Number(current.slice(0, 4));
  return [current, `${start - 1}/${String(start % 100).padStart(2, "0")}`];
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return json({ periods: publishedPeriods(), years: yearsToOffer() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const schema = z.object({
    fy: z.enum(yearsToOffer() as [string, ...string[]], {
      errorMap: () => ({ message: "Choose the financial year to publish" }),
    }),
  });
  const formData = await request.formData();
  const form = parseForm(schema, formData);
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(form.values, () => {
    publishSpendingPeriod({ id: user.id, name: user.name }, form.data.fy);
    return redirect(`/finance/spending?published=${encodeURIComponent(form.data.fy)}`);
  });
}

export default function PublishSpending() {
  const { periods, years } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const published = params.get("published");
  return (
    <div className="max-w-3xl">
      <h1>Publish spending</h1>
      <FinanceNav />
      {published && !state ? (
        <p className="notice" role="status">
          The spending of {published} is published on the <Link to="/spending">public spending page</Link>.
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ fy: "Financial year" }} />
      <p>
        Publishing puts the year's Transparency Code spend file, its 360Giving files and a summary on the{" "}
        <Link to="/spending">public spending page</Link>, as the ledger stands now. Publish again later to bring them up
        to date; each publication is recorded in the audit trail.
      </p>
      <Form method="post" noValidate>
        <RadioGroup
          name="fy"
          legend="Financial year to publish"
          state={state}
          options={years.map((fy) => ({ value: fy, label: fy }))}
        />
        <button type="submit" className="button">
          Publish this period
        </button>
      </Form>
      <h2>Published</h2>
      {periods.length === 0 ? (
        <p>Nothing has been published yet.</p>
      ) : (
        <ul className="list-disc pl-6">
          {periods.map((p) => (
            <li key={p.fy}>
              {p.fy}: published on {formatRoundDate(p.publishedAt, true)} by {p.publishedBy}, ledger checkpoint{" "}
              {p.checkpointSeq}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
