import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary, useErrorText } from "~/components/forms";
import { closeYear, listFinancialYears } from "~/models/finance.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:years.title");

const schema = z.object({
  fy: z.string().regex(/^\d{4}\/\d{2}$/, "routes:years.errors.fy"),
  confirm: z.literal("yes", { errorMap: () => ({ message: "routes:years.errors.confirm" }) }),
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
  const { t } = useTranslation("routes");
  const errorText = useErrorText();
  const format = useFormat();
  return (
    <div>
      <h1>{t("years.title")}</h1>
      <FinanceNav />
      {params.get("closed") && !state ? (
        <p className="notice" role="status">
          {t("years.closed", { fy: params.get("closed") })}
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ fy: t("years.fy"), confirm: t("years.confirmation") }} />
      <p>{t("years.intro")}</p>
      <table className="mb-6 max-w-xl">
        <caption className="sr-only">{t("years.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("years.year")}</th>
            <th scope="col">{t("years.status")}</th>
          </tr>
        </thead>
        <tbody>
          {years.map((y) => (
            <tr key={y.fy}>
              <td>{y.fy}</td>
              <td>
                {y.closedAt
                  ? t("years.closedOn", { date: format.date(y.closedAt) })
                  : y.current
                    ? t("years.openCurrent")
                    : t("years.open")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("years.closeHeading")}</h2>
      <Form method="post" noValidate>
        <div className={`field ${state?.errors?.fy ? "field-error" : ""}`}>
          <label htmlFor="field-fy" className="block font-semibold">
            {t("years.fy")}
          </label>
          {state?.errors?.fy ? (
            <p id="field-fy-error" className="error-message">
              <span className="sr-only">{t("forms:errorPrefix")} </span>
              {errorText(state.errors.fy)}
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
              <span className="sr-only">{t("forms:errorPrefix")} </span>
              {errorText(state.errors.confirm)}
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
            <label htmlFor="field-confirm">{t("years.confirmLabel")}</label>
          </div>
        </div>
        <button type="submit" className="button button-warning">
          {t("years.submit")}
        </button>
      </Form>
    </div>
  );
}
