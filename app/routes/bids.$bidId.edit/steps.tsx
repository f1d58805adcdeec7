/** The steps of the bid form, each reading the page's loader data and the last answer of its action. */
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { CheckboxGroup, SubmitButton, TextAreaField, TextField, useErrorText } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { MAX_FILES_PER_BID, type BidIssue, type BidStep } from "~/core/bids";
import { localisedPlain, pickLocalised } from "~/core/localised";
import { tryParsePounds } from "~/core/money";
import { useFormat } from "~/utils/translate";
import { lineField } from "~/forms/bid-form";
import { editUrl } from "./edit-url";
import type { action, loader } from "./route";

function StepButtons({ step }: { step: BidStep }) {
  const { t } = useTranslation("bids");
  return (
    <div className="flex flex-wrap gap-4 mt-6">
      <input type="hidden" name="step" value={step} />
      <SubmitButton name="intent" value="continue">
        {t("edit.saveContinue")}
      </SubmitButton>
      <SubmitButton name="intent" value="save" secondary>
        {t("edit.saveDraft")}
      </SubmitButton>
    </div>
  );
}

export function AboutStep() {
  const { bid, fund } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, i18n } = useTranslation("bids");
  return (
    <Form method="post" noValidate>
      {fund.criteria ? (
        <p className="hint">
          {t("edit.criteria", { fund: pickLocalised({ en: fund.name, cy: fund.nameCy }, i18n.language).text })}{" "}
          <LocalisedText value={{ en: fund.criteria, cy: fund.criteriaCy }} />
        </p>
      ) : null}
      <TextField
        name="title"
        label={t("fields.title")}
        hint={t("edit.titleHint")}
        defaultValue={bid.title}
        state={state}
      />
      <TextAreaField
        name="summary"
        label={t("fields.summary")}
        hint={t("edit.summaryHint")}
        rows={3}
        defaultValue={bid.summary}
        state={state}
      />
      <TextAreaField
        name="description"
        label={t("fields.description")}
        hint={t("edit.descriptionHint")}
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
  const { t } = useTranslation("bids");
  const { money } = useFormat();
  const errorText = useErrorText();
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
  const { i18n } = useTranslation();
  const fundName = localisedPlain({ en: fund.name, cy: fund.nameCy }, i18n.language, {
    en: t("common:language.englishOnly"),
    cy: t("common:language.welshOnly"),
  });
  const limits =
    fund.minPence != null && fund.maxPence != null
      ? t("edit.limits", { fund: fundName, min: money(fund.minPence), max: money(fund.maxPence) })
      : undefined;
  const totalsKey =
    shownTotals.amount == null
      ? "edit.linesTotal"
      : shownTotals.lines === shownTotals.amount
        ? "edit.linesEqual"
        : shownTotals.lines < shownTotals.amount
          ? "edit.linesShort"
          : "edit.linesOver";
  return (
    <Form method="post" noValidate ref={formRef} onInput={recount}>
      {fund.notes.length ? (
        <ul className="list-disc pl-6 mb-4">
          {fund.notes.map((n) => (
            <li key={n}>{errorText(n)}</li>
          ))}
        </ul>
      ) : null}
      <TextField
        name="amount"
        label={t("edit.amountLabel")}
        hint={limits}
        inputMode="decimal"
        className="max-w-48"
        defaultValue={poundsText(bid.amountPence)}
        state={state}
      />
      <fieldset className={`field ${state?.errors?.lines ? "field-error" : ""}`} aria-describedby="lines-hint">
        <legend className="font-semibold text-lg">{t("fields.lines")}</legend>
        <p className="hint" id="lines-hint">
          {t("edit.linesHint")}
        </p>
        {state?.errors?.lines ? (
          <p id="field-lines-error" className="error-message">
            <span className="sr-only">{t("forms:errorPrefix")} </span>
            {errorText(state.errors.lines)}
          </p>
        ) : null}
        <div id="field-lines" tabIndex={-1}>
          <input type="hidden" name="rows" value={rows} />
          {Array.from({ length: rows }, (_, i) => (
            <div key={i} className="grid sm:grid-cols-[1fr_10rem] gap-x-4">
              <TextField
                name={lineField(i, "description")}
                label={t("edit.lineFor", { line: i + 1 })}
                defaultValue={lines[i]?.description ?? ""}
                state={state}
              />
              <TextField
                name={lineField(i, "amount")}
                label={t("edit.lineCost", { line: i + 1 })}
                inputMode="decimal"
                defaultValue={poundsText(lines[i]?.amountPence)}
                state={state}
              />
            </div>
          ))}
        </div>
        <button type="submit" name="intent" value="add-line" className="button button-secondary" onClick={addLine}>
          {t("edit.addLine")}
        </button>
        <p className="mt-4" aria-live="polite">
          <Trans
            t={t}
            i18nKey={totalsKey}
            values={{
              total: money(shownTotals.lines),
              amount: money(shownTotals.amount ?? 0),
              gap: money(Math.abs((shownTotals.amount ?? 0) - shownTotals.lines)),
            }}
            components={{ strong: <strong /> }}
          />
        </p>
      </fieldset>
      <StepButtons step="money" />
    </Form>
  );
}

export function WhereStep() {
  const { bid, wardOptions, wards } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, i18n } = useTranslation("bids");
  const markers = { en: t("common:language.englishOnly"), cy: t("common:language.welshOnly") };
  return (
    <Form method="post" noValidate>
      <CheckboxGroup
        name="wardIds"
        legend={t("edit.wardsLegend")}
        hint={t("edit.wardsHint")}
        options={wardOptions.map((o) => ({
          value: o.value,
          label: localisedPlain({ en: o.label, cy: o.labelCy }, i18n.language, markers),
        }))}
        defaultChecked={wards.map((w) => String(w.id))}
        state={state}
      />
      <TextAreaField
        name="beneficiaries"
        label={t("edit.beneficiariesLabel")}
        hint={t("edit.beneficiariesHint")}
        rows={3}
        defaultValue={bid.beneficiaries}
        state={state}
      />
      <TextField
        name="beneficiaryCount"
        label={t("edit.countLabel")}
        inputMode="numeric"
        className="max-w-32"
        defaultValue={bid.beneficiaryCount == null ? "" : String(bid.beneficiaryCount)}
        state={state}
      />
      <TextField
        name="startOn"
        type="date"
        label={t("fields.startOn")}
        hint={t("edit.startHint")}
        className="max-w-48"
        defaultValue={bid.startOn ?? ""}
        state={state}
      />
      <TextField
        name="endOn"
        type="date"
        label={t("fields.endOn")}
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
  const { t } = useTranslation("bids");
  return (
    <>
      <p>{t("edit.filesIntro", { max: MAX_FILES_PER_BID })}</p>
      {files.length ? (
        <table className="mb-6">
          <caption className="sr-only">{t("edit.filesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("edit.file")}</th>
              <th scope="col">{t("edit.size")}</th>
              <th scope="col">
                <span className="sr-only">{t("edit.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.id}>
                <td>
                  <a href={`/bids/${bid.id}/files/${f.id}`} translate="no">
                    {f.fileName}
                  </a>
                </td>
                <td>{sizeText(f.sizeBytes)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="intent" value="remove-file" />
                    <input type="hidden" name="fileId" value={f.id} />
                    <button
                      type="submit"
                      className="button button-secondary"
                      aria-label={t("edit.removeFile", { file: f.fileName })}
                    >
                      {t("edit.remove")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("edit.noFiles")}</p>
      )}
      {files.length < MAX_FILES_PER_BID ? (
        <Form method="post" encType="multipart/form-data" noValidate>
          <TextField
            name="file"
            type="file"
            label={t("edit.upload")}
            accept="image/png,image/jpeg,image/webp,application/pdf"
            state={state}
          />
          <SubmitButton secondary>{t("edit.uploadButton")}</SubmitButton>
        </Form>
      ) : (
        <p>{t("edit.filesFull", { max: MAX_FILES_PER_BID })}</p>
      )}
      <p className="mt-6">
        <Link to={editUrl(bid.id, "review")} className="button">
          {t("edit.continue")}
        </Link>
      </p>
    </>
  );
}

export function ReviewStep() {
  const { bid, fund, wards, lines, files, issues } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const shownIssues = state?.issues ?? issues;
  const { t, i18n } = useTranslation("bids");
  const { money, number, date } = useFormat();
  const errorText = useErrorText();
  const markers = { en: t("common:language.englishOnly"), cy: t("common:language.welshOnly") };
  // The group's own words (title, texts, budget lines, file names) are shown as written, marked translate="no".
  const rows: [string, string, BidStep, boolean][] = [
    [t("fields.title"), bid.title, "about", true],
    [t("fields.summary"), bid.summary, "about", true],
    [t("fields.description"), bid.description, "about", true],
    [t("fields.amount"), bid.amountPence == null ? "" : money(bid.amountPence), "money", false],
    [t("fields.lines"), lines.map((l) => `${l.description}: ${money(l.amountPence)}`).join("\n"), "money", true],
    [
      t("fields.wardIds"),
      wards.map((w) => localisedPlain({ en: w.name, cy: w.nameCy }, i18n.language, markers)).join(", "),
      "where",
      false,
    ],
    [t("fields.beneficiaries"), bid.beneficiaries, "where", true],
    [t("edit.howMany"), bid.beneficiaryCount == null ? "" : number(bid.beneficiaryCount), "where", false],
    [
      t("edit.dates"),
      bid.startOn || bid.endOn
        ? t("edit.dateRange", { from: bid.startOn ? date(bid.startOn) : "?", to: bid.endOn ? date(bid.endOn) : "?" })
        : "",
      "where",
      false,
    ],
    [t("fields.files"), files.map((f) => f.fileName).join("\n"), "files", true],
  ];
  return (
    <>
      {!state?.issues && shownIssues.length ? (
        <div className="notice">
          <h2 className="mt-0 text-lg">{t("edit.beforeSubmit")}</h2>
          <ul className="list-disc pl-6">
            {shownIssues.map((issue) => (
              <li key={`${issue.step}-${issue.field}`}>
                <Link to={`${editUrl(bid.id, issue.step)}#field-${issue.field}`}>
                  {t(`fields.${issue.field}`, { defaultValue: issue.field })}: {errorText(issue.message)}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <dl className="grid sm:grid-cols-[12rem_1fr_auto] gap-x-4 gap-y-2 mb-6">
        {rows.map(([label, value, step, groupsWords]) => (
          <div key={label} className="contents">
            <dt className="font-semibold">{label}</dt>
            <dd className="whitespace-pre-line" translate={groupsWords && value ? "no" : undefined}>
              {value || <span className="muted">{t("edit.notGiven")}</span>}
            </dd>
            <dd>
              <Link to={editUrl(bid.id, step)} aria-label={t("edit.changeLabel", { label: label.toLowerCase() })}>
                {t("edit.change")}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
      <Form method="post">
        <p>{t(fund.kind === "pb-round" ? "edit.submitToPb" : "edit.submitToWard")}</p>
        <SubmitButton name="intent" value="submit">
          {t(bid.status === "changes-requested" ? "edit.resubmit" : "edit.submit")}
        </SubmitButton>
      </Form>
    </>
  );
}

/** The error summary of a refused submission: every problem, each linking to its step and field. */
export function IssueSummary({ bidId, issues }: { bidId: number; issues: BidIssue[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation("bids");
  const errorText = useErrorText();
  useEffect(() => ref.current?.focus(), [issues]);
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="error-summary">
      <h2 id="error-summary-title" className="text-lg font-bold">
        {t("edit.cannotSubmit")}
      </h2>
      <ul className="list-disc pl-6">
        {issues.map((issue) => (
          <li key={`${issue.step}-${issue.field}`}>
            <a href={`${editUrl(bidId, issue.step)}#field-${issue.field}`} className="underline">
              {t("edit.issueLink", {
                step: t(`steps.${issue.step}`),
                field: t(`fields.${issue.field}`, { defaultValue: issue.field }).toLowerCase(),
                message: errorText(issue.message),
              })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
