import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Trans, useTranslation } from "react-i18next";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { AuditTable } from "~/components/audit-table";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { RoundFields } from "~/components/round-fields";
import { pickLocalised } from "~/core/localised";
import { formatPenceAsDecimal } from "~/core/money";
import {
  DELIVERY_STATUSES,
  isWinningStatus,
  nextPhase,
  phaseIndex,
  potIsLocked,
  reviewTally,
  rulesAreLocked,
  toDateTimeLocal,
} from "~/core/rounds";
import { listAuditEvents } from "~/models/audit.server";
import { listWards } from "~/models/council.server";
import { ROUND_FIELD_LABEL_KEYS, ROUND_FORM_ARRAYS, roundFormSchema } from "~/forms/round-form";
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
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";
import { ReviewTallyText } from "~/components/review-tally";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.round.name, cy: data.round.nameCy }, language).text : "";
  return [
    { title: t("common:title", { page: t("admin:round.title", { name: name || t("admin:round.titleFallback") }) }) },
  ];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  advanceRoundPhases();
  // The review list first: it brings newly submitted bids into the round, so the tally counts them.
  const review = listReviewProjects(roundId);
  const found = roundForAdmin(roundId);
  if (!found || !review) throw notFound("admin:refusal.noRound");
  const { round, input } = found;
  const events = [...listAuditEvents({ entityType: "pb_round", entityId: String(roundId), limit: 30 })];
  return json({
    round: {
      id: round.id,
      name: round.name,
      nameCy: round.nameCy,
      phase: round.phase,
      fundId: round.fundId,
      potPence: round.potPence,
      rulesLockedAt: round.rulesLockedAt,
      ballotOrderSeed: round.ballotOrderSeed,
      votingOpensAt: round.votingOpensAt,
      votingClosesAt: round.votingClosesAt,
    },
    area: found.allWards ? null : found.wardNames.join(", "),
    reviewTally: reviewTally(review.projects),
    hold: phaseHold(round),
    next: nextPhase(round.phase),
    defaults: {
      name: input.name,
      description: input.description,
      nameCy: input.nameCy ?? "",
      descriptionCy: input.descriptionCy ?? "",
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
      seats: String(input.seats ?? 1),
    },
    wards: listWards().map((w) => ({ id: w.id, name: w.name, nameCy: w.nameCy })),
    winners: review.projects
      .filter((p) => isWinningStatus(p.status))
      .map((p) => ({ bidId: p.bidId, title: p.title, deliveryStatus: p.deliveryStatus, deliveryNote: p.deliveryNote })),
    events,
  });
}

const phaseSchema = z.object({ reason: z.string().trim().min(3, "admin:round.reasonRequired").max(500) });
const deliverySchema = z.object({
  bidId: z.coerce.number().int().positive(),
  deliveryStatus: z.enum(DELIVERY_STATUSES, { errorMap: () => ({ message: "admin:round.chooseStatus" }) }),
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
      return json({ ok: true as const, intent, message: "movedTo", phase });
    }
    if (intent === "delivery") {
      const parsed = parseForm(deliverySchema, formData);
      if (!parsed.ok) return json({ ...failure(parsed.errors, parsed.values), intent }, { status: 400 });
      setDeliveryStatus(user, roundId, parsed.data.bidId, parsed.data.deliveryStatus, parsed.data.note);
      return json({ ok: true as const, intent, message: "deliverySaved" });
    }
    const parsed = parseForm(roundFormSchema, formData, ROUND_FORM_ARRAYS);
    if (!parsed.ok) return json({ ...failure(parsed.errors, parsed.values), intent }, { status: 400 });
    updateRound(user, roundId, parsed.data);
    return json({ ok: true as const, intent, message: "settingsSaved" });
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
  const { t } = useTranslation("admin");
  const format = useFormat();
  const dateTime = (iso: string | null) => (iso ? format.dateTime(iso) : t("notSet"));
  const labels = Object.fromEntries(Object.entries(ROUND_FIELD_LABEL_KEYS).map(([field, key]) => [field, t(key)]));
  const deliveryStatusLabel = (status: string) => t(`delivery.${status}`);
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/admin/rounds">{t("rounds.all")}</Link>
      </p>
      <h1>
        <LocalisedText value={{ en: round.name, cy: round.nameCy }} />
      </h1>
      {search.get("created") && !result ? (
        <p role="status" className="notice">
          {t("round.created")}
        </p>
      ) : null}
      {result && "message" in result ? (
        <p role="status" className="notice">
          {"phase" in result ? t("round.movedTo", { phase: t(`phase.${result.phase}`) }) : t(`round.${result.message}`)}
        </p>
      ) : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-semibold">{t("round.phase")}</dt>
        <dd>{t(`phase.${round.phase}`)}</dd>
        <dt className="font-semibold">{t("round.area")}</dt>
        <dd>{data.area ?? t("everyWard")}</dd>
        <dt className="font-semibold">{t("round.pot")}</dt>
        <dd>{t("round.potOfFund", { amount: format.money(round.potPence), fund: round.fundId })}</dd>
        <dt className="font-semibold">{t("round.voting")}</dt>
        <dd>{t("rounds.fromTo", { from: dateTime(round.votingOpensAt), to: dateTime(round.votingClosesAt) })}</dd>
        <dt className="font-semibold">{t("round.bids")}</dt>
        <dd>
          <ReviewTallyText tally={data.reviewTally} />
        </dd>
        <dt className="font-semibold">{t("round.ballotOrder")}</dt>
        <dd>{round.ballotOrderSeed ? t("round.randomFrom", { seed: round.ballotOrderSeed }) : t("round.notRandom")}</dd>
      </dl>
      <ul className="flex flex-wrap gap-4">
        <li>
          <Link to={`/admin/rounds/${round.id}/review`}>{t("round.reviewLink")}</Link>
        </li>
        <li>
          <Link to={`/admin/rounds/${round.id}/ballot-key`}>{t("round.ballotKeyLink")}</Link>
        </li>
        <li>
          <Link to={`/admin/rounds/${round.id}/register`}>{t("round.registerLink")}</Link>
        </li>
        {round.phase !== "draft" ? (
          <li>
            <Link to={`/rounds/${round.id}`}>{t("round.publicLink")}</Link>
          </li>
        ) : null}
      </ul>

      <h2>{t("round.phase")}</h2>
      {data.hold ? <p className="notice">{t(data.hold)}</p> : null}
      {canMoveByHand && data.next ? (
        <Form method="post" noValidate>
          <ErrorSummary state={stateFor("next-phase")} labels={labels} />
          <input type="hidden" name="intent" value="next-phase" />
          <p>
            <Trans
              t={t}
              i18nKey="round.moveIntro"
              values={{ phase: t(`phase.${data.next}`) }}
              components={{ strong: <strong /> }}
            />
            {round.phase === "draft" ? ` ${t("round.openingPostsPot")}` : ""}
          </p>
          <TextField name="reason" label={t("round.reason")} state={stateFor("next-phase")} />
          <SubmitButton>{t("round.moveOn")}</SubmitButton>
        </Form>
      ) : (
        <p>{round.phase === "closed" ? t("round.closed") : t("round.afterCount")}</p>
      )}

      {data.winners.length > 0 ? (
        <>
          <h2>{t("round.delivery")}</h2>
          <p>{t("round.deliveryIntro")}</p>
          {data.winners.map((w) => (
            <Form method="post" key={w.bidId} className="border-t py-2" noValidate>
              <h3>{w.title}</h3>
              <input type="hidden" name="intent" value="delivery" />
              <input type="hidden" name="bidId" value={w.bidId} />
              <SelectField
                name="deliveryStatus"
                id={`field-deliveryStatus-${w.bidId}`}
                label={t("round.statusOf", { title: w.title })}
                options={DELIVERY_STATUSES.map((s) => ({ value: s, label: deliveryStatusLabel(s) }))}
                defaultValue={w.deliveryStatus ?? "Not started"}
                state={stateFor("delivery")}
              />
              <TextField
                name="note"
                id={`field-note-${w.bidId}`}
                label={t("round.noteOn", { title: w.title })}
                defaultValue={w.deliveryNote ?? ""}
              />
              <SubmitButton secondary>{t("round.saveStatus")}</SubmitButton>
            </Form>
          ))}
        </>
      ) : null}

      <h2>{t("round.settings")}</h2>
      {rulesLocked ? (
        <p className="notice">
          {t(round.phase === "voting" ? "round.rulesFixedVoting" : "round.rulesFixed", {
            date: dateTime(round.rulesLockedAt),
          })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <ErrorSummary state={stateFor("update")} labels={labels} />
        <input type="hidden" name="intent" value="update" />
        <RoundFields
          state={stateFor("update")}
          wards={data.wards}
          defaults={data.defaults}
          rulesLocked={rulesLocked}
          potLocked={potIsLocked(round.phase)}
          closingDateOpen={round.phase === "voting"}
        />
        <SubmitButton>{t("round.saveSettings")}</SubmitButton>
      </Form>

      <h2>{t("round.history")}</h2>
      <AuditTable events={data.events} />
    </div>
  );
}
