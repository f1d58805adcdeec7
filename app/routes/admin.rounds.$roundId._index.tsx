import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuditTable } from "~/components/audit-table";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { RoundFields } from "~/components/round-fields";
import { formatPence, formatPenceAsDecimal } from "~/core/money";
import {
  DELIVERY_STATUSES,
  describeReviewTally,
  formatRoundDate,
  isWinningStatus,
  nextPhase,
  PHASE_LABELS,
  phaseIndex,
  potIsLocked,
  reviewTally,
  rulesAreLocked,
  toDateTimeLocal,
} from "~/core/rounds";
import { listAuditEvents } from "~/models/audit.server";
import { listWards } from "~/models/council.server";
import { ROUND_FIELD_LABELS, ROUND_FORM_ARRAYS, roundFormSchema } from "~/forms/round-form";
import { roundForAdmin } from "~/models/rounds/lists.server";
import { advanceRoundPhases, moveRoundToNextPhase, phaseHold } from "~/models/rounds/phases.server";
import { listReviewProjects, setDeliveryStatus } from "~/models/rounds/review.server";
import { updateRound } from "~/models/rounds/setup.server";
import { LedgerRefusal } from "~/models/ledger.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.round.name ?? "Round"} – PB rounds – Wardfund` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  advanceRoundPhases();
  // The review list first: it brings newly submitted bids into the round, so the tally counts them.
  const review = listReviewProjects(roundId);
  const found = roundForAdmin(roundId);
  if (!found || !review) throw notFound("There is no such round.");
  const { round, input } = found;
  const events = [...listAuditEvents({ entityType: "pb_round", entityId: String(roundId), limit: 30 })];
  return json({
    round: {
      id: round.id,
      name: round.name,
      phase: round.phase,
      fundId: round.fundId,
      potPence: round.potPence,
      rulesLockedAt: round.rulesLockedAt,
      ballotOrderSeed: round.ballotOrderSeed,
      votingOpensAt: round.votingOpensAt,
      votingClosesAt: round.votingClosesAt,
    },
    area: found.allWards ? "Every ward" : found.wardNames.join(", "),
    reviewTally: describeReviewTally(reviewTally(review.projects)),
    hold: phaseHold(round),
    next: nextPhase(round.phase),
    defaults: {
      name: input.name,
      description: input.description,
      wardIds: input.wardIds.map(String),
      pot: formatPenceAsDecimal(input.potPence),
      minBid: formatPenceAsDecimal(input.minBidPence),
      maxBid: formatPenceAsDecimal(input.maxBidPence),
      bidsOpenAt: toDateTimeLocal(input.bidsOpenAt),
      bidsCloseAt: toDateTimeLocal(input.bidsCloseAt),
      votingOpensAt: toDateTimeLocal(input.votingOpensAt),
      votingClosesAt: toDateTimeLocal(input.votingClosesAt),
      resultsAt: toDateTimeLocal(input.resultsAt),
      maxRanked: String(input.maxRanked),
      minVoterAge: String(input.minVoterAge),
      countingRule: input.countingRule,
      tieBreak: input.tieBreak,
    },
    wards: listWards().map((w) => ({ id: w.id, name: w.name })),
    winners: review.projects
      .filter((p) => isWinningStatus(p.status))
      .map((p) => ({ bidId: p.bidId, title: p.title, deliveryStatus: p.deliveryStatus, deliveryNote: p.deliveryNote })),
    events,
  });
}

const phaseSchema = z.object({ reason: z.string().trim().min(3, "Give a reason for moving the round on").max(500) });
const deliverySchema = z.object({
  bidId: z.coerce.number().int().positive(),
  deliveryStatus: z.enum(DELIVERY_STATUSES, { errorMap: () => ({ message: "Choose a status" }) }),
  note: z.string().trim().max(1000),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "update");
  try {
    if (intent === "next-phase") {
      const parsed = parseForm(phaseSchema, formData);
      if (!parsed.ok) return json({ ...failure(parsed.errors, parsed.values), intent }, { status: 400 });
      const phase = moveRoundToNextPhase(user, roundId, parsed.data.reason);
      return json({ ok: true as const, intent, message: `The round is now in the phase "${PHASE_LABELS[phase]}".` });
    }
    if (intent === "delivery") {
      const parsed = parseForm(deliverySchema, formData);
      if (!parsed.ok) return json({ ...failure(parsed.errors, parsed.values), intent }, { status: 400 });
      setDeliveryStatus(user, roundId, parsed.data.bidId, parsed.data.deliveryStatus, parsed.data.note);
      return json({ ok: true as const, intent, message: "Delivery status saved." });
    }
    const parsed = parseForm(roundFormSchema, formData, ROUND_FORM_ARRAYS);
    if (!parsed.ok) return json({ ...failure(parsed.errors, parsed.values), intent }, { status: 400 });
    updateRound(user, roundId, parsed.data);
    return json({ ok: true as const, intent, message: "Settings saved." });
  } catch (error) {
    const values = formValues(formData);
    if (error instanceof Refusal) return json({ ...refusalFailure(error, values), intent }, { status: error.status });
    if (error instanceof LedgerRefusal)
      return json({ ...failure({}, values, error.message), intent }, { status: error.status });
    throw error;
  }
}

export default function RoundAdmin() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { round } = data;
  const failed = result && "errors" in result ? result : undefined;
  const stateFor = (intent: string) => (failed && failed.intent === intent ? failed : undefined);
  const rulesLocked = rulesAreLocked(round.phase);
  const canMoveByHand = data.next !== null && phaseIndex(data.next) <= phaseIndex("counting");
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/admin/rounds">All PB rounds</Link>
      </p>
      <h1>{round.name}</h1>
      {search.get("created") && !result ? (
        <p role="status" className="notice">
          The round is set up as a draft.
        </p>
      ) : null}
      {result && "message" in result ? (
        <p role="status" className="notice">
          {result.message}
        </p>
      ) : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-semibold">Phase</dt>
        <dd>{PHASE_LABELS[round.phase]}</dd>
        <dt className="font-semibold">Area</dt>
        <dd>{data.area}</dd>
        <dt className="font-semibold">Pot</dt>
        <dd>
          {formatPence(round.potPence)} (fund {round.fundId})
        </dd>
        <dt className="font-semibold">Voting</dt>
        <dd>
          {formatRoundDate(round.votingOpensAt, true)} to {formatRoundDate(round.votingClosesAt, true)}
        </dd>
        <dt className="font-semibold">Bids</dt>
        <dd>{data.reviewTally}</dd>
        <dt className="font-semibold">Ballot order</dt>
        <dd>
          {round.ballotOrderSeed
            ? `Random, from seed ${round.ballotOrderSeed}`
            : "Not drawn at random (set by hand, or not fixed yet)"}
        </dd>
      </dl>
      <ul className="flex flex-wrap gap-4">
        <li>
          <Link to={`/admin/rounds/${round.id}/review`}>Review bids and ballot order</Link>
        </li>
        <li>
          <Link to={`/admin/rounds/${round.id}/ballot-key`}>Ballot key</Link>
        </li>
        <li>
          <Link to={`/admin/rounds/${round.id}/register`}>Who may vote and the residents' register</Link>
        </li>
        {round.phase !== "draft" ? (
          <li>
            <Link to={`/rounds/${round.id}`}>Public page</Link>
          </li>
        ) : null}
      </ul>

      <h2>Phase</h2>
      {data.hold ? <p className="notice">{data.hold}</p> : null}
      {canMoveByHand && data.next ? (
        <Form method="post" noValidate>
          <ErrorSummary state={stateFor("next-phase")} labels={ROUND_FIELD_LABELS} />
          <input type="hidden" name="intent" value="next-phase" />
          <p>
            The round moves on by itself on each date. To move it now to <strong>{PHASE_LABELS[data.next]}</strong>,
            give a reason (it goes in the audit trail).
            {round.phase === "draft" ? " Opening the round puts the pot into the ledger." : ""}
          </p>
          <TextField name="reason" label="Reason for moving on" state={stateFor("next-phase")} />
          <SubmitButton>Move to the next phase</SubmitButton>
        </Form>
      ) : (
        <p>{round.phase === "closed" ? "The round is closed." : "The next phase follows the count."}</p>
      )}

      {data.winners.length > 0 ? (
        <>
          <h2>Delivery of winning projects</h2>
          <p>The status and note are shown on each project's public page.</p>
          {data.winners.map((w) => (
            <Form method="post" key={w.bidId} className="border-t py-2" noValidate>
              <h3>{w.title}</h3>
              <input type="hidden" name="intent" value="delivery" />
              <input type="hidden" name="bidId" value={w.bidId} />
              <SelectField
                name="deliveryStatus"
                id={`field-deliveryStatus-${w.bidId}`}
                label={`Status of ${w.title}`}
                options={DELIVERY_STATUSES.map((s) => ({ value: s, label: s }))}
                defaultValue={w.deliveryStatus ?? "Not started"}
                state={stateFor("delivery")}
              />
              <TextField
                name="note"
                id={`field-note-${w.bidId}`}
                label={`Note on ${w.title}`}
                defaultValue={w.deliveryNote ?? ""}
              />
              <SubmitButton secondary>Save status</SubmitButton>
            </Form>
          ))}
        </>
      ) : null}

      <h2>Settings</h2>
      {rulesLocked ? (
        <p className="notice">
          The rules were fixed when voting opened
          {round.rulesLockedAt ? ` on ${formatRoundDate(round.rulesLockedAt, true)}` : ""}. Only the name, description
          {round.phase === "voting" ? ", the time voting closes" : ""} and results date can still change.
        </p>
      ) : null}
      <Form method="post" noValidate>
        <ErrorSummary state={stateFor("update")} labels={ROUND_FIELD_LABELS} />
        <input type="hidden" name="intent" value="update" />
        <RoundFields
          state={stateFor("update")}
          wards={data.wards}
          defaults={data.defaults}
          rulesLocked={rulesLocked}
          potLocked={potIsLocked(round.phase)}
          closingDateOpen={round.phase === "voting"}
        />
        <SubmitButton>Save settings</SubmitButton>
      </Form>

      <h2>History</h2>
      <AuditTable events={data.events} />
    </div>
  );
}
