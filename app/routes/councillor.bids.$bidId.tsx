import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { WardStates } from "~/components/ward-states";
import { STATUS_LABELS } from "~/core/bids/status";
import { decisionWarnings, grantRulesOf } from "~/core/bids/decision-warnings";
import { londonDateOf } from "~/core/ledger";
import { formatRoundDate } from "~/core/rounds/gallery";
import { formatPence, tryParsePounds } from "~/core/money";
import { decisionFiles, fundGrantRulesText } from "~/models/decision-facts.server";
import { bidForDecision, decideBid, isDesignatedDecisionMaker } from "~/models/decisions.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { formValues, parseForm } from "~/utils/form";
import { answeringRefusals, loadingRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.version.title ?? "Bid"} – decide – Wardfund` },
];

const OUTCOME_LABELS: Record<string, string> = {
  approve: "Approved in full",
  "part-approve": "Approved in part",
  reject: "Rejected",
  "request-changes": "Changes requested",
};

const schema = z
  .object({
    interest: z.enum(["none", "interest"], {
      errorMap: () => ({ message: "Say whether you have an interest in this bid" }),
    }),
    interestDetails: z.string().trim().max(1000, "Details must be 1000 characters or fewer").optional().default(""),
    outcome: z.enum(["approve", "part-approve", "reject", "request-changes"]).optional(),
    amount: z.string().optional().default(""),
    reason: z.string().trim().max(2000, "The reason must be 2000 characters or fewer").optional().default(""),
    schedule: z.enum(["single", "staged", "by-year"]).optional().default("single"),
    retrospective: z.literal("confirm").optional(),
    retrospectiveReason: z
      .string()
      .trim()
      .max(2000, "The reason must be 2000 characters or fewer")
      .optional()
      .default(""),
    idempotencyKey: z.string().min(10).max(100),
  })
  .superRefine((value, ctx) => {
    if (value.interest === "interest" && !value.interestDetails)
      ctx.addIssue({ code: "custom", path: ["interestDetails"], message: "Describe your interest" });
    if (value.interest === "none" && !value.outcome)
      ctx.addIssue({ code: "custom", path: ["outcome"], message: "Choose a decision" });
    if (value.interest === "none" && value.outcome === "part-approve") {
      const parsed = tryParsePounds(value.amount, { allowZero: false });
      if (!parsed.ok)
        ctx.addIssue({
          code: "custom",
          path: ["amount"],
          message: value.amount.trim() ? parsed.error.userMessage : "Enter the amount you approve",
        });
    }
  });

const FILE_KINDS: Record<string, string> = {
  "application/pdf": "PDF document",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/webp": "WebP image",
};

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

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
  const wardsDeciding = data.wardDecisions?.yourWards ?? [];
  const shareText = wardsDeciding.length ? `${wardsDeciding.join(" and ")} ward's share` : null;
  const decidedPence = data.wardDecisions ? data.wardDecisions.yourSharePence : version.amountPence;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={data.role === "designated" ? "/decisions" : "/councillor"} className="underline">
          Back to {data.role === "designated" ? "bids referred to you" : "your ward budgets"}
        </Link>
      </p>
      <h1>{version.title}</h1>
      <p className="muted">
        {data.bid.reference} · version {version.version} · {STATUS_LABELS[data.bid.status]} · {data.fund.name} ·{" "}
        {data.wards.map((w) => w.name).join(" and ")} ward
        {data.wards.length > 1 ? "s" : ""}
      </p>
      <ErrorSummary
        state={state}
        labels={{
          interest: "Interest",
          interestDetails: "Your interest",
          outcome: "Decision",
          amount: "Amount approved",
          reason: "Reason",
          retrospective: "Project already ended",
          retrospectiveReason: "Why fund it retrospectively",
        }}
      />

      {data.warnings.length ? (
        <div className="warning-box" role="note" aria-labelledby="warnings-heading">
          <h2 id="warnings-heading" className="mt-0 text-lg">
            Before you decide
          </h2>
          <ul className="list-disc pl-6">
            {data.warnings.map((w) => (
              <li key={w.kind} data-warning={w.kind}>
                {w.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <section aria-labelledby="about-bid" className="summary-box">
        <h2 id="about-bid" className="mt-0">
          The bid
        </h2>
        <dl className="summary-list">
          <dt>Group</dt>
          <dd>
            {data.group.name}{" "}
            {data.group.verified
              ? "(verified by the council)"
              : "(not verified yet: it cannot be approved until it is)"}
          </dd>
          <dt>Amount asked for</dt>
          <dd>{formatPence(version.amountPence)}</dd>
          <dt>Summary</dt>
          <dd>{version.summary}</dd>
          <dt>Who benefits</dt>
          <dd>
            {version.beneficiaries}
            {version.beneficiaryCount !== null ? ` (about ${version.beneficiaryCount} people)` : ""}
          </dd>
          {version.startOn || version.endOn ? (
            <>
              <dt>When</dt>
              <dd>
                {version.startOn ? formatRoundDate(version.startOn) : "?"} to{" "}
                {version.endOn ? formatRoundDate(version.endOn) : "?"}
              </dd>
            </>
          ) : null}
        </dl>
        {version.description && version.description !== version.summary ? (
          <p className="whitespace-pre-line">{version.description}</p>
        ) : null}
        <table className="table">
          <caption className="text-left font-semibold">Budget lines</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="text-right">
                Cost
              </th>
            </tr>
          </thead>
          <tbody>
            {version.budgetLines.map((line) => (
              <tr key={line.lineNo}>
                <td>{line.description}</td>
                <td className="text-right">{formatPence(line.amountPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          Available to fund it:{" "}
          {data.available
            .map((b) => `${formatPence(b.availablePence)} in ${b.wardName ? `${b.wardName} ward budget` : b.name}`)
            .join("; ") || "no budget set"}
          {data.fund.pooledQuorum && data.fund.pooledQuorum > 1
            ? ` · ${data.fund.pooledQuorum} councillors of the ward must approve`
            : ""}
        </p>
      </section>

      <section aria-labelledby="files-heading">
        <h2 id="files-heading">Files from the group</h2>
        {data.files.length ? (
          <table>
            <caption className="sr-only">Files attached to version {version.version} of the bid</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Type</th>
                <th scope="col" className="text-right">
                  Size
                </th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {data.files.map((f) => (
                <tr key={f.id}>
                  <td>
                    <a href={`/councillor/bids/${data.bid.id}/files/${f.id}`} download>
                      {f.fileName}
                    </a>
                  </td>
                  <td>{FILE_KINDS[f.contentType] ?? f.contentType}</td>
                  <td className="text-right">{sizeText(f.sizeBytes)}</td>
                  <td>{formatRoundDate(f.uploadedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>The group attached no files (no quotes, plans or photos) to this version of the bid.</p>
        )}
      </section>

      {data.wardDecisions ? <WardStates wards={data.wardDecisions} requestedPence={version.amountPence} /> : null}

      {data.decisions.length ? (
        <section aria-labelledby="history">
          <h2 id="history">Decisions so far</h2>
          <ul className="list-disc pl-6">
            {data.decisions.map((d) => (
              <li key={d.id}>
                Version {d.version}: {OUTCOME_LABELS[d.outcome]} by {d.deciderName}
                {d.asDesignatedDecisionMaker ? " (designated decision-maker)" : ""} on {d.decidedAt.slice(0, 10)}
                {d.amountPence ? `, ${formatPence(d.amountPence)}` : ""}
                {d.reason ? `: ${d.reason}` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {data.canDecide ? (
        <Form method="post" noValidate>
          <h2>Your decision</h2>
          <input type="hidden" name="idempotencyKey" value={data.formKey} />
          <RadioGroup
            name="interest"
            legend="Do you have an interest in this bid?"
            hint="Declare any personal or prejudicial interest: a family member, friend or organisation you are involved with. If you declare one you cannot decide the bid."
            state={state}
            options={[
              { value: "none", label: "I have no interest to declare" },
              {
                value: "interest",
                label: "I have an interest",
                children: (
                  <TextAreaField name="interestDetails" label="Describe your interest" state={state} rows={2} />
                ),
              },
            ]}
          />
          <RadioGroup
            name="outcome"
            legend="Decision"
            state={state}
            options={[
              {
                value: "approve",
                label: shareText
                  ? `Approve ${shareText} in full (${formatPence(decidedPence)})`
                  : `Approve in full (${formatPence(version.amountPence)})`,
              },
              {
                value: "part-approve",
                label: "Approve in part",
                children: (
                  <TextField
                    name="amount"
                    label="Amount approved (£)"
                    hint={shareText ? `Less than ${shareText}.` : "Less than the amount asked for."}
                    inputMode="decimal"
                    state={state}
                  />
                ),
              },
              { value: "reject", label: shareText ? `Decline ${shareText}` : "Reject" },
              { value: "request-changes", label: "Ask the group to change the bid" },
            ]}
          />
          {data.projectEnded ? (
            <RetrospectiveFields endOn={version.endOn!} allowed={data.fund.retrospectiveAllowed} state={state} />
          ) : null}
          <TextAreaField
            name="reason"
            label="Reason or message to the group"
            hint="Needed to approve in part, reject or ask for changes. The group sees it."
            state={state}
            rows={3}
          />
          <RadioGroup
            name="schedule"
            legend="Payment schedule (if approved)"
            hint={`A payment on award is made by 31 March, from the ${data.fund.fy} budget. A payment that falls due after 31 March is paid from that later year's ward budget: only this year's part is committed now, and the rest once the council sets next year's budget.`}
            defaultValue="single"
            state={state}
            options={[
              { value: "single", label: "One payment, due 14 days after the offer" },
              {
                value: "staged",
                label: "Two instalments: half now, half after the monitoring report (due when the project ends)",
              },
              {
                value: "by-year",
                label: version.endOn
                  ? `One payment in each financial year the project runs, to ${version.endOn}, in proportion to its days in each year`
                  : "One payment in each financial year the project runs (this bid gives no end date, so one payment)",
              },
            ]}
          />
          <SubmitButton>Record decision</SubmitButton>
        </Form>
      ) : (
        <p className="notice" role="status">
          {data.refusal ??
            `This bid is ${STATUS_LABELS[data.bid.status].toLowerCase()}, so there is nothing to decide.`}
          {data.ownDeclaration?.hasInterest ? ` Your declared interest: ${data.ownDeclaration.details}` : ""}
        </p>
      )}
    </div>
  );
}

type FormStateOf = ReturnType<typeof useActionData<typeof action>>;

function RetrospectiveFields({ endOn, allowed, state }: { endOn: string; allowed: boolean; state: FormStateOf }) {
  if (!allowed) {
    return (
      <p className="notice">
        The project ended on {endOn}. This fund does not pay for work already done, so the bid cannot be approved; you
        can still reject it or ask for changes.
      </p>
    );
  }
  return (
    <>
      <CheckboxGroup
        name="retrospective"
        legend="The project has already ended"
        hint={`The project ended on ${endOn}. Approving it now is retrospective funding, which this fund allows only when you confirm it and say why.`}
        state={state}
        options={[{ value: "confirm", label: "I confirm the council is funding this project retrospectively" }]}
      />
      <TextAreaField
        name="retrospectiveReason"
        label="Why fund it retrospectively"
        hint="Recorded in the audit trail."
        state={state}
        rows={2}
      />
    </>
  );
}
