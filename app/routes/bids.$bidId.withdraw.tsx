import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, TextAreaField } from "~/components/forms";
import { canWithdraw, requireBidMember, withdrawBid } from "~/models/bids.server";
import { requireUser } from "~/utils/auth.server";
import { formValues } from "~/utils/form";
import { idParam } from "~/utils/http.server";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  const page = data ? t("routes:withdraw.title", { reference: data.reference }) : t("routes:withdraw.titleGeneric");
  return [{ title: t("common:title", { page }) }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  const { bid, terms } = await loadingRefusals(() => requireBidMember(user, bidId));
  return json({
    bidId,
    reference: bid.reference,
    title: bid.title,
    status: bid.status,
    allowed: canWithdraw(terms.kind, bid.status),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const formData = await request.formData();
  const values = formValues(formData);
  return answeringRefusals(values, () => {
    withdrawBid(user, bidId, String(formData.get("reason") ?? ""));
    return redirect(`/bids/${bidId}?withdrawn=1`);
  });
}

export default function WithdrawBid() {
  const { bidId, reference, title, status, allowed } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("routes");
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/bids/${bidId}`}>{t("withdraw.back")}</Link>
      </p>
      <h1>{t("withdraw.title", { reference })}</h1>
      {title ? <p translate="no">{title}</p> : <p>{t("withdraw.untitled")}</p>}
      <ErrorSummary state={state} labels={{ reason: t("withdraw.reason") }} />
      {allowed ? (
        <Form method="post" noValidate>
          <p>{t("withdraw.explain")}</p>
          <TextAreaField
            name="reason"
            label={t("withdraw.reasonLabel")}
            hint={t("withdraw.reasonHint")}
            rows={4}
            state={state}
          />
          <button type="submit" className="button button-warning">
            {t("withdraw.submit")}
          </button>
        </Form>
      ) : (
        <p>{t("withdraw.notAllowed", { status: t(`common:bidStatus.${status}`) })}</p>
      )}
    </div>
  );
}
