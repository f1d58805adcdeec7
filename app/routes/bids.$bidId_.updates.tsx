/**
 * A funded group's progress updates on one of its grants: post a new update (text and up to three
 * photos, each described) while the grant is being delivered, and see each update's check.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { DeliveryUpdateBody } from "~/components/delivery-updates";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import {
  ALT_TEXT_MAX,
  checkUpdatePhoto,
  MAX_PHOTO_BYTES,
  MAX_UPDATE_PHOTOS,
  UPDATE_BODY_MAX,
  UPDATE_BODY_MIN,
} from "~/core/grants/delivery-updates";
import { requireBidMember } from "~/models/bids.server";
import { deliveryUpdatesForMember, postDeliveryUpdate, type UpdatePhotoInput } from "~/models/delivery-updates.server";
import { requireUser } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { idParam } from "~/utils/http.server";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";
import { readUploadForm } from "~/utils/uploads.server";

export const meta = titleMeta("delivery:member.title");

const SLOTS = Array.from({ length: MAX_UPDATE_PHOTOS }, (_, i) => i + 1);
const PHOTO_FIELDS = SLOTS.map((n) => `photo${n}`);

const altText = z.string().trim().max(ALT_TEXT_MAX, "delivery:errors.altTooLong").optional().default("");
const schema = z.object({
  body: z
    .string({ required_error: "delivery:errors.bodyShort" })
    .trim()
    .min(UPDATE_BODY_MIN, "delivery:errors.bodyShort")
    .max(UPDATE_BODY_MAX, "delivery:errors.bodyLong"),
  alt1: altText,
  alt2: altText,
  alt3: altText,
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const bidId = idParam(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  return json(await loadingRefusals(() => deliveryUpdatesForMember(user, bidId)));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const bidId = idParam(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const read = await readUploadForm(request, {
    field: PHOTO_FIELDS,
    maxFiles: MAX_UPDATE_PHOTOS,
    maxFileBytes: MAX_PHOTO_BYTES,
  });
  if (read === "too-large") return json(failure({ photo1: "delivery:errors.tooLarge" }, {}), { status: 413 });
  const values = formValues(read.formData);
  const form = parseForm(schema, read.formData);
  const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
  for (const field of read.refusedFields.oversized) errors[field] ??= "delivery:errors.photoTooBig";
  for (const field of read.refusedFields.unreadable) errors[field] ??= "delivery:errors.photoUnreadable";
  const refused = new Set([...read.refusedFields.oversized, ...read.refusedFields.unreadable]);
  const photos: UpdatePhotoInput[] = [];
  for (const n of SLOTS) {
    const index = read.fileFields.indexOf(`photo${n}`);
    const upload = index >= 0 ? read.files[index] : undefined;
    const alt = (values[`alt${n}`] ?? "").trim();
    if (upload) {
      const check = checkUpdatePhoto(upload);
      if (!check.ok) errors[`photo${n}`] ??= check.message;
      if (!alt) errors[`alt${n}`] ??= "delivery:errors.altRequired";
      photos.push({ upload, altText: alt });
    } else if (alt && !refused.has(`photo${n}`)) {
      errors[`photo${n}`] ??= "delivery:errors.altWithoutPhoto";
    }
  }
  if (!form.ok || Object.keys(errors).length > 0) return json(failure(errors, values), { status: 400 });
  return answeringRefusals(values, () => {
    postDeliveryUpdate(user, bidId, { body: form.data.body, photos });
    return redirect(`/bids/${bidId}/updates?posted=1`);
  });
}

export default function DeliveryUpdatesForGroup() {
  const { bid, open, updates } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("delivery");
  const format = useFormat();
  const labels: Record<string, string> = { body: t("member.bodyLabel") };
  for (const n of SLOTS) {
    labels[`photo${n}`] = t("member.photoLabel", { n });
    labels[`alt${n}`] = t("member.altLabel", { n });
  }
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/bids/${bid.id}`}>{t("member.backToBid")}</Link>
      </p>
      <h1>
        {t("member.heading")}
        <span translate="no">{bid.title}</span>
      </h1>
      <p className="muted">
        {bid.reference} · {t(`common:bidStatus.${bid.status}`)}
      </p>
      {params.has("posted") ? (
        <p className="notice" role="status">
          {t("member.posted")}
        </p>
      ) : null}
      <p>{t("member.intro")}</p>
      <ErrorSummary state={state} labels={labels} />
      {open ? (
        <section aria-labelledby="new-update" className="panel">
          <h2 id="new-update" className="mt-0">
            {t("member.newHeading")}
          </h2>
          <Form method="post" encType="multipart/form-data" noValidate>
            <TextAreaField
              name="body"
              label={t("member.bodyLabel")}
              hint={t("member.bodyHint")}
              rows={6}
              maxLength={UPDATE_BODY_MAX}
              state={state}
            />
            <fieldset className="field">
              <legend className="font-semibold">{t("member.photosLegend")}</legend>
              <p className="hint">{t("member.photosHint")}</p>
              {SLOTS.map((n) => (
                <div key={n} className="mt-4">
                  <TextField
                    name={`photo${n}`}
                    type="file"
                    accept="image/jpeg,image/png"
                    label={t("member.photoLabel", { n })}
                    state={state}
                  />
                  <TextField
                    name={`alt${n}`}
                    label={t("member.altLabel", { n })}
                    hint={t("member.altHint")}
                    maxLength={ALT_TEXT_MAX}
                    state={state}
                  />
                </div>
              ))}
            </fieldset>
            <SubmitButton>{t("member.submit")}</SubmitButton>
          </Form>
        </section>
      ) : (
        <p className="notice">{t("member.closed")}</p>
      )}
      <h2>{t("member.yourUpdates")}</h2>
      {updates.length === 0 ? (
        <p>{t("member.none")}</p>
      ) : (
        <ol className="space-y-4">
          {updates.map((update) => (
            <li key={update.id} className="panel">
              <p className="muted m-0">
                {t("member.postedBy", { date: format.date(update.postedAt), name: update.postedBy })}
              </p>
              <p className="font-semibold">
                {t(`status.${update.status}`, { date: update.checkedAt ? format.date(update.checkedAt) : "" })}
              </p>
              {update.sendBackReason ? (
                <div className="summary-box">
                  <h3 className="mt-0 text-base">{t("member.reason")}</h3>
                  <p className="m-0 whitespace-pre-line">{update.sendBackReason}</p>
                </div>
              ) : null}
              <DeliveryUpdateBody body={update.body} photos={update.photos} photosLabel={t("member.photos")} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
