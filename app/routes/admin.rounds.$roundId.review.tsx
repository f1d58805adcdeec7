import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField, type FormState } from "~/components/forms";
import { STATUS_LABELS } from "~/core/bids/status";
import { formatPence } from "~/core/money";
import { describeReviewTally, PHASE_LABELS, reviewTally } from "~/core/rounds";
import { formatDate } from "~/core/time";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { fixBallotOrder, listReviewProjects, mergeProject, reviewProject } from "~/models/rounds/review.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Review bids: ${data?.round.name ?? "round"} – Wardfund` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  advanceRoundPhases();
  const found = listReviewProjects(roundId);
  if (!found) throw notFound("There is no such round.");
  const { round, projects } = found;
  return json({
    round: { id: round.id, name: round.name, phase: round.phase, ballotOrderSeed: round.ballotOrderSeed },
    reviewOpen: round.phase === "accepting-bids" || round.phase === "reviewing",
    tally: describeReviewTally(reviewTally(projects)),
    projects,
  });
}

const reviewSchema = z.object({
  bidId: z.coerce.number().int().positive(),
  decision: z.enum(["eligible", "ineligible"], { errorMap: () => ({ message: "Choose eligible or ineligible" }) }),
  reason: z.string().max(2000),
});
const mergeSchema = z.object({
  bidId: z.coerce.number().int().positive(),
  intoBidId: z.coerce
    .number({ invalid_type_error: "Choose the bid to merge into" })
    .int()
    .positive("Choose the bid to merge into"),
  reason: z.string().max(2000),
});

type Outcome = FormState & { intent: string; bidId?: number; message?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  const formData = await request.formData();
  const values = formValues(formData);
  const intent = String(formData.get("intent") ?? "");
  const bidId = Number(formData.get("bidId")) || undefined;
  const fail = (errors: Record<string, string>, status: number, formError?: string) =>
    json<Outcome>({ ...failure(errors, values, formError), intent, bidId }, { status });
  try {
    if (intent === "review") {
      const parsed = reviewSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail({ [`decision-${bidId ?? 0}`]: parsed.error.issues[0]!.message }, 400);
      reviewProject(user, roundId, parsed.data.bidId, parsed.data.decision, parsed.data.reason);
      return json<Outcome>({ intent, bidId, message: `Bid marked ${parsed.data.decision}.` });
    }
    if (intent === "merge") {
      const parsed = mergeSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail({ [`intoBidId-${bidId ?? 0}`]: parsed.error.issues[0]!.message }, 400);
      mergeProject(user, roundId, parsed.data.bidId, parsed.data.intoBidId, parsed.data.reason);
      return json<Outcome>({ intent, bidId, message: "Bid merged." });
    }
    if (intent === "random-order") {
      fixBallotOrder(user, roundId, { method: "random" });
      return json<Outcome>({ intent, message: "Ballot order drawn at random; the seed is recorded." });
    }
    if (intent === "manual-order") {
      const positions = new Map<number, string>();
      for (const [key, value] of formData)
        if (key.startsWith("position-") && typeof value === "string") positions.set(Number(key.slice(9)), value);
      const result = fixBallotOrder(user, roundId, { method: "manual", positions });
      if (!result.ok)
        return fail(
          Object.fromEntries(Object.entries(result.errors).map(([id, message]) => [`position-${id}`, message])),
          400,
        );
      return json<Outcome>({ intent, message: "Ballot order saved." });
    }
    return fail({}, 400, "Choose what to do.");
  } catch (error) {
    if (error instanceof Refusal) {
      // Each project has its own form: a field's error is keyed by the project it belongs to.
      const field = intent === "merge" && error.field === "reason" ? "merge-reason" : error.field;
      const key = field === "form" ? null : `${field}-${bidId ?? 0}`;
      return fail(key ? { [key]: error.message } : {}, error.status, key ? undefined : error.message);
    }
    throw error;
  }
}

const LABELS = {
  decision: "Decision",
  reason: "Reason",
  "merge-reason": "Why merge",
  intoBidId: "Merge into",
  position: "Ballot position",
};

function summaryLabels(errors: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.keys(errors ?? {}).map((key) => [key, LABELS[key.replace(/-\d+$/, "") as keyof typeof LABELS] ?? ""]),
  );
}

/** The outcome's errors for one project's form, keyed by plain field name. */
function rowState(outcome: Outcome | undefined, bidId: number): FormState | undefined {
  if (!outcome?.errors || outcome.bidId !== bidId) return undefined;
  return {
    values: outcome.values,
    errors: Object.fromEntries(Object.entries(outcome.errors).map(([k, v]) => [k.replace(/-\d+$/, ""), v])),
  };
}

export default function Review() {
  const { round, reviewOpen, projects, tally } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const eligible = projects.filter((p) => p.eligibility === "eligible" && p.mergedIntoBidId === null);
  const titleOf = new Map(projects.map((p) => [p.bidId, p.title]));
  return (
    <div className="max-w-4xl">
      <p>
        <Link to={`/admin/rounds/${round.id}`}>Back to {round.name}</Link>
      </p>
      <h1>Review bids: {round.name}</h1>
      <p>
        Phase: {PHASE_LABELS[round.phase]}. Reasons for ineligible and merged bids are published on the round's page.
        You cannot review a bid of a group you belong to.
      </p>
      <p className="font-semibold">Bids: {tally}.</p>
      <ErrorSummary state={outcome?.errors ? outcome : undefined} labels={summaryLabels(outcome?.errors)} />
      {outcome?.message ? (
        <p role="status" className="notice">
          {outcome.message}
        </p>
      ) : null}
      {!reviewOpen ? (
        <p className="notice">
          {round.phase === "draft" ? "The round has not opened yet." : "Voting has opened, so the review is closed."}
        </p>
      ) : null}
      {projects.length === 0 ? <p>No bids have been submitted to this round yet.</p> : null}
      {projects.map((p) => {
        const state = rowState(outcome, p.bidId);
        return (
          <section key={p.bidId} aria-labelledby={`bid-${p.bidId}`} className="panel">
            <h2 id={`bid-${p.bidId}`} className="text-xl">
              {p.reference}: {p.title}
            </h2>
            <p>{p.summary}</p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4">
              <dt className="font-semibold">Group</dt>
              <dd>{p.groupName}</dd>
              <dt className="font-semibold">Cost</dt>
              <dd>{formatPence(p.amountPence ?? 0)}</dd>
              <dt className="font-semibold">Wards</dt>
              <dd>{p.wards.join(", ") || "None given"}</dd>
              <dt className="font-semibold">Review</dt>
              <dd>
                {p.mergedIntoBidId !== null
                  ? `Merged into “${titleOf.get(p.mergedIntoBidId) ?? p.mergedIntoBidId}”`
                  : p.eligibility === "pending"
                    ? "Not reviewed yet"
                    : p.eligibility === "eligible"
                      ? "Eligible"
                      : "Ineligible"}
                {p.eligibilityReason ? `: ${p.eligibilityReason}` : ""}
                {p.reviewerName ? ` (${p.reviewerName}, ${p.reviewedAt ? formatDate(p.reviewedAt) : ""})` : ""}
              </dd>
              <dt className="font-semibold">Bid status</dt>
              <dd>{STATUS_LABELS[p.status]}</dd>
              {p.ballotPosition !== null ? (
                <>
                  <dt className="font-semibold">Ballot position</dt>
                  <dd>{p.ballotPosition}</dd>
                </>
              ) : null}
            </dl>
            {reviewOpen && p.mergedIntoBidId === null ? (
              <div className="mt-4 grid gap-4 md:grid-cols-2">
                <Form method="post" noValidate aria-label={`Review ${p.title}`}>
                  <input type="hidden" name="intent" value="review" />
                  <input type="hidden" name="bidId" value={p.bidId} />
                  {state?.errors?.decision ? (
                    <p id={`field-decision-${p.bidId}`} className="error-message" tabIndex={-1}>
                      <span className="sr-only">Error: </span>
                      {state.errors.decision}
                    </p>
                  ) : null}
                  <TextField
                    name="reason"
                    id={`field-reason-${p.bidId}`}
                    label={`Reason for ${p.title}`}
                    hint="Required when ineligible; published."
                    defaultValue={p.eligibilityReason ?? ""}
                    state={outcome?.intent === "review" ? state : undefined}
                  />
                  <div className="flex flex-wrap gap-2">
                    <SubmitButton name="decision" value="eligible">
                      Mark eligible
                    </SubmitButton>
                    <SubmitButton name="decision" value="ineligible" secondary>
                      Mark ineligible
                    </SubmitButton>
                  </div>
                </Form>
                {eligible.some((e) => e.bidId !== p.bidId) ? (
                  <Form method="post" noValidate aria-label={`Merge ${p.title}`}>
                    <input type="hidden" name="intent" value="merge" />
                    <input type="hidden" name="bidId" value={p.bidId} />
                    <SelectField
                      name="intoBidId"
                      id={`field-intoBidId-${p.bidId}`}
                      label={`Merge ${p.title} into`}
                      options={[
                        { value: "", label: "Choose a bid" },
                        ...eligible
                          .filter((e) => e.bidId !== p.bidId)
                          .map((e) => ({ value: String(e.bidId), label: `${e.reference}: ${e.title}` })),
                      ]}
                      state={outcome?.intent === "merge" ? state : undefined}
                    />
                    <TextField
                      name="reason"
                      id={`field-merge-reason-${p.bidId}`}
                      label={`Why merge ${p.title}`}
                      hint="Published."
                      state={
                        outcome?.intent === "merge" && state?.errors?.["merge-reason"]
                          ? { errors: { reason: state.errors["merge-reason"] } }
                          : undefined
                      }
                    />
                    <SubmitButton secondary>Merge as a duplicate</SubmitButton>
                  </Form>
                ) : null}
              </div>
            ) : null}
          </section>
        );
      })}

      <h2>Ballot order</h2>
      {round.ballotOrderSeed ? (
        <p>
          The current order was drawn at random from seed <code>{round.ballotOrderSeed}</code>.
        </p>
      ) : null}
      {reviewOpen && eligible.length > 0 ? (
        <>
          <Form method="post">
            <input type="hidden" name="intent" value="random-order" />
            <p>
              A random order is fixed from a seed that is recorded, so anyone can check it. If no order is fixed, one is
              drawn when voting opens.
            </p>
            <SubmitButton secondary>Draw a random order</SubmitButton>
          </Form>
          <Form method="post" noValidate className="mt-4">
            <input type="hidden" name="intent" value="manual-order" />
            <p>Or set the order by hand: give each eligible project a position from 1 to {eligible.length}.</p>
            {eligible.map((e) => (
              <TextField
                key={e.bidId}
                name={`position-${e.bidId}`}
                label={`Position of ${e.title}`}
                inputMode="numeric"
                className="max-w-24"
                defaultValue={e.ballotPosition ? String(e.ballotPosition) : ""}
                state={outcome?.intent === "manual-order" ? outcome : undefined}
              />
            ))}
            <SubmitButton>Save the order</SubmitButton>
          </Form>
        </>
      ) : (
        <p>{eligible.length === 0 ? "No eligible projects yet." : "The ballot order is fixed."}</p>
      )}
    </div>
  );
}
