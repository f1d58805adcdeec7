/**
 * Finance publishes a financial year's spending: its Transparency Code and 360Giving files and a
 * summary go on the public spending page, as the ledger stands at the moment of publishing. Each
 * publication writes a ledger checkpoint and an audit event.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { FinanceNav } from "~/components/finance-nav";
import { ErrorSummary } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import { publishedPeriods, publishSpendingPeriod } from "~/models/spending.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("finance:spending.title");

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
      errorMap: () => ({ message: "finance:spending.chooseYear" }),
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
  const { t } = useTranslation("finance");
  const { dateTime } = useFormat();
  // Not "link": Trans reads <link> as the empty HTML element and would drop its words.
  const spendingPage = <Link to="/spending" />;
  return (
    <div className="max-w-3xl">
      <h1>{t("spending.title")}</h1>
      <FinanceNav />
      {published && !state ? (
        <p className="notice" role="status">
          <Trans t={t} i18nKey="spending.published" values={{ fy: published }} components={{ spendingPage }} />
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ fy: t("spending.fy") }} />
      <p>
        <Trans t={t} i18nKey="spending.intro" components={{ spendingPage }} />
      </p>
      <Form method="post" noValidate>
        <RadioGroup
          name="fy"
          legend={t("spending.legend")}
          state={state}
          options={years.map((fy) => ({ value: fy, label: fy }))}
        />
        <button type="submit" className="button">
          {t("spending.submit")}
        </button>
      </Form>
      <h2>{t("spending.publishedHeading")}</h2>
      {periods.length === 0 ? (
        <p>{t("spending.none")}</p>
      ) : (
        <ul className="list-disc pl-6">
          {periods.map((p) => (
            <li key={p.fy}>
              {t("spending.item", {
                fy: p.fy,
                date: dateTime(p.publishedAt),
                name: p.publishedBy,
                seq: p.checkpointSeq,
              })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
