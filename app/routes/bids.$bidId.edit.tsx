import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, MaxPartSizeExceededError, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { BID_FIELD_LABELS, BID_STEP_TITLES, BID_STEPS, isEditable, MAX_FILE_BYTES, MAX_FILES_PER_BID, ruleNotes, STATUS_LABELS, type BidIssue, type BidStep } from "~/core/bids";
import { formatPence, tryParsePounds } from "~/core/money";
import { BLANK_LINE_ROWS, lineField, MIN_LINE_ROWS, nextStep, parseAboutStep, parseMoneyStep, parseWhereStep, previousStep, rowsSent, stepOf } from "~/forms/bid-form";
import { addBidAttachment, BidIncomplete, latestChangeRequest, removeBidAttachment, requireBidMember, saveBidStep, submissionIssues, submitBid } from "~/models/bids.server";
import { listWards } from "~/models/council.server";
import { requireUser } from "~/utils/auth.server";
import { formValues } from "~/utils/form";
import { idParam } from "~/utils/http.server";
import { appUrl, deliverMail } from "~/utils/mail.server";
import { isRefusal } from "~/utils/refusal";
import { loadingRefusals, refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${BID_STEP_TITLES[data.step]}: ${data.bid.reference} – Wardfund` : "Bid – Wardfund" }];

const editUrl = (bidId: number, step: BidStep, extra = "") => `/bids/${bidId}/edit?step=${step}${extra}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  const loaded = await loadingRefusals(() => requireBidMember(user, bidId));
  const { bid, terms, wards, lines, files, group } = loaded;
  if (!isEditable(bid.status)) throw redirect(`/bids/${bidId}`);
  const url = new URL(request.url);
  const step = stepOf(url.searchParams.get("step"), stepOf(bid.draftStep));
  const extraRows = Math.min(Math.max(Number(url.searchParams.get("rows")) || 0, 0), 30);
  const wardNames = new Map(listWards().map((w) => [w.id, w.name] as const));
  return json({
    step,
    bid: {
      id: bid.id,
      reference: bid.reference,
      status: bid.status,
      title: bid.title,
      summary: bid.summary,
      description: bid.description,
      amountPence: bid.amountPence,
      beneficiaries: bid.beneficiaries,
      beneficiaryCount: bid.beneficiaryCount,
      startOn: bid.startOn,
      endOn: bid.endOn,
    },
    group,
    fund: { name: terms.name, kind: terms.kind, minPence: terms.minPence, maxPence: terms.maxPence, criteria: terms.criteria, notes: ruleNotes(terms) },
    wardOptions: terms.wardIds.map((id) => ({ value: String(id), label: wardNames.get(id) ?? `Ward ${id}` })).sort((a, b) => a.label.localeCompare(b.label)),
    wards,
    lines,
    lineRows: Math.max(lines.length + BLANK_LINE_ROWS, MIN_LINE_ROWS, extraRows),
    files,
    issues: step === "review" ? submissionIssues(loaded) : [],
    changeRequest: bid.status === "changes-requested" ? latestChangeRequest(bidId) : null,
  });
}

type ActionData = {
  ok: false;
  errors: Record<string, string>;
  values: Record<string, string>;
  formError?: string;
  issues?: BidIssue[];
  rows?: number;
  intent?: string;
};

const fail = (data: Omit<ActionData, "ok">, status: number) => json<ActionData>({ ok: false, ...data }, { status });

/** Reads an upload: one file part of at most 10 MB, kept in memory. */
async function readUpload(request: Request): Promise<FormData | "too-large"> {
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > MAX_FILE_BYTES + 64 * 1024) return "too-large";
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return "too-large";
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const isUpload = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  try {
    if (isUpload) {
      const formData = await readUpload(request);
      if (formData === "too-large") return fail({ errors: { file: "The file must be smaller than 10 MB." }, values: {}, intent: "upload" }, 413);
      const file = formData.get("file");
      if (!(file instanceof File) || file.size === 0) return fail({ errors: { file: "Choose a file to upload." }, values: {}, intent: "upload" }, 400);
      const bytes = new Uint8Array(await file.arrayBuffer());
      addBidAttachment(user, bidId, { fileName: file.name, sizeBytes: bytes.byteLength, bytes });
      return redirect(editUrl(bidId, "files", "&saved=file"));
    }

    const formData = await request.formData();
    const intent = String(formData.get("intent") ?? "");
    const values = formValues(formData);
    if (intent === "remove-file") {
      removeBidAttachment(user, bidId, String(formData.get("fileId") ?? ""));
      return redirect(editUrl(bidId, "files", "&saved=removed"));
    }
    if (intent === "submit") {
      const { mailIds } = submitBid(user, bidId, { bidUrl: appUrl(request, `/bids/${bidId}`) });
      await deliverMail(mailIds);
      return redirect(`/bids/${bidId}?submitted=1`);
    }

    const step = stepOf(formData.get("step"));
    const parsed = step === "about" ? parseAboutStep(formData) : step === "money" ? parseMoneyStep(formData) : step === "where" ? parseWhereStep(formData) : null;
    if (!parsed) return redirect(editUrl(bidId, intent === "continue" ? nextStep(step) : step));
    const rows = rowsSent(formData) + (intent === "add-line" ? 1 : 0);
    if (!parsed.ok) return fail({ errors: parsed.errors, values, rows, intent }, 400);
    saveBidStep(user, bidId, parsed.data);
    if (intent === "add-line") return redirect(editUrl(bidId, "money", `&rows=${rows}#${lineField(rows - 1, "description")}`));
    if (intent === "continue") {
      // Saved; before moving on, the step's own problems are shown (the rest wait for the review).
      const problems = submissionIssues(requireBidMember(user, bidId)).filter((i) => i.step === step);
      if (problems.length) return fail({ errors: Object.fromEntries(problems.map((p) => [p.field, p.message])), values, rows, intent, formError: "Your changes are saved. Put these right before you continue:" }, 400);
      return redirect(editUrl(bidId, nextStep(step)));
    }
    return redirect(editUrl(bidId, step, "&saved=draft"));
  } catch (error) {
    if (error instanceof BidIncomplete) return fail({ errors: {}, values: {}, issues: error.issues, intent: "submit" }, 422);
    if (isRefusal(error)) return fail({ ...refusalFailure(error), intent: "refused" }, error.status);
    throw error;
  }
}

const NOTICES: Record<string, string> = {
  draft: "Your draft is saved. You can leave and come back to it at any time.",
  file: "File uploaded.",
  removed: "File removed.",
};

export default function EditBid() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { step, bid } = data;
  const notice = NOTICES[params.get("saved") ?? ""];
  const back = previousStep(step);
  return (
    <div className="max-w-3xl">
      <p className="muted">
        {bid.reference} · {data.group.name} · {data.fund.name} · {STATUS_LABELS[bid.status]}
      </p>
      <nav aria-label="Steps of the bid">
        <ol className="flex flex-wrap gap-x-4 gap-y-1 list-decimal pl-6 mb-4">
          {BID_STEPS.map((s) => (
            <li key={s}>
              <Link to={editUrl(bid.id, s)} aria-current={s === step ? "step" : undefined} className={s === step ? "font-bold" : undefined}>
                {BID_STEP_TITLES[s]}
              </Link>
            </li>
          ))}
        </ol>
      </nav>
      {back ? (
        <p>
          <Link to={editUrl(bid.id, back)}>Back to {BID_STEP_TITLES[back].toLowerCase()}</Link>
        </p>
      ) : null}
      <h1>{BID_STEP_TITLES[step]}</h1>
      {data.changeRequest ? (
        <div className="notice" role="note">
          <h2 className="mt-0 text-lg">Changes requested</h2>
          <p>
            {data.changeRequest.deciderName} asked for changes to version {data.changeRequest.version} on {data.changeRequest.decidedAt.slice(0, 10)}:
          </p>
          <p className="whitespace-pre-line">{data.changeRequest.reason ?? "No details were given."}</p>
          <p>Edit the bid, then check and submit it again. The council keeps every version.</p>
        </div>
      ) : null}
      {notice && !state ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {state?.issues ? <IssueSummary bidId={bid.id} issues={state.issues} /> : <ErrorSummary state={state} labels={BID_FIELD_LABELS} />}
      {step === "about" ? <AboutStep /> : null}
      {step === "money" ? <MoneyStep /> : null}
      {step === "where" ? <WhereStep /> : null}
      {step === "files" ? <FilesStep /> : null}
      {step === "review" ? <ReviewStep /> : null}
    </div>
  );
}

function StepButtons({ step }: { step: BidStep }) {
  return (
    <div className="flex flex-wrap gap-4 mt-6">
      <input type="hidden" name="step" value={step} />
      <SubmitButton name="intent" value="continue">
        Save and continue
      </SubmitButton>
      <SubmitButton name="intent" value="save" secondary>
        Save draft
      </SubmitButton>
    </div>
  );
}

function AboutStep() {
  const { bid, fund } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <Form method="post" noValidate>
      {fund.criteria ? <p className="hint">What {fund.name} funds: {fund.criteria}</p> : null}
      <TextField name="title" label="Project title" hint="A short name people will recognise, up to 120 characters." defaultValue={bid.title} state={state} />
      <TextAreaField name="summary" label="Summary" hint="One or two sentences, up to 300 characters. This may be published." rows={3} defaultValue={bid.summary} state={state} />
      <TextAreaField name="description" label="Description" hint="What you will do, why it is needed and what difference it will make." rows={8} defaultValue={bid.description} state={state} />
      <StepButtons step="about" />
    </Form>
  );
}

function penceOf(text: string): number | null {
  const parsed = tryParsePounds(text, { allowZero: false });
  return parsed.ok ? parsed.pence : null;
}

const poundsText = (pence: number | null | undefined) => (pence == null ? "" : (pence / 100).toFixed(2));

function MoneyStep() {
  const { bid, fund, lines, lineRows } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [rows, setRows] = useState<number>(state?.rows ?? lineRows);
  const [totals, setTotals] = useState<{ lines: number; amount: number | null } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => setRows(state?.rows ?? lineRows), [state, lineRows]);

  const recount = () => {
    const form = formRef.current;
    if (!form) return;
    const data = new FormData(form);
    let sum = 0;
    for (let i = 0; i < rows; i += 1) sum += penceOf(String(data.get(lineField(i, "amount")) ?? "")) ?? 0;
    setTotals({ lines: sum, amount: penceOf(String(data.get("amount") ?? "")) });
  };
  useEffect(recount, [rows]);

  const addLine = (event: FormEvent<HTMLButtonElement>) => {
    // With JavaScript a row appears at once; without it the button saves and the page comes back with one more.
    event.preventDefault();
    setRows((n) => n + 1);
    requestAnimationFrame(() => document.getElementById(`field-${lineField(rows, "description")}`)?.focus());
  };

  const savedTotal = lines.reduce((s, l) => s + l.amountPence, 0);
  const shownTotals = totals ?? { lines: savedTotal, amount: bid.amountPence };
  const limits = fund.minPence != null && fund.maxPence != null ? `${fund.name} gives grants from ${formatPence(fund.minPence)} to ${formatPence(fund.maxPence)}.` : undefined;
  return (
    <Form method="post" noValidate ref={formRef} onInput={recount}>
      {fund.notes.length ? (
        <ul className="list-disc pl-6 mb-4">
          {fund.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <TextField name="amount" label="Amount you are asking for (£)" hint={limits} inputMode="decimal" className="max-w-48" defaultValue={poundsText(bid.amountPence)} state={state} />
      <fieldset className={`field ${state?.errors?.lines ? "field-error" : ""}`} aria-describedby="lines-hint">
        <legend className="font-semibold text-lg">Budget lines</legend>
        <p className="hint" id="lines-hint">
          What the money will be spent on. The lines must add up exactly to the amount you are asking for. Leave spare rows empty.
        </p>
        {state?.errors?.lines ? (
          <p id="field-lines-error" className="error-message">
            <span className="sr-only">Error: </span>
            {state.errors.lines}
          </p>
        ) : null}
        <div id="field-lines" tabIndex={-1}>
          <input type="hidden" name="rows" value={rows} />
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="grid sm:grid-cols-[1fr_10rem] gap-x-4">
              <TextField name={lineField(i, "description")} label={`Line ${i + 1}: what it is for`} defaultValue={lines[i]?.description ?? ""} state={state} />
              <TextField name={lineField(i, "amount")} label={`Line ${i + 1}: cost (£)`} inputMode="decimal" defaultValue={poundsText(lines[i]?.amountPence)} state={state} />
            </div>
          ))}
        </div>
        <button type="submit" name="intent" value="add-line" className="button button-secondary" onClick={addLine}>
          Add another line
        </button>
        <p className="mt-4" aria-live="polite">
          Budget lines add up to <strong>{formatPence(shownTotals.lines)}</strong>
          {shownTotals.amount != null ? (
            <>
              {" "}
              of the <strong>{formatPence(shownTotals.amount)}</strong> you are asking for
              {shownTotals.lines === shownTotals.amount ? "." : ` (${formatPence(Math.abs(shownTotals.amount - shownTotals.lines))} ${shownTotals.lines < shownTotals.amount ? "short" : "over"}).`}
            </>
          ) : (
            "."
          )}
        </p>
      </fieldset>
      <StepButtons step="money" />
    </Form>
  );
}

function WhereStep() {
  const { bid, wardOptions, wards } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <Form method="post" noValidate>
      <CheckboxGroup name="wardIds" legend="Which wards will the project benefit?" hint="Choose every ward that benefits." options={wardOptions} defaultChecked={wards.map((w) => String(w.id))} state={state} />
      <TextAreaField name="beneficiaries" label="Who will benefit?" hint="For example: older residents of the estate, families using the park." rows={3} defaultValue={bid.beneficiaries} state={state} />
      <TextField name="beneficiaryCount" label="About how many people will benefit?" inputMode="numeric" className="max-w-32" defaultValue={bid.beneficiaryCount == null ? "" : String(bid.beneficiaryCount)} state={state} />
      <TextField name="startOn" type="date" label="Start date" hint="For example 2027-01-15." className="max-w-48" defaultValue={bid.startOn ?? ""} state={state} />
      <TextField name="endOn" type="date" label="End date" className="max-w-48" defaultValue={bid.endOn ?? ""} state={state} />
      <StepButtons step="where" />
    </Form>
  );
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);

function FilesStep() {
  const { bid, files } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <>
      <p>Add photos, plans or quotes: up to {MAX_FILES_PER_BID} files, each a PNG, JPEG or WebP image or a PDF, smaller than 10 MB.</p>
      {files.length ? (
        <table className="mb-6">
          <caption className="sr-only">Files attached to the bid</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.id}>
                <td>
                  <a href={`/bids/${bid.id}/files/${f.id}`}>{f.fileName}</a>
                </td>
                <td>{sizeText(f.sizeBytes)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove-file" />
                    <input type="hidden" name="fileId" value={f.id} />
                    <button type="submit" className="button button-secondary" aria-label={`Remove ${f.fileName}`}>
                      Remove
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No files yet.</p>
      )}
      {files.length < MAX_FILES_PER_BID ? (
        <Form method="post" encType="multipart/form-data" noValidate>
          <TextField name="file" type="file" label="Upload a file" accept="image/png,image/jpeg,image/webp,application/pdf" state={state} />
          <SubmitButton secondary>Upload file</SubmitButton>
        </Form>
      ) : (
        <p>This bid has {MAX_FILES_PER_BID} files, the most it can have. Remove one to add another.</p>
      )}
      <p className="mt-6">
        <Link to={editUrl(bid.id, "review")} className="button">
          Continue
        </Link>
      </p>
    </>
  );
}

function ReviewStep() {
  const { bid, fund, wards, lines, files, issues } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const shownIssues = state?.issues ?? issues;
  const rows: [string, string, BidStep][] = [
    ["Project title", bid.title, "about"],
    ["Summary", bid.summary, "about"],
    ["Description", bid.description, "about"],
    ["Amount requested", bid.amountPence == null ? "" : formatPence(bid.amountPence), "money"],
    ["Budget lines", lines.map((l) => `${l.description}: ${formatPence(l.amountPence)}`).join("\n"), "money"],
    ["Wards", wards.map((w) => w.name).join(", "), "where"],
    ["Who benefits", bid.beneficiaries, "where"],
    ["How many people", bid.beneficiaryCount == null ? "" : String(bid.beneficiaryCount), "where"],
    ["Dates", bid.startOn || bid.endOn ? `${bid.startOn ?? "?"} to ${bid.endOn ?? "?"}` : "", "where"],
    ["Files", files.map((f) => f.fileName).join("\n"), "files"],
  ];
  return (
    <>
      {!state?.issues && shownIssues.length ? (
        <div className="notice">
          <h2 className="mt-0 text-lg">Before you can submit</h2>
          <ul className="list-disc pl-6">
            {shownIssues.map((issue) => (
              <li key={`${issue.step}-${issue.field}`}>
                <Link to={`${editUrl(bid.id, issue.step)}#field-${issue.field}`}>
                  {BID_FIELD_LABELS[issue.field] ?? issue.field}: {issue.message}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="grid sm:grid-cols-[12rem_1fr_auto] gap-x-4 gap-y-2 mb-6">
        {rows.map(([label, value, step]) => (
          <div key={label} className="contents">
            <dt className="font-semibold">{label}</dt>
            <dd className="whitespace-pre-line">{value || <span className="muted">Not given</span>}</dd>
            <dd>
              <Link to={editUrl(bid.id, step)} aria-label={`Change ${label.toLowerCase()}`}>
                Change
              </Link>
            </dd>
          </div>
        ))}
      </dl>
      <Form method="post">
        <p>When you submit, the bid goes to {fund.kind === "pb-round" ? "the council to check before the vote" : "the councillors of its wards to decide"}. You cannot change it after that unless they ask for changes.</p>
        <SubmitButton name="intent" value="submit">
          {bid.status === "changes-requested" ? "Submit the changed bid" : "Submit bid"}
        </SubmitButton>
      </Form>
    </>
  );
}

/** The error summary of a refused submission: every problem, each linking to its step and field. */
function IssueSummary({ bidId, issues }: { bidId: number; issues: BidIssue[] }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [issues]);
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="error-summary">
      <h2 id="error-summary-title" className="text-lg font-bold">
        The bid cannot be submitted yet
      </h2>
      <ul className="list-disc pl-6">
        {issues.map((issue) => (
          <li key={`${issue.step}-${issue.field}`}>
            <a href={`${editUrl(bidId, issue.step)}#field-${issue.field}`} className="underline">
              {BID_STEP_TITLES[issue.step]}, {(BID_FIELD_LABELS[issue.field] ?? issue.field).toLowerCase()}: {issue.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
