import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { BID_FIELD_LABELS, BID_STEPS, isEditable, ruleNotes, type BidIssue } from "~/core/bids";
import {
  BLANK_LINE_ROWS,
  lineField,
  MIN_LINE_ROWS,
  nextStep,
  parseAboutStep,
  parseMoneyStep,
  parseWhereStep,
  previousStep,
  rowsSent,
  stepOf,
} from "~/forms/bid-form";
import {
  addBidAttachment,
  BidIncomplete,
  latestChangeRequest,
  removeBidAttachment,
  requireBidMember,
  saveBidStep,
  submissionIssues,
  submitBid,
} from "~/models/bids.server";
import { listWards } from "~/models/council.server";
import { requireUser } from "~/utils/auth.server";
import { formValues } from "~/utils/form";
import { idParam } from "~/utils/http.server";
import { appUrl, deliverMail } from "~/utils/mail.server";
import { isRefusal } from "~/utils/refusal";
import { loadingRefusals, refusalFailure } from "~/utils/refusal.server";
import { readUploadForm } from "~/utils/uploads.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";
import { editUrl } from "./edit-url";
import { AboutStep, FilesStep, IssueSummary, MoneyStep, ReviewStep, WhereStep } from "./steps";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  const page = data
    ? t("bids:edit.title", { step: t(`bids:steps.${data.step}`), reference: data.bid.reference })
    : t("bids:fields.title");
  return [{ title: t("common:title", { page }) }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  const loaded = await loadingRefusals(() => requireBidMember(user, bidId));
  const { bid, terms, wards, lines, files, group } = loaded;
  if (!isEditable(bid.status)) throw redirect(`/bids/${bidId}`);
  const url = new URL(request.url);
  const step = stepOf(url.searchParams.get("step"), stepOf(bid.draftStep));
  const extraRows = Math.min(Math.max(Number(url.searchParams.get("rows")) || 0, 0), 30);
  const wardNames = new Map(listWards().map((w) => [w.id, w] as const));
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
    fund: {
      name: terms.name,
      nameCy: terms.nameCy ?? null,
      kind: terms.kind,
      minPence: terms.minPence,
      maxPence: terms.maxPence,
      criteria: terms.criteria,
      criteriaCy: terms.criteriaCy,
      notes: ruleNotes(terms),
    },
    wardOptions: terms.wardIds
      .map((id) => ({
        value: String(id),
        label: wardNames.get(id)?.name ?? String(id),
        labelCy: wardNames.get(id)?.nameCy,
      }))
      .sort((a, b) => a.label.localeCompare(b.label)),
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

export async function action({ request, params }: ActionFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  await loadingRefusals(() => requireBidMember(user, bidId));
  const isUpload = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  try {
    if (isUpload) {
      const read = await readUploadForm(request, { field: "file", maxFiles: 1 });
      if (read === "too-large" || read.oversized.length)
        return fail({ errors: { file: "bids:form.fileTooLarge" }, values: {}, intent: "upload" }, 413);
      if (read.unreadable.length)
        return fail(
          {
            errors: { file: "bids:form.fileUnreadable" },
            values: {},
            intent: "upload",
          },
          400,
        );
      const [file] = read.files;
      if (!file) return fail({ errors: { file: "bids:form.fileMissing" }, values: {}, intent: "upload" }, 400);
      addBidAttachment(user, bidId, file);
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
    const parsed =
      step === "about"
        ? parseAboutStep(formData)
        : step === "money"
          ? parseMoneyStep(formData)
          : step === "where"
            ? parseWhereStep(formData)
            : null;
    if (!parsed) return redirect(editUrl(bidId, intent === "continue" ? nextStep(step) : step));
    const rows = rowsSent(formData) + (intent === "add-line" ? 1 : 0);
    if (!parsed.ok) return fail({ errors: parsed.errors, values, rows, intent }, 400);
    saveBidStep(user, bidId, parsed.data);
    if (intent === "add-line")
      return redirect(editUrl(bidId, "money", `&rows=${rows}#${lineField(rows - 1, "description")}`));
    if (intent === "continue") {
      // Saved; before moving on, the step's own problems are shown (the rest wait for the review).
      const problems = submissionIssues(requireBidMember(user, bidId)).filter((i) => i.step === step);
      if (problems.length)
        return fail(
          {
            errors: Object.fromEntries(problems.map((p) => [p.field, p.message])),
            values,
            rows,
            intent,
            formError: "bids:form.savedFixThese",
          },
          400,
        );
      return redirect(editUrl(bidId, nextStep(step)));
    }
    return redirect(editUrl(bidId, step, "&saved=draft"));
  } catch (error) {
    if (error instanceof BidIncomplete)
      return fail({ errors: {}, values: {}, issues: error.issues, intent: "submit" }, 422);
    if (isRefusal(error)) return fail({ ...refusalFailure(error), intent: "refused" }, error.status);
    throw error;
  }
}

const NOTICES: Record<string, string> = {
  draft: "edit.savedDraft",
  file: "edit.savedFile",
  removed: "edit.removedFile",
};

export default function EditBid() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("bids");
  const { date } = useFormat();
  const { step, bid } = data;
  const labels = Object.fromEntries(Object.keys(BID_FIELD_LABELS).map((field) => [field, t(`fields.${field}`)]));
  const notice = NOTICES[params.get("saved") ?? ""];
  const back = previousStep(step);
  return (
    <div className="max-w-3xl">
      <p className="muted">
        {bid.reference} · <span translate="no">{data.group.name}</span> ·{" "}
        <LocalisedText value={{ en: data.fund.name, cy: data.fund.nameCy }} /> · {t(`status.${bid.status}`)}
      </p>
      <nav aria-label={t("edit.stepsNav")} className="step-nav">
        <ol>
          {BID_STEPS.map((s, i) => (
            <li key={s} className="step-nav-item">
              <span className="step-nav-number" aria-hidden="true">
                {i + 1}
              </span>
              <Link
                to={editUrl(bid.id, s)}
                aria-current={s === step ? "step" : undefined}
                className={s === step ? "font-bold" : undefined}
              >
                {t(`steps.${s}`)}
              </Link>
            </li>
          ))}
        </ol>
      </nav>
      {back ? (
        <p>
          <Link to={editUrl(bid.id, back)}>{t("edit.back", { step: t(`steps.${back}`).toLowerCase() })}</Link>
        </p>
      ) : null}
      <h1>{t(`steps.${step}`)}</h1>
      {data.changeRequest ? (
        <div className="notice" role="note">
          <h2 className="mt-0 text-lg">{t("edit.changesRequested")}</h2>
          <p>
            {t("edit.changesAsked", {
              name: data.changeRequest.deciderName,
              version: data.changeRequest.version,
              date: date(data.changeRequest.decidedAt),
            })}
          </p>
          {data.changeRequest.reason ? (
            <p className="whitespace-pre-line" translate="no">
              {data.changeRequest.reason}
            </p>
          ) : (
            <p>{t("edit.noDetails")}</p>
          )}
          <p>{t("edit.changesAdvice")}</p>
        </div>
      ) : null}
      {notice && !state ? (
        <p className="notice" role="status">
          {t(notice)}
        </p>
      ) : null}
      {state?.issues ? (
        <IssueSummary bidId={bid.id} issues={state.issues} />
      ) : (
        <ErrorSummary state={state} labels={labels} />
      )}
      {step === "about" ? <AboutStep /> : null}
      {step === "money" ? <MoneyStep /> : null}
      {step === "where" ? <WhereStep /> : null}
      {step === "files" ? <FilesStep /> : null}
      {step === "review" ? <ReviewStep /> : null}
    </div>
  );
}
