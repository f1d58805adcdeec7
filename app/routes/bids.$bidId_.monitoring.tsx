import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { londonDateOf } from "~/core/ledger";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { messageKey } from "~/core/messages/message-key";
import { checkPhotoUpload, MAX_MONITORING_PHOTOS, PHOTO_WINDOW_DAYS } from "~/core/bids/files";
import { formatPenceAsDecimal, tryParsePounds } from "~/core/money";
import type { Upload } from "~/models/attachment-files.server";
import { addMonitoringPhoto, monitoringForMember, submitMonitoringReportWithPhotos } from "~/models/monitoring.server";
import { requireBidMember } from "~/models/bids.server";
import { requireUser } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";
import { readUploadForm } from "~/utils/uploads.server";

export const meta = titleMeta("bids:monitoring.title");

const schema = z.object({
  whatWasDone: z
    .string()
    .trim()
    .min(1, "bids:monitoring.errors.whatWasDone")
    .max(4000, "bids:monitoring.errors.whatWasDoneTooLong"),
  peopleReached: z.coerce
    .number({ invalid_type_error: "bids:monitoring.errors.peopleReached" })
    .int("bids:monitoring.errors.whole")
    .min(0, "bids:monitoring.errors.notNegative")
    .max(1_000_000, "bids:monitoring.errors.tooBig"),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  return json({
    ...(await loadingRefusals(() => monitoringForMember(user, bidId))),
    today: londonDateOf(new Date()),
  });
}

const TOO_MANY = messageKey("bids:monitoring.errors.tooMany", { max: MAX_MONITORING_PHOTOS });

/** The first problem with the photos chosen, or null when all may be added. */
function photoProblem(photos: Upload[], oversized: string[], existing: number): string | null {
  if (oversized.length) return messageKey("bids:files.photoTooLarge", { file: oversized[0]! });
  if (existing + photos.length > MAX_MONITORING_PHOTOS)
    return existing
      ? messageKey("bids:monitoring.errors.tooManyHas", { max: MAX_MONITORING_PHOTOS, count: existing })
      : messageKey("bids:files.tooManyPhotos", { max: MAX_MONITORING_PHOTOS });
  for (const [i, photo] of photos.entries()) {
    const check = checkPhotoUpload(photo, existing + i);
    if (!check.ok) return check.message;
  }
  return null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const read = await readUploadForm(request, { field: "photos", maxFiles: MAX_MONITORING_PHOTOS });
  if (read === "too-large") return json(failure({ photos: TOO_MANY }, {}), { status: 413 });
  const { formData, files: photos, oversized } = read;
  const values = formValues(formData);
  const page = await loadingRefusals(() => monitoringForMember(user, bidId));
  const isPublic = formData.get("photosPublic") === "yes";
  const problem = read.unreadable.length
    ? messageKey("bids:monitoring.errors.unreadable", { file: read.unreadable[0]! })
    : photoProblem(photos, oversized, page.photos.length);

  if (formData.get("intent") === "add-photos") {
    if (photos.length === 0 && !problem)
      return json(failure({ photos: "bids:monitoring.errors.choosePhoto" }, values), { status: 400 });
    if (problem) return json(failure({ photos: problem }, values), { status: 400 });
    const addPhotos = () => {
      for (const photo of photos) addMonitoringPhoto(user, bidId, photo, isPublic);
      return redirect(`/bids/${bidId}/monitoring?photos=1`);
    };
    return answeringRefusals(values, addPhotos, { field: "photos", notFoundStatus: 404 });
  }

  const form = parseForm(schema, formData);
  const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
  if (problem) errors.photos = problem;
  const spend = page.lines.map((line) => {
    const raw = String(formData.get(`spend-${line.lineNo}`) ?? "").trim();
    const parsed = tryParsePounds(raw || "0", { allowZero: true });
    if (!parsed.ok) errors[`spend-${line.lineNo}`] = `bids:money.${parsed.error.code}`;
    return { lineNo: line.lineNo, actualPence: parsed.ok ? parsed.pence : 0 };
  });
  if (!form.ok || Object.keys(errors).length) return json(failure(errors, values), { status: 400 });
  const report = { whatWasDone: form.data.whatWasDone, peopleReached: form.data.peopleReached, spend };
  const submit = () => {
    submitMonitoringReportWithPhotos(user, bidId, report, { uploads: photos, isPublic });
    return redirect(`/bids/${bidId}/monitoring?done=1`);
  };
  return answeringRefusals(values, submit, { notFoundStatus: 404 });
}

function PhotoFields({
  state,
  existing,
}: {
  state: ReturnType<typeof useActionData<typeof action>>;
  existing: number;
}) {
  const left = MAX_MONITORING_PHOTOS - existing;
  const { t } = useTranslation("bids");
  return (
    <fieldset className="field">
      <legend className="font-semibold">{t("monitoring.photosLegend")}</legend>
      <TextField
        name="photos"
        type="file"
        multiple
        accept="image/png,image/jpeg,image/webp"
        label={t("monitoring.photosLabel", { count: left })}
        hint={t("monitoring.photosHint")}
        state={state}
      />
      <div className="flex items-start gap-2">
        <input
          type="checkbox"
          id="field-photosPublic"
          name="photosPublic"
          value="yes"
          defaultChecked={state?.values?.photosPublic === "yes"}
        />
        <label htmlFor="field-photosPublic">{t("monitoring.photosPublic")}</label>
      </div>
    </fieldset>
  );
}

export default function MonitoringReport() {
  const { bid, report, lines, photos, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("bids");
  const { date, money, number } = useFormat();
  const labels: Record<string, string> = {
    whatWasDone: t("monitoring.whatWasDone"),
    peopleReached: t("monitoring.peopleReached"),
    photos: t("monitoring.photos"),
  };
  for (const l of lines) labels[`spend-${l.lineNo}`] = t("monitoring.spentOn", { line: l.description });
  return (
    <div className="max-w-3xl">
      <h1>
        <Trans
          t={t}
          i18nKey="monitoring.heading"
          values={{ title: bid.title }}
          components={{ name: <span translate="no" /> }}
        />
      </h1>
      <p className="muted">
        {bid.reference} · {t(`status.${bid.status}`)}
        {bid.endOn
          ? ` · ${t(bid.endOn < today ? "monitoring.ended" : "monitoring.ends", { date: date(bid.endOn) })}`
          : ""}
      </p>
      {params.has("done") ? (
        <p className="notice" role="status">
          {t("monitoring.done")}
        </p>
      ) : null}
      {params.has("photos") ? (
        <p className="notice" role="status">
          {t("monitoring.photosAdded")}
        </p>
      ) : null}
      <ErrorSummary state={state} labels={labels} />
      {!report ? (
        <p>{t("monitoring.notDue")}</p>
      ) : report.submittedAt ? (
        <section className="panel" aria-labelledby="sent">
          <h2 id="sent" className="mt-0">
            {t("monitoring.sentOn", { date: date(report.submittedAt) })}
          </h2>
          <p className="whitespace-pre-line" translate="no">
            {report.whatWasDone}
          </p>
          <p>
            {t("monitoring.peopleReachedCount", {
              people: report.peopleReached == null ? "" : number(report.peopleReached),
            })}
          </p>
          <ul className="list-disc pl-6">
            {report.spend.map((s) => (
              <li key={s.lineNo}>
                <span translate="no">
                  {lines.find((l) => l.lineNo === s.lineNo)?.description ?? t("monitoring.line", { line: s.lineNo })}
                </span>
                : {money(s.actualPence)}
              </li>
            ))}
          </ul>
          {photos.length ? (
            <>
              <h3>{t("monitoring.photos")}</h3>
              <ul className="list-disc pl-6">
                {photos.map((p) => (
                  <li key={p.id}>
                    <a href={`/bids/${bid.id}/files/${p.id}`} translate="no">
                      {p.fileName}
                    </a>{" "}
                    {t(p.isPublic ? "monitoring.shown" : "monitoring.notShown")}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {photos.length < MAX_MONITORING_PHOTOS && canAddPhotos(report.submittedAt) ? (
            <Form method="post" encType="multipart/form-data" noValidate>
              <input type="hidden" name="intent" value="add-photos" />
              <PhotoFields state={state} existing={photos.length} />
              <SubmitButton secondary>{t("monitoring.addPhotos")}</SubmitButton>
            </Form>
          ) : null}
        </section>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate>
          <p>{t("monitoring.due", { date: date(report.dueOn) })}</p>
          <TextAreaField
            name="whatWasDone"
            label={t("monitoring.whatWasDone")}
            hint={t("monitoring.whatWasDoneHint")}
            state={state}
            rows={5}
          />
          <TextField
            name="peopleReached"
            label={t("monitoring.peopleLabel")}
            inputMode="numeric"
            className="input w-32"
            state={state}
          />
          <fieldset className="field">
            <legend className="font-semibold">{t("monitoring.spendLegend")}</legend>
            {lines.map((line) => (
              <TextField
                key={line.lineNo}
                name={`spend-${line.lineNo}`}
                label={t("monitoring.spendLabel", { line: line.description, amount: money(line.amountPence) })}
                inputMode="decimal"
                defaultValue={formatPenceAsDecimal(line.amountPence)}
                state={state}
              />
            ))}
          </fieldset>
          <PhotoFields state={state} existing={photos.length} />
          <SubmitButton>{t("monitoring.send")}</SubmitButton>
        </Form>
      )}
    </div>
  );
}

/** Photos may still be added for a week after the report is sent. */
function canAddPhotos(submittedAt: string): boolean {
  return Date.now() - new Date(submittedAt).getTime() <= PHOTO_WINDOW_DAYS * 86_400_000;
}
