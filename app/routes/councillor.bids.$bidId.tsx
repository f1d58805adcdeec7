import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextAreaField, TextField, useErrorText } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { RadioGroup } from "~/components/radio-group";
import { WardStates } from "~/components/ward-states";
import { decisionWarnings, grantRulesOf } from "~/core/bids/decision-warnings";
import { londonDateOf } from "~/core/ledger";
import { localisedPlain } from "~/core/localised";
import { parseMessageKey, valuesFor } from "~/core/messages/message-key";
import { tryParsePounds } from "~/core/money";
import { decisionFiles, fundGrantRulesText } from "~/models/decision-facts.server";
import { bidForDecision, decideBid, isDesignatedDecisionMaker } from "~/models/decisions.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { formValues, parseForm } from "~/utils/form";
import { bidPageTitle } from "~/utils/bid-title";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";
import { useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  bidPageTitle(
    data ? { reference: data.bid.reference, title: data.version.title } : undefined,
    matches,
    "bids:decide.meta",
  );

const OUTCOME_KEYS: Record<string, string> = {
  approve: "outcome.approveInFull",
  "part-approve": "outcome.part-approve",
  reject: "outcome.reject",
  "request-changes": "outcome.request-changes",
};

const schema = z
  .object({
    interest: z.enum(["none", "interest"], {
      errorMap: () => ({ message: "bids:decide.errors.interest" }),
    }),
    interestDetails: z.string().trim().max(1000, "bids:decide.errors.detailsTooLong").optional().default(""),
    outcome: z.enum(["approve", "part-approve", "reject", "request-changes"]).optional(),
    amount: z.string().optional().default(""),
    reason: z.string().trim().max(2000, "bids:decide.errors.reasonTooLong").optional().default(""),
    schedule: z.enum(["single", "staged", "by-year"]).optional().default("single"),
    retrospective: z.literal("confirm").optional(),
    retrospectiveReason: z.string().trim().max(2000, "bids:decide.errors.reasonTooLong").optional().default(""),
    idempotencyKey: z.string().min(10).max(100),
  })
  .superRefine((value, ctx) => {
    if (value.interest === "interest" && !value.interestDetails)
      ctx.addIssue({ code: "custom", path: ["interestDetails"], message: "bids:decide.errors.describeInterest" });
    if (value.interest === "none" && !value.outcome)
      ctx.addIssue({ code: "custom", path: ["outcome"], message: "bids:decide.errors.chooseDecision" });
    if (value.interest === "none" && value.outcome === "part-approve") {
      const parsed = tryParsePounds(value.amount, { allowZero: false });
      if (!parsed.ok)
        ctx.addIssue({
          code: "custom",
          path: ["amount"],
          message: value.amount.trim() ? `bids:money.${parsed.error.code}` : "bids:decide.errors.amountMissing",
        });
    }
  });

const FILE_KINDS: Record<string, string> = {
  "application/pdf": "decide.fileKinds.pdf",
  "image/png": "decide.fileKinds.png",
  "image/jpeg": "decide.fileKinds.jpeg",
  "image/webp": "decide.fileKinds.webp",
};

function bidIdOf(params: { bidId?: string }): number {
  const id = Number(params.bidId);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Bid not found", { status: 404 });
  return id;
}

async function requireDecider(request: Request) {
  const user = await requireUser(request);
  if (!user.roles.includes("councillor") && !isDesignatedDecisionMaker(user.id)) throw forbidden();
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireDecider(request);
  const page = await loadingRefusals(() => bidForDecision(user, bidIdOf(params)));
  const today = londonDateOf(new Date());
  const projectEnded = Boolean(page.version.endOn && page.version.endOn < today);
  // The files are listed only after bidForDecision has checked the user may decide this bid.
  const files = decisionFiles(page.bid.id);
  const warnings = decisionWarnings({
    today,
    endOn: page.version.endOn,
    amountPence: page.version.amountPence,
    rules: grantRulesOf(fundGrantRulesText(page.fund.id)),
    fileCount: files.length,
    summary: page.version.summary,
    description: page.version.description,
  });
  return json({ ...page, projectEnded, files, warnings, formKey: randomUUID() });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireDecider(request);
  const bidId = bidIdOf(params);
  const formData = await request.formData();
  const form = parseForm(schema, formData);
  if (!form.ok) return json(form, { status: 400 });
  const values = formValues(formData);
  const data = form.data;
  const amount = data.outcome === "part-approve" ? tryParsePounds(data.amount, { allowZero: false }) : null;
  return answeringRefusals(values, () => {
    const result = decideBid(user, {
      bidId,
      hasInterest: data.interest === "interest",
      interestDetails: data.interestDetails,
      outcome: data.interest === "interest" ? null : data.outcome,
      amountPence: amount && amount.ok ? amount.pence : null,
      reason: data.reason,
      schedule: data.schedule,
      retrospectiveOverride: data.retrospective === "confirm",
      retrospectiveReason: data.retrospectiveReason,
      idempotencyKey: data.idempotencyKey,
    });
    const home = user.roles.includes("councillor") && user.councillorWardIds.length > 0 ? "/councillor" : "/decisions";
    if (result.kind === "interest-declared")
      return redirect(`${home}?done=${result.referred ? "referred" : "interest"}`);
    const done = result.awaitingWards
      ? result.awaitingWards.length
        ? "ward"
        : "wards-done"
      : result.awaitingQuorum
        ? "recorded"
        : result.outcome;
    return redirect(`${home}?done=${done}`);
  });
}

export default function DecideBid() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { version } = data;
  const { t, i18n } = useTranslation("bids");
  const { money, date, number } = useFormat();
  const errorText = useErrorText();
  const and = (items: string[]) => items.join(i18n.language === "cy" ? " a " : " and ");
  const wardsDeciding = data.wardDecisions?.yourWards ?? [];
  const shareText = wardsDeciding.length ? t("decide.share", { wards: and(wardsDeciding) }) : null;
  const decidedPence = data.wardDecisions ? data.wardDecisions.yourSharePence : version.amountPence;
  const markers = { en: t("common:language.englishOnly"), cy: t("common:language.welshOnly") };
  const wardNames = data.wards.map((w) => localisedPlain({ en: w.name, cy: w.nameCy }, i18n.language, markers));
  const sizeText = (bytes: number) =>
    bytes >= 1024 * 1024
      ? t("decide.sizeMb", { size: number(Math.round(bytes / 1024 / 102.4) / 10) })
      : t("decide.sizeKb", { size: number(Math.max(1, Math.round(bytes / 1024))) });
  const warningText = (message: string) => {
    const keyed = parseMessageKey(message);
    if (!keyed) return message;
    const values = valuesFor(keyed.values, i18n.language);
    return t(keyed.key, values.date ? { ...values, date: date(values.date) } : values);
  };
  const labels = Object.fromEntries(
    ["interest", "interestDetails", "outcome", "amount", "reason", "retrospective", "retrospectiveReason"].map(
      (field) => [field, t(`decide.labels.${field}`)],
    ),
  );
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={data.role === "designated" ? "/decisions" : "/councillor"} className="underline">
          {t(data.role === "designated" ? "decide.back" : "decide.backWard")}
        </Link>
      </p>
      <h1 translate="no">{version.title}</h1>
      <p className="muted">
        {data.bid.reference} · {t("decide.version", { version: version.version })} · {t(`status.${data.bid.status}`)} ·{" "}
        <LocalisedText value={{ en: data.fund.name, cy: data.fund.nameCy }} /> ·{" "}
        {t("decide.wardsLine", { count: data.wards.length, wards: and(wardNames) })}
      </p>
      <ErrorSummary state={state} labels={labels} />

      {data.warnings.length ? (
        <div className="warning-box" role="note" aria-labelledby="warnings-heading">
          <h2 id="warnings-heading" className="mt-0 text-lg">
            {t("decide.beforeYouDecide")}
          </h2>
          <ul className="list-disc pl-6">
            {data.warnings.map((w) => (
              <li key={w.kind} data-warning={w.kind}>
                {warningText(w.message)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <section aria-labelledby="about-bid" className="summary-box">
        <h2 id="about-bid" className="mt-0">
          {t("decide.theBid")}
        </h2>
        <dl className="summary-list">
          <dt>{t("page.group")}</dt>
          <dd>
            <span translate="no">{data.group.name}</span>{" "}
            {t(data.group.verified ? "decide.verified" : "decide.notVerified")}
          </dd>
          <dt>{t("decide.asked")}</dt>
          <dd>{money(version.amountPence)}</dd>
          <dt>{t("fields.summary")}</dt>
          <dd translate="no">{version.summary}</dd>
          <dt>{t("fields.beneficiaries")}</dt>
          <dd>
            <span translate="no">{version.beneficiaries}</span>
            {version.beneficiaryCount !== null ? ` ${t("page.about", { count: version.beneficiaryCount })}` : ""}
          </dd>
          {version.startOn || version.endOn ? (
            <>
              <dt>{t("decide.when")}</dt>
              <dd>
                {t("edit.dateRange", {
                  from: version.startOn ? date(version.startOn) : "?",
                  to: version.endOn ? date(version.endOn) : "?",
                })}
              </dd>
            </>
          ) : null}
        </dl>
        {version.description && version.description !== version.summary ? (
          <p className="whitespace-pre-line" translate="no">
            {version.description}
          </p>
        ) : null}
        <table className="table">
          <caption className="text-left font-semibold">{t("fields.lines")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("decide.item")}</th>
              <th scope="col" className="text-right">
                {t("page.cost")}
              </th>
            </tr>
          </thead>
          <tbody>
            {version.budgetLines.map((line) => (
              <tr key={line.lineNo}>
                <td translate="no">{line.description}</td>
                <td className="text-right">{money(line.amountPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          {t("decide.available", {
            budgets:
              data.available
                .map((b) =>
                  b.wardName
                    ? t("decide.inWardBudget", { amount: money(b.availablePence), ward: b.wardName })
                    : t("decide.inBudget", { amount: money(b.availablePence), budget: b.name }),
                )
                .join("; ") || t("decide.noBudget"),
          })}
          {data.fund.pooledQuorum && data.fund.pooledQuorum > 1
            ? ` · ${t("decide.quorum", { count: data.fund.pooledQuorum })}`
            : ""}
        </p>
      </section>

      <section aria-labelledby="files-heading">
        <h2 id="files-heading">{t("decide.filesHeading")}</h2>
        {data.files.length ? (
          <table>
            <caption className="sr-only">{t("decide.filesCaption", { version: version.version })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("edit.file")}</th>
                <th scope="col">{t("decide.type")}</th>
                <th scope="col" className="text-right">
                  {t("edit.size")}
                </th>
                <th scope="col">{t("decide.added")}</th>
              </tr>
            </thead>
            <tbody>
              {data.files.map((f) => (
                <tr key={f.id}>
                  <td>
                    <a href={`/councillor/bids/${data.bid.id}/files/${f.id}`} download translate="no">
                      {f.fileName}
                    </a>
                  </td>
                  <td>{FILE_KINDS[f.contentType] ? t(FILE_KINDS[f.contentType]!) : f.contentType}</td>
                  <td className="text-right">{sizeText(f.sizeBytes)}</td>
                  <td>{date(f.uploadedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t("decide.noFiles")}</p>
        )}
      </section>

      {data.wardDecisions ? <WardStates wards={data.wardDecisions} requestedPence={version.amountPence} /> : null}

      {data.decisions.length ? (
        <section aria-labelledby="history">
          <h2 id="history">{t("decide.soFar")}</h2>
          <ul className="list-disc pl-6">
            {data.decisions.map((d) => (
              <li key={d.id}>
                {t("decide.historyItem", {
                  version: d.version,
                  outcome: OUTCOME_KEYS[d.outcome] ? t(OUTCOME_KEYS[d.outcome]!) : d.outcome,
                  name: d.deciderName,
                })}
                {d.asDesignatedDecisionMaker ? ` ${t("decide.designated")}` : ""}{" "}
                {t("decide.on", { date: date(d.decidedAt.slice(0, 10)) })}
                {d.amountPence ? `, ${money(d.amountPence)}` : ""}
                {d.reason ? <span translate="no">: {d.reason}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.canDecide ? (
        <Form method="post" noValidate>
          <h2>{t("decide.yourDecision")}</h2>
          <input type="hidden" name="idempotencyKey" value={data.formKey} />
          <RadioGroup
            name="interest"
            legend={t("decide.interestLegend")}
            hint={t("decide.interestHint")}
            state={state}
            options={[
              { value: "none", label: t("decide.noInterest") },
              {
                value: "interest",
                label: t("decide.hasInterest"),
                children: (
                  <TextAreaField name="interestDetails" label={t("decide.describeInterest")} state={state} rows={2} />
                ),
              },
            ]}
          />
          <RadioGroup
            name="outcome"
            legend={t("decide.labels.outcome")}
            state={state}
            options={[
              {
                value: "approve",
                label: shareText
                  ? t("decide.approveShare", { share: shareText, amount: money(decidedPence) })
                  : t("decide.approveFull", { amount: money(version.amountPence) }),
              },
              {
                value: "part-approve",
                label: t("decide.approvePart"),
                children: (
                  <TextField
                    name="amount"
                    label={t("decide.amountLabel")}
                    hint={shareText ? t("decide.lessThanShare", { share: shareText }) : t("decide.lessThanAsked")}
                    inputMode="decimal"
                    state={state}
                  />
                ),
              },
              {
                value: "reject",
                label: shareText ? t("decide.declineShare", { share: shareText }) : t("decide.reject"),
              },
              { value: "request-changes", label: t("decide.requestChanges") },
            ]}
          />
          {data.projectEnded ? (
            <RetrospectiveFields endOn={version.endOn!} allowed={data.fund.retrospectiveAllowed} state={state} />
          ) : null}
          <TextAreaField
            name="reason"
            label={t("decide.reasonLabel")}
            hint={t("decide.reasonHint")}
            state={state}
            rows={3}
          />
          <RadioGroup
            name="schedule"
            legend={t("decide.scheduleLegend")}
            hint={t("decide.scheduleHint", { fy: data.fund.fy })}
            defaultValue="single"
            state={state}
            options={[
              { value: "single", label: t("decide.single") },
              { value: "staged", label: t("decide.staged") },
              {
                value: "by-year",
                label: version.endOn ? t("decide.byYear", { date: version.endOn }) : t("decide.byYearNoEnd"),
              },
            ]}
          />
          <SubmitButton>{t("decide.record")}</SubmitButton>
        </Form>
      ) : (
        <p className="notice" role="status">
          {data.refusal
            ? errorText(data.refusal)
            : t("decide.nothingToDecide", { status: t(`status.${data.bid.status}`).toLowerCase() })}
          {data.ownDeclaration?.hasInterest ? (
            <>
              {" "}
              {t("decide.yourInterest")} <span translate="no">{data.ownDeclaration.details}</span>
            </>
          ) : null}
        </p>
      )}
    </div>
  );
}

type FormStateOf = ReturnType<typeof useActionData<typeof action>>;

function RetrospectiveFields({ endOn, allowed, state }: { endOn: string; allowed: boolean; state: FormStateOf }) {
  const { t } = useTranslation("bids");
  const { date } = useFormat();
  if (!allowed) return <p className="notice">{t("decide.endedNotAllowed", { date: date(endOn) })}</p>;
  return (
    <>
      <CheckboxGroup
        name="retrospective"
        legend={t("decide.endedLegend")}
        hint={t("decide.endedHint", { date: date(endOn) })}
        state={state}
        options={[{ value: "confirm", label: t("decide.confirmRetrospective") }]}
      />
      <TextAreaField
        name="retrospectiveReason"
        label={t("decide.labels.retrospectiveReason")}
        hint={t("decide.retrospectiveHint")}
        state={state}
        rows={2}
      />
    </>
  );
}
