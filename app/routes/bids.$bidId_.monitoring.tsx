import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { londonDateOf } from "~/core/ledger";
import { describeProjectEnd, formatDate } from "~/core/time";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { checkPhotoUpload, MAX_MONITORING_PHOTOS, PHOTO_WINDOW_DAYS } from "~/core/bids/files";
import { STATUS_LABELS } from "~/core/bids/status";
import { formatPence, formatPenceAsDecimal, tryParsePounds } from "~/core/money";
import type { Upload } from "~/models/attachment-files.server";
import { addMonitoringPhoto, monitoringForMember, submitMonitoringReportWithPhotos } from "~/models/monitoring.server";
import { requireBidMember } from "~/models/bids.server";
import { requireUser } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { readUploadForm } from "~/utils/uploads.server";

export const meta: MetaFunction = () => [{ title: "Monitoring report – Wardfund" }];

const schema = z.object({
  whatWasDone: z
    .string()
    .trim()
    .min(1, "Say what the project did")
    .max(4000, "What was done must be 4000 characters or fewer"),
  peopleReached: z.coerce
    .number({ invalid_type_error: "Enter the number of people reached, like 40" })
    .int("Enter a whole number")
    .min(0, "Enter 0 or more")
    .max(1_000_000, "Enter a smaller number"),
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

const TOO_MANY = `Send at most ${MAX_MONITORING_PHOTOS} photos, each smaller than 10 MB.`;

/** The first problem with the photos chosen, or null when all may be added. */
function photoProblem(photos: Upload[], oversized: string[], existing: number): string | null {
  if (oversized.length) return `"${oversized[0]}" is too big: each photo must be smaller than 10 MB.`;
  if (existing + photos.length > MAX_MONITORING_PHOTOS)
    return `A monitoring report can have at most ${MAX_MONITORING_PHOTOS} photos${existing ? ` (it has ${existing} already)` : ""}.`;
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
    ? `"${read.unreadable[0]}" could not be read as an image. Save it again as a PNG, JPEG or WebP file.`
    : photoProblem(photos, oversized, page.photos.length);

  if (formData.get("intent") === "add-photos") {
    if (photos.length === 0 && !problem)
      return json(failure({ photos: "Choose at least one photo." }, values), { status: 400 });
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
    if (!parsed.ok) errors[`spend-${line.lineNo}`] = parsed.error.userMessage;
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
  return (
    <fieldset className="field">
      <legend className="font-semibold">Photos (optional)</legend>
      <TextField
        name="photos"
        type="file"
        multiple
        accept="image/png,image/jpeg,image/webp"
        label={`Photos of the project: up to ${left} ${left === 1 ? "photo" : "photos"}`}
        hint="PNG, JPEG or WebP images, each smaller than 10 MB. Please do not send photos where people can be recognised unless they have agreed."
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
        <label htmlFor="field-photosPublic">These photos can be shown on the public ward page</label>
      </div>
    </fieldset>
  );
}

export default function MonitoringReport() {
  const { bid, report, lines, photos, today } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const labels: Record<string, string> = {
    whatWasDone: "What was done",
    peopleReached: "People reached",
    photos: "Photos",
  };
  for (const l of lines) labels[`spend-${l.lineNo}`] = `Spent on ${l.description}`;
  return (
    <div className="max-w-3xl">
      <h1>Monitoring report: {bid.title}</h1>
      <p className="muted">
        {bid.reference} · {STATUS_LABELS[bid.status]}
        {bid.endOn ? ` · ${describeProjectEnd(bid.endOn, today)}` : ""}
      </p>
      {params.has("done") ? (
        <p className="notice" role="status">
          Thank you: the council has your monitoring report.
        </p>
      ) : null}
      {params.has("photos") ? (
        <p className="notice" role="status">
          Photos added.
        </p>
      ) : null}
      <ErrorSummary state={state} labels={labels} />
      {!report ? (
        <p>
          No report is due yet. The council asks for one after the project's end date, once the grant has been paid.
        </p>
      ) : report.submittedAt ? (
        <section className="panel" aria-labelledby="sent">
          <h2 id="sent" className="mt-0">
            Sent on {formatDate(report.submittedAt)}
          </h2>
          <p className="whitespace-pre-line">{report.whatWasDone}</p>
          <p>People reached: {report.peopleReached}</p>
          <ul className="list-disc pl-6">
            {report.spend.map((s) => (
              <li key={s.lineNo}>
                {lines.find((l) => l.lineNo === s.lineNo)?.description ?? `Line ${s.lineNo}`}:{" "}
                {formatPence(s.actualPence)}
              </li>
            ))}
          </ul>
          {photos.length ? (
            <>
              <h3>Photos</h3>
              <ul className="list-disc pl-6">
                {photos.map((p) => (
                  <li key={p.id}>
                    <a href={`/bids/${bid.id}/files/${p.id}`}>{p.fileName}</a>{" "}
                    {p.isPublic ? "(shown on the ward page)" : "(not shown publicly)"}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {photos.length < MAX_MONITORING_PHOTOS && canAddPhotos(report.submittedAt) ? (
            <Form method="post" encType="multipart/form-data" noValidate>
              <input type="hidden" name="intent" value="add-photos" />
              <PhotoFields state={state} existing={photos.length} />
              <SubmitButton secondary>Add photos</SubmitButton>
            </Form>
          ) : null}
        </section>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate>
          <p>
            Due on {formatDate(report.dueOn)}. What you write under "what was done" is published on the ward's page.
          </p>
          <TextAreaField
            name="whatWasDone"
            label="What was done"
            hint="What the project did and what difference it made."
            state={state}
            rows={5}
          />
          <TextField
            name="peopleReached"
            label="How many people took part or benefited"
            inputMode="numeric"
            className="input w-32"
            state={state}
          />
          <fieldset className="field">
            <legend className="font-semibold">What was spent on each budget line (£)</legend>
            {lines.map((line) => (
              <TextField
                key={line.lineNo}
                name={`spend-${line.lineNo}`}
                label={`${line.description} (budget ${formatPence(line.amountPence)})`}
                inputMode="decimal"
                defaultValue={formatPenceAsDecimal(line.amountPence)}
                state={state}
              />
            ))}
          </fieldset>
          <PhotoFields state={state} existing={photos.length} />
          <SubmitButton>Send report</SubmitButton>
        </Form>
      )}
    </div>
  );
}

/** Photos may still be added for a week after the report is sent. */
function canAddPhotos(submittedAt: string): boolean {
  return Date.now() - new Date(submittedAt).getTime() <= PHOTO_WINDOW_DAYS * 86_400_000;
}
