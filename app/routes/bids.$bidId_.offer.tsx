import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, useErrorText } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { TrancheTable } from "~/components/tranche-table";
import { requireBidMember } from "~/models/bids.server";
import { offerForMember, respondToOffer } from "~/models/offers.server";
import { requireUser } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:offer.title");

const schema = z.object({
  response: z.enum(["accept", "decline"], {
    errorMap: () => ({ message: "routes:offer.errors.response" }),
  }),
  confirm: z.string().optional(),
  note: z.string().trim().max(1000, "routes:offer.errors.note").optional().default(""),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  return json(await loadingRefusals(() => offerForMember(user, bidId)));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const formData = await request.formData();
  const form = parseForm(schema, formData);
  if (!form.ok) return json(form, { status: 400 });
  if (form.data.response === "accept" && form.data.confirm !== "yes") {
    return json(failure({ confirm: "routes:offer.errors.confirm" }, formValues(formData)), { status: 400 });
  }
  return answeringRefusals(formValues(formData), () => {
    respondToOffer(user, { bidId, accept: form.data.response === "accept", note: form.data.note });
    return redirect(`/bids/${bidId}/offer?done=${form.data.response}`);
  });
}

export default function GrantOffer() {
  const { bid, group, offer, instalments, tranches } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const open = !offer.acceptedAt && !offer.declinedAt && (bid.status === "approved" || bid.status === "part-approved");
  const { t } = useTranslation("routes");
  const errorText = useErrorText();
  const format = useFormat();
  return (
    <div className="max-w-3xl">
      <h1>
        {t("offer.heading", { title: "" })}
        <span translate="no">{bid.title}</span>
      </h1>
      <p className="muted">
        {bid.reference} · <span translate="no">{group.name}</span> · {t(`common:bidStatus.${bid.status}`)}
      </p>
      {done === "accept" ? (
        <p className="notice" role="status">
          {t("offer.accepted")}
        </p>
      ) : done === "decline" ? (
        <p className="notice" role="status">
          {t("offer.declined")}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{ response: t("offer.yourAnswer"), confirm: t("offer.terms"), note: t("offer.note") }}
      />
      <section className="panel" aria-labelledby="offer-terms">
        <h2 id="offer-terms" className="mt-0">
          {t("offer.offered", { amount: format.money(offer.amountPence), date: format.date(offer.createdAt) })}
        </h2>
        <h3>{t("offer.terms")}</h3>
        <p className="whitespace-pre-line" translate="no">
          {offer.terms}
        </p>
        {offer.conditions ? (
          <>
            <h3>{t("offer.conditions")}</h3>
            <p className="whitespace-pre-line" translate="no">
              {offer.conditions}
            </p>
          </>
        ) : null}
        {tranches.length > 1 ? (
          <>
            <h3>{t("offer.yearParts")}</h3>
            <p>{t("offer.yearPartsIntro", { count: tranches.length })}</p>
            <TrancheTable tranches={tranches} caption={t("offer.byYear")} />
          </>
        ) : null}
        <table className="table">
          <caption className="text-left font-semibold">{t("offer.schedule")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("offer.instalment")}</th>
              <th scope="col">{t("offer.amount")}</th>
              <th scope="col">{t("offer.due")}</th>
              <th scope="col">{t("offer.fy")}</th>
              <th scope="col">{t("offer.paid")}</th>
            </tr>
          </thead>
          <tbody>
            {instalments.map((i) => (
              <tr key={i.seq}>
                <td>{i.seq}</td>
                <td>{format.money(i.amountPence)}</td>
                <td>
                  {i.dueOn ? format.date(i.dueOn) : ""}
                  {i.afterMonitoring ? ` ${t("offer.afterMonitoring")}` : ""}
                </td>
                <td>{i.fy}</td>
                <td>{i.paidAt ? format.date(i.paidAt) : t("offer.notYet")}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {offer.acceptedAt ? <p>{t("offer.acceptedOn", { date: format.date(offer.acceptedAt) })}</p> : null}
        {offer.declinedAt ? <p>{t("offer.declinedOn", { date: format.date(offer.declinedAt) })}</p> : null}
      </section>
      {open ? (
        <Form method="post" noValidate>
          <h2>{t("offer.yourAnswer")}</h2>
          <RadioGroup
            name="response"
            legend={t("offer.legend")}
            state={state}
            options={[
              { value: "accept", label: t("offer.accept") },
              { value: "decline", label: t("offer.decline") },
            ]}
          />
          <div className={`field ${state?.errors?.confirm ? "field-error" : ""}`}>
            {state?.errors?.confirm ? (
              <p id="field-confirm-error" className="error-message">
                <span className="sr-only">{t("forms:errorPrefix")} </span>
                {errorText(state.errors.confirm)}
              </p>
            ) : null}
            <input
              type="checkbox"
              id="field-confirm"
              name="confirm"
              value="yes"
              aria-describedby={state?.errors?.confirm ? "field-confirm-error" : undefined}
            />{" "}
            <label htmlFor="field-confirm">{t("offer.agree", { group: group.name })}</label>
          </div>
          <TextAreaField name="note" label={t("offer.noteLabel")} hint={t("offer.noteHint")} state={state} rows={2} />
          <SubmitButton>{t("offer.send")}</SubmitButton>
        </Form>
      ) : null}
    </div>
  );
}
