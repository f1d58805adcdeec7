import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { CountSteps, RuleComparison, TurnoutTables, WinnersTable } from "~/components/pb-results";
import { formatPence } from "~/core/money";
import { chartSvg, greedyChartSpec, mesChartSpec } from "~/core/results/chart";
import { RULE_NAMES } from "~/core/results/report-view";
import { auditActionLabel, PHASE_LABELS, TIE_BREAK_LABELS } from "~/core/rounds";
import { formatDateTime } from "~/core/time";
import { listAuditEvents } from "~/models/audit.server";
import {
  canCloseWithoutReason,
  closeVoting,
  countRound,
  countSummary,
  findCount,
  ratifyCount,
  releaseCount,
} from "~/models/counts.server";
import { LedgerRefusal } from "~/models/ledger.server";
import { findRound } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { openSealedBallots, sealedBallotCount } from "~/models/voting/ballot-key.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Count: ${data?.round.name ?? "round"} – Wardfund` },
];

const LABELS = { reason: "Reason", noInterest: "Declaration", share1: "First key share", share2: "Second key share" };

const schema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("close"), reason: z.string().trim().max(1000).default("") }),
  z.object({
    intent: z.literal("count"),
    share1: z.string().max(200, "A key share is shorter than this").default(""),
    share2: z.string().max(200, "A key share is shorter than this").default(""),
  }),
  z.object({
    intent: z.literal("ratify"),
    noInterest: z.literal("yes", {
      errorMap: () => ({ message: "Declare that you have no interest in the winning projects" }),
    }),
    note: z.string().trim().max(1000).default(""),
  }),
  z.object({
    intent: z.literal("release"),
    reason: z.string().trim().min(5, "Give the reason the result is not adopted").max(1000),
  }),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  const round = findRound(roundId);
  if (!round) throw notFound("Round not found");
  const count = findCount(roundId);
  // No early tallies: until the count runs, this page shows turnout and nothing else.
  const summary = count ? countSummary(round, count) : null;
  return json({
    round: {
      id: round.id,
      name: round.name,
      phase: round.phase,
      potPence: round.potPence,
      votingClosesAt: round.votingClosesAt,
      countingRule: round.countingRule,
      tieBreak: round.tieBreak,
    },
    closeNeedsReason: !canCloseWithoutReason(round, new Date()),
    sealedBallots: sealedBallotCount(roundId),
    turnout: roundTurnout(roundId),
    count: summary
      ? {
          ...summary,
          countedByYou: summary.countedById === user.id,
          svg:
            summary.view.rule === "greedy"
              ? chartSvg(greedyChartSpec(summary.view.greedyRows, round.potPence))
              : chartSvg(mesChartSpec(summary.view.mesRows, round.potPence)),
        }
      : null,
    audit: listAuditEvents({ entityType: "pb_round", entityId: String(roundId) }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("Round not found");
  const formData = await request.formData();
  const values = formValues(formData);
  const parsed = schema.safeParse(Object.fromEntries(formData));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "form");
      errors[field === "intent" ? "form" : field] ??= field === "intent" ? "Choose what to do." : issue.message;
    }
    const { form, ...fieldErrors } = errors;
    return json(failure(fieldErrors, values, form), { status: 400 });
  }
  const actor = { id: user.id, name: user.name };
  const v = parsed.data;
  try {
    if (v.intent === "close") closeVoting(actor, roundId, v.reason || null);
    else if (v.intent === "count") {
      if (sealedBallotCount(roundId) > 0) await openSealedBallots(actor, roundId, [v.share1, v.share2]);
      countRound(actor, roundId);
    } else if (v.intent === "ratify") ratifyCount(actor, roundId, { noInterestDeclared: true, note: v.note || null });
    else releaseCount(actor, roundId, v.reason);
  } catch (error) {
    if (error instanceof LedgerRefusal)
      return json(failure({}, values, `The ledger refused this: ${error.message}`), { status: error.status });
    if (error instanceof Refusal) return refusalAnswer(error, values);
    throw error;
  }
  return redirect(`/admin/rounds/${roundId}/count?done=${v.intent}`);
}

const DONE: Record<string, string> = {
  close: "Voting is closed. The ballots are frozen and can be counted.",
  count: "The round is counted. The result stays here until an administrator ratifies or releases it.",
  ratify: "The result is ratified and published.",
  release: "The result is released and published as not adopted.",
};

export default function CountRound() {
  const { round, closeNeedsReason, sealedBallots, turnout, count, audit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  return (
    <div className="max-w-4xl">
      <h1>Count: {round.name}</h1>
      {done && DONE[done] && !state ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      <ErrorSummary state={state} labels={LABELS} />
      <dl className="mb-6 grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Phase</dt>
        <dd>{PHASE_LABELS[round.phase]}</dd>
        <dt className="font-semibold">Pot</dt>
        <dd>{formatPence(round.potPence)}</dd>
        <dt className="font-semibold">Rule</dt>
        <dd>{RULE_NAMES[round.countingRule]}</dd>
        <dt className="font-semibold">Ties broken by</dt>
        <dd>{TIE_BREAK_LABELS[round.tieBreak]}</dd>
        <dt className="font-semibold">{round.phase === "voting" ? "Voting closes" : "Voting closed"}</dt>
        <dd>{formatDateTime(round.votingClosesAt)}</dd>
      </dl>

      <h2>Turnout</h2>
      <TurnoutTables turnout={turnout} />

      {round.phase === "voting" ? (
        <section aria-labelledby="close-heading">
          <h2 id="close-heading">Close voting</h2>
          <p>Closing voting freezes the ballots: no more votes are taken, online, by code or on paper.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="close" />
            <TextAreaField
              name="reason"
              label={closeNeedsReason ? "Reason for closing before the closing time" : "Note (optional)"}
              hint={closeNeedsReason ? "Voting is still open. The reason is kept in the audit trail." : undefined}
              rows={3}
              state={state}
            />
            <SubmitButton>Close voting</SubmitButton>
          </Form>
        </section>
      ) : null}

      {round.phase === "counting" && !count ? (
        <section aria-labelledby="count-heading">
          <h2 id="count-heading">Count the ballots</h2>
          <p>
            The count builds the ballot file from the {turnout.total} ballots, counts it by{" "}
            {RULE_NAMES[round.countingRule]}, and earmarks the money for the winning projects.
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="count" />
            {sealedBallots > 0 ? (
              <>
                <p>
                  {sealedBallots} online {sealedBallots === 1 ? "ballot is" : "ballots are"} sealed. Two of the three
                  officers who hold the round&apos;s key shares enter their shares to open them. The key is rebuilt in
                  memory only; the opened ballots are written without receipts or times, and the sealed copies are
                  erased.
                </p>
                <TextField
                  name="share1"
                  label="First officer's key share"
                  autoComplete="off"
                  spellCheck={false}
                  hint="As printed, for example R12-7K3M-9QXA-…"
                  state={state}
                />
                <TextField
                  name="share2"
                  label="Second officer's key share"
                  autoComplete="off"
                  spellCheck={false}
                  hint="A different officer's share"
                  state={state}
                />
              </>
            ) : null}
            <SubmitButton>{sealedBallots > 0 ? "Open the ballots and count" : "Count the ballots"}</SubmitButton>
          </Form>
        </section>
      ) : null}

      {count ? (
        <section aria-labelledby="result-heading">
          <h2 id="result-heading">Result {count.status === "counted" ? "(not yet published)" : `(${count.status})`}</h2>
          <p>
            Counted by {count.countedBy} on {formatDateTime(count.countedAt)} from {count.ballots} ballots. Ballot file
            SHA-256: <code className="break-all">{count.sha256}</code>
          </p>
          {count.decisionReason ? <p>Reason: {count.decisionReason}</p> : null}
          <WinnersTable view={count.view} caption="Winning projects" />
          <CountSteps view={count.view} svg={count.svg} idPrefix="count-steps" />
          {count.otherRule ? (
            <>
              <h3>What the other rule would have chosen</h3>
              <RuleComparison rows={count.comparison} rule={count.rule} otherRule={count.otherRule} />
            </>
          ) : null}
          {count.status === "counted" ? (
            <section aria-labelledby="reconcile-heading">
              <h3 id="reconcile-heading">Ballots against turnout</h3>
              <p>
                {count.reconciliation.counted} ballots counted; {count.reconciliation.participation} online and code
                votes recorded; {count.reconciliation.paper} paper ballots in accepted batches. The published turnout is
                the ballots counted.
              </p>
              <p className={count.reconciliation.difference === 0 ? undefined : "error-message"}>
                {count.reconciliation.reason}
              </p>
            </section>
          ) : null}
          {count.status === "counted" ? (
            <div className="grid gap-8 md:grid-cols-2">
              <section aria-labelledby="ratify-heading">
                <h3 id="ratify-heading">Ratify</h3>
                {count.countedByYou ? (
                  <p>You ran this count, so another administrator must ratify it.</p>
                ) : (
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="ratify" />
                    <div className="field">
                      {state?.errors?.noInterest ? (
                        <p id="field-noInterest-error" className="error-message">
                          <span className="sr-only">Error: </span>
                          {state.errors.noInterest}
                        </p>
                      ) : null}
                      <div className="flex items-center gap-2">
                        <input
                          type="checkbox"
                          id="field-noInterest"
                          name="noInterest"
                          value="yes"
                          className="h-5 w-5"
                          aria-describedby={state?.errors?.noInterest ? "field-noInterest-error" : undefined}
                        />
                        <label htmlFor="field-noInterest">I have no interest in any of the winning projects</label>
                      </div>
                    </div>
                    <TextAreaField
                      name="note"
                      label={
                        count.reconciliation.difference === 0 ? "Note (optional)" : "Why the ballots and turnout differ"
                      }
                      rows={2}
                      state={state}
                    />
                    <SubmitButton>Ratify and publish</SubmitButton>
                  </Form>
                )}
              </section>
              <section aria-labelledby="release-heading">
                <h3 id="release-heading">Release</h3>
                <p>Releasing returns the earmarked money to the pot; the result is published as not adopted.</p>
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="release" />
                  <TextAreaField name="reason" label="Why the result is not adopted" rows={3} state={state} />
                  <SubmitButton secondary>Release the result</SubmitButton>
                </Form>
              </section>
            </div>
          ) : (
            <p>
              <Link to={`/rounds/${round.id}/results`}>See the published results</Link>
            </p>
          )}
        </section>
      ) : null}

      <h2>History</h2>
      <ul className="list-disc pl-6">
        {audit.map((event) => (
          <li key={event.id}>
            {formatDateTime(event.at)}: {auditActionLabel(event.action)} by {event.actorName ?? "the system"}
            {event.reason ? ` (${event.reason})` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}
