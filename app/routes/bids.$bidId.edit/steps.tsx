/** The steps of the bid form, each reading the page's loader data and the last answer of its action. */
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { CheckboxGroup, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { BID_FIELD_LABELS, BID_STEP_TITLES, MAX_FILES_PER_BID, type BidIssue, type BidStep } from "~/core/bids";
import { formatPence, tryParsePounds } from "~/core/money";
import { lineField } from "~/forms/bid-form";
import { editUrl } from "./edit-url";
import type { action, loader } from "./route";

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

export function AboutStep() {
  const { bid, fund } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <Form method="post" noValidate>
      {fund.criteria ? (
        <p className="hint">
          What {fund.name} funds: {fund.criteria}
        </p>
      ) : null}
      <TextField
        name="title"
        label="Project title"
        hint="A short name people will recognise, up to 120 characters."
        defaultValue={bid.title}
        state={state}
      />
      <TextAreaField
        name="summary"
        label="Summary"
        hint="One or two sentences, up to 300 characters. This may be published."
        rows={3}
        defaultValue={bid.summary}
        state={state}
      />
      <TextAreaField
        name="description"
        label="Description"
        hint="What you will do, why it is needed and what difference it will make."
        rows={8}
        defaultValue={bid.description}
        state={state}
      />
      <StepButtons step="about" />
    </Form>
  );
}

function penceOf(text: string): number | null {
  const parsed = tryParsePounds(text, { allowZero: false });
  return parsed.ok ? parsed.pence : null;
}

const poundsText = (pence: number | null | undefined) => (pence == null ? "" : (pence / 100).toFixed(2));

export function MoneyStep() {
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
  const limits =
    fund.minPence != null && fund.maxPence != null
      ? `${fund.name} gives grants from ${formatPence(fund.minPence)} to ${formatPence(fund.maxPence)}.`
      : undefined;
  return (
    <Form method="post" noValidate ref={formRef} onInput={recount}>
      {fund.notes.length ? (
        <ul className="list-disc pl-6 mb-4">
          {fund.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <TextField
        name="amount"
        label="Amount you are asking for (£)"
        hint={limits}
        inputMode="decimal"
        className="max-w-48"
        defaultValue={poundsText(bid.amountPence)}
        state={state}
      />
      <fieldset className={`field ${state?.errors?.lines ? "field-error" : ""}`} aria-describedby="lines-hint">
        <legend className="font-semibold text-lg">Budget lines</legend>
        <p className="hint" id="lines-hint">
          What the money will be spent on. The lines must add up exactly to the amount you are asking for. Leave spare
          rows empty.
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
              <TextField
                name={lineField(i, "description")}
                label={`Line ${i + 1}: what it is for`}
                defaultValue={lines[i]?.description ?? ""}
                state={state}
              />
              <TextField
                name={lineField(i, "amount")}
                label={`Line ${i + 1}: cost (£)`}
                inputMode="decimal"
                defaultValue={poundsText(lines[i]?.amountPence)}
                state={state}
              />
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
              {shownTotals.lines === shownTotals.amount
                ? "."
                : ` (${formatPence(Math.abs(shownTotals.amount - shownTotals.lines))} ${shownTotals.lines < shownTotals.amount ? "short" : "over"}).`}
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

export function WhereStep() {
  const { bid, wardOptions, wards } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <Form method="post" noValidate>
      <CheckboxGroup
        name="wardIds"
        legend="Which wards will the project benefit?"
        hint="Choose every ward that benefits."
        options={wardOptions}
        defaultChecked={wards.map((w) => String(w.id))}
        state={state}
      />
      <TextAreaField
        name="beneficiaries"
        label="Who will benefit?"
        hint="For example: older residents of the estate, families using the park."
        rows={3}
        defaultValue={bid.beneficiaries}
        state={state}
      />
      <TextField
        name="beneficiaryCount"
        label="About how many people will benefit?"
        inputMode="numeric"
        className="max-w-32"
        defaultValue={bid.beneficiaryCount == null ? "" : String(bid.beneficiaryCount)}
        state={state}
      />
      <TextField
        name="startOn"
        type="date"
        label="Start date"
        hint="For example 2027-01-15."
        className="max-w-48"
        defaultValue={bid.startOn ?? ""}
        state={state}
      />
      <TextField
        name="endOn"
        type="date"
        label="End date"
        className="max-w-48"
        defaultValue={bid.endOn ?? ""}
        state={state}
      />
      <StepButtons step="where" />
    </Form>
  );
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export function FilesStep() {
  const { bid, files } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <>
      <p>
        Add photos, plans or quotes: up to {MAX_FILES_PER_BID} files, each a PNG, JPEG or WebP image or a PDF, smaller
        than 10 MB.
      </p>
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
          <TextField
            name="file"
            type="file"
            label="Upload a file"
            accept="image/png,image/jpeg,image/webp,application/pdf"
            state={state}
          />
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

export function ReviewStep() {
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
        <p>
          When you submit, the bid goes to{" "}
          {fund.kind === "pb-round" ? "the council to check before the vote" : "the councillors of its wards to decide"}
          . You cannot change it after that unless they ask for changes.
        </p>
        <SubmitButton name="intent" value="submit">
          {bid.status === "changes-requested" ? "Submit the changed bid" : "Submit bid"}
        </SubmitButton>
      </Form>
    </>
  );
}

/** The error summary of a refused submission: every problem, each linking to its step and field. */
export function IssueSummary({ bidId, issues }: { bidId: number; issues: BidIssue[] }) {
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
              {BID_STEP_TITLES[issue.step]}, {(BID_FIELD_LABELS[issue.field] ?? issue.field).toLowerCase()}:{" "}
              {issue.message}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
