/**
 * Officers: check one progress update. Publish it (residents see it on the project page) or send it
 * back to the group with a reason. When another officer has checked it meanwhile, nothing changes
 * and the page says so, showing their decision.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { DeliveryUpdateBody } from "~/components/delivery-updates";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { SEND_BACK_REASON_MAX } from "~/core/grants/delivery-updates";
import { checkDeliveryUpdate, updateForOfficer } from "~/models/delivery-updates.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam } from "~/utils/http.server";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("delivery:check.title");

const schema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("publish") }),
    z.object({
      intent: z.literal("send-back"),
      reason: z
        .string({ required_error: "delivery:errors.reasonRequired" })
        .trim()
        .min(1, "delivery:errors.reasonRequired")
        .max(SEND_BACK_REASON_MAX, "delivery:errors.reasonTooLong"),
    }),
  ],
  { errorMap: () => ({ message: "delivery:errors.intent" }) },
);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireRole(request, "admin");
  const updateId = idParam(params.updateId);
  const found = await loadingRefusals(() => updateForOfficer(updateId));
  return json({ ...found, ownUpdate: found.postedById === officer.id, postedById: undefined });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const officer = await requireRole(request, "admin");
  const updateId = idParam(params.updateId);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const decision =
    form.data.intent === "publish"
      ? ({ action: "publish" } as const)
      : ({ action: "send-back", reason: form.data.reason } as const);
  return answeringRefusals(form.values, () => {
    const outcome = checkDeliveryUpdate(officer, updateId, decision);
    return redirect(`/admin/delivery/${updateId}?done=${outcome}`);
  });
}

export default function CheckDeliveryUpdate() {
  const { bid, update, ownUpdate } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("delivery");
  const format = useFormat();
  const done = params.get("done");
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/admin/delivery">{t("check.backToQueue")}</Link>
      </p>
      <h1>{t("check.title")}</h1>
      {done === "published" ? (
        <p className="notice" role="status">
          {t("check.donePublished")}
        </p>
      ) : done === "sent-back" ? (
        <p className="notice" role="status">
          {t("check.doneSentBack")}
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ reason: t("check.reasonLabel") }} />
      <section className="panel" aria-labelledby="update-heading">
        <h2 id="update-heading" className="mt-0">
          <span translate="no">{bid.title}</span> <span className="muted text-base">{bid.reference}</span>
        </h2>
        <p className="muted">
          {t("check.postedBy", { date: format.dateTime(update.postedAt), name: update.postedBy, group: bid.groupName })}
        </p>
        <DeliveryUpdateBody body={update.body} photos={update.photos} photosLabel={t("member.photos")} />
        <p className="mt-4 mb-0">
          <Link to={`/projects/${bid.id}`}>{t("check.publicPage")}</Link>
        </p>
      </section>
      {update.status === "published" ? (
        <p className="summary-box">
          {t("check.publishedBy", { date: format.dateTime(update.checkedAt ?? ""), name: update.checkedBy ?? "" })}
        </p>
      ) : update.status === "sent-back" ? (
        <div className="summary-box">
          <p className="mt-0">
            {t("check.sentBackBy", { date: format.dateTime(update.checkedAt ?? ""), name: update.checkedBy ?? "" })}
          </p>
          <p className="m-0 whitespace-pre-line">{update.sendBackReason}</p>
        </div>
      ) : ownUpdate ? (
        <p className="notice">{t("errors.ownUpdate")}</p>
      ) : (
        <div className="grid gap-6 md:grid-cols-2">
          <section aria-labelledby="publish-heading">
            <h2 id="publish-heading">{t("check.publishHeading")}</h2>
            <Form method="post" noValidate>
              <p className="hint">{t("check.publishHint")}</p>
              <SubmitButton name="intent" value="publish">
                {t("check.publish")}
              </SubmitButton>
            </Form>
          </section>
          <section aria-labelledby="send-back-heading">
            <h2 id="send-back-heading">{t("check.sendBackHeading")}</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="send-back" />
              <TextAreaField
                name="reason"
                label={t("check.reasonLabel")}
                hint={t("check.reasonHint")}
                rows={4}
                maxLength={SEND_BACK_REASON_MAX}
                state={state}
              />
              <SubmitButton secondary>{t("check.sendBack")}</SubmitButton>
            </Form>
          </section>
        </div>
      )}
    </div>
  );
}
