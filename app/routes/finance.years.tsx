import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary } from "~/components/forms";
import { closeYear, listFinancialYears } from "~/models/finance.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "Financial years – Wardfund" }];

const schema = z.object({
  fy: z.string().regex(/^\d{4}\/\d{2}$/, "Choose a financial year"),
  confirm: z.literal("yes", { errorMap: () => ({ message: "Tick the box to confirm that the year is finished" }) }),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return json({ years: listFinancialYears() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(
    form.values,
    () => {
      closeYear(user, form.data.fy);
      return redirect(`/finance/years?closed=${encodeURIComponent(form.data.fy)}`);
    },
    { field: "fy", status: 422 },
  );
}

export default function Years() {
  const { years } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div>
      <h1>Financial years</h1>
      <FinanceNav />
      {params.get("closed") && !state ? (
        <p className="notice" role="status">
          {params.get("closed")} is closed. A checkpoint of the ledger was written.
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ fy: "Financial year", confirm: "Confirmation" }} />
      <p>
        Closing a year stops any further posting to its accounts and writes a checkpoint of the ledger's head hash.
        Corrections after the close go into the open year.
      </p>
      <table className="mb-6 max-w-xl">
        <caption className="sr-only">Financial years</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr key={y.fy}>
              <td>{y.fy}</td>
              <td>{y.closedAt ? `Closed ${formatDate(y.closedAt)}` : y.current ? "Open (current year)" : "Open"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Close a year</h2>
      <Form method="post" noValidate>
        <div className={`field ${state?.errors?.fy ? "field-error" : ""}`}>
          <label htmlFor="field-fy" className="block font-semibold">
            Financial year
          </label>
          {state?.errors?.fy ? (
            <p id="field-fy-error" className="error-message">
              <span className="sr-only">Error: </span>
              {state.errors.fy}
            </p>
          ) : null}
          <select
            id="field-fy"
            name="fy"
            className="input"
            aria-describedby={state?.errors?.fy ? "field-fy-error" : undefined}
            defaultValue={state?.values?.fy}
          >
            {years
              .filter((y) => !y.closedAt)
              .map((y) => (
                <option key={y.fy} value={y.fy}>
                  {y.fy}
                </option>
              ))}
          </select>
        </div>
        <div className={`field ${state?.errors?.confirm ? "field-error" : ""}`}>
          {state?.errors?.confirm ? (
            <p id="field-confirm-error" className="error-message">
              <span className="sr-only">Error: </span>
              {state.errors.confirm}
            </p>
          ) : null}
          <div className="flex items-center gap-2">
            <input
              id="field-confirm"
              type="checkbox"
              name="confirm"
              value="yes"
              className="h-5 w-5"
              aria-describedby={state?.errors?.confirm ? "field-confirm-error" : undefined}
            />
            <label htmlFor="field-confirm">
              I confirm every payment and adjustment for this year has been recorded
            </label>
          </div>
        </div>
        <button type="submit" className="button button-warning">
          Close the year
        </button>
      </Form>
    </div>
  );
}
