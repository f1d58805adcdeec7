import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField, useErrorText, type FormState } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { ReviewTallyText } from "~/components/review-tally";
import { pickLocalised } from "~/core/localised";
import { reviewTally } from "~/core/rounds";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { fixBallotOrder, listReviewProjects, mergeProject, reviewProject } from "~/models/rounds/review.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.round.name, cy: data.round.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: t("admin:review.title", { name }) }) }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  advanceRoundPhases();
  const found = listReviewProjects(roundId);
  if (!found) throw notFound("admin:refusal.noRound");
  const { round, projects } = found;
  return json({
    round: {
      id: round.id,
      name: round.name,
      nameCy: round.nameCy,
      phase: round.phase,
      ballotOrderSeed: round.ballotOrderSeed,
    },
    reviewOpen: round.phase === "accepting-bids" || round.phase === "reviewing",
    tally: reviewTally(projects),
    projects,
  });
}

const reviewSchema = z.object({
  bidId: z.coerce.number().int().positive(),
  decision: z.enum(["eligible", "ineligible"], { errorMap: () => ({ message: "admin:review.chooseDecision" }) }),
  reason: z.string().max(2000),
});
const mergeSchema = z.object({
  bidId: z.coerce.number().int().positive(),
  intoBidId: z.coerce
    .number({ invalid_type_error: "admin:review.chooseMergeInto" })
    .int()
    .positive("admin:review.chooseMergeInto"),
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
      return json<Outcome>({
        intent,
        bidId,
        message: parsed.data.decision === "eligible" ? "markedEligible" : "markedIneligible",
      });
    }
    if (intent === "merge") {
      const parsed = mergeSchema.safeParse(Object.fromEntries(formData));
      if (!parsed.success) return fail({ [`intoBidId-${bidId ?? 0}`]: parsed.error.issues[0]!.message }, 400);
      mergeProject(user, roundId, parsed.data.bidId, parsed.data.intoBidId, parsed.data.reason);
      return json<Outcome>({ intent, bidId, message: "merged" });
    }
    if (intent === "random-order") {
      fixBallotOrder(user, roundId, { method: "random" });
      return json<Outcome>({ intent, message: "drawn" });
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
      return json<Outcome>({ intent, message: "orderSaved" });
    }
    return fail({}, 400, "admin:review.chooseAction");
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

const LABELS = ["decision", "reason", "merge-reason", "intoBidId", "position"];

function summaryLabels(errors: Record<string, string> | undefined, t: (key: string) => string): Record<string, string> {
  return Object.fromEntries(
    Object.keys(errors ?? {}).map((key) => {
      const field = key.replace(/-\d+$/, "");
      return [key, LABELS.includes(field) ? t(`review.labels.${field}`) : ""];
    }),
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
  const { t, i18n } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  const titleOf = new Map(projects.map((p) => [p.bidId, p]));
  /** A label naming a bid: its title in the reader's language, marked when shown in the other one. */
  const aboutBid = (key: string, p: { title: string; titleCy: string | null }) => (
    <Trans t={t} i18nKey={key} components={{ bid: <LocalisedText value={{ en: p.title, cy: p.titleCy }} /> }} />
  );
  const plainTitle = (p: { title: string; titleCy: string | null }) =>
    pickLocalised({ en: p.title, cy: p.titleCy }, i18n.language);
  return (
    <div className="max-w-4xl">
      <p>
        <Link to={`/admin/rounds/${round.id}`}>
          <Trans
            t={t}
            i18nKey="review.back"
            components={{ round: <LocalisedText value={{ en: round.name, cy: round.nameCy }} /> }}
          />
        </Link>
      </p>
      <h1>
        <Trans
          t={t}
          i18nKey="review.heading"
          components={{ round: <LocalisedText value={{ en: round.name, cy: round.nameCy }} /> }}
        />
      </h1>
      <p>{t("review.intro", { phase: t(`phase.${round.phase}`) })}</p>
      <p className="font-semibold">
        {t("review.bidsLabel")} <ReviewTallyText tally={tally} />.
      </p>
      <ErrorSummary state={outcome?.errors ? outcome : undefined} labels={summaryLabels(outcome?.errors, t)} />
      {outcome?.message ? (
        <p role="status" className="notice">
          {t(`review.${outcome.message}`)}
        </p>
      ) : null}
      {!reviewOpen ? (
        <p className="notice">{round.phase === "draft" ? t("review.notOpen") : t("review.closed")}</p>
      ) : null}
      {projects.length === 0 ? <p>{t("review.none")}</p> : null}
      {projects.map((p) => {
        const state = rowState(outcome, p.bidId);
        return (
          <section key={p.bidId} aria-labelledby={`bid-${p.bidId}`} className="panel">
            <h2 id={`bid-${p.bidId}`} className="text-xl">
              <span translate="no">{p.reference}</span>: <LocalisedText value={{ en: p.title, cy: p.titleCy }} />
            </h2>
            <LocalisedText as="p" value={{ en: p.summary, cy: p.summaryCy }} />
            <dl className="grid grid-cols-[auto_1fr] gap-x-4">
              <dt className="font-semibold">{t("review.group")}</dt>
              <dd translate="no">{p.groupName}</dd>
              <dt className="font-semibold">{t("review.cost")}</dt>
              <dd>{format.money(p.amountPence ?? 0)}</dd>
              <dt className="font-semibold">{t("review.wards")}</dt>
              <dd>{p.wards.length ? <span translate="no">{p.wards.join(", ")}</span> : t("review.noneGiven")}</dd>
              <dt className="font-semibold">{t("review.review")}</dt>
              <dd>
                {p.mergedIntoBidId !== null ? (
                  <MergedInto into={titleOf.get(p.mergedIntoBidId)} id={p.mergedIntoBidId} />
                ) : p.eligibility === "pending" ? (
                  t("review.notReviewed")
                ) : p.eligibility === "eligible" ? (
                  t("review.eligible")
                ) : (
                  t("review.ineligible")
                )}
                {p.eligibilityReason ? `: ${p.eligibilityReason}` : ""}
                {p.reviewerName ? (
                  <>
                    {" "}
                    <span translate="no">({p.reviewerName}</span>
                    {p.reviewedAt ? `, ${format.date(p.reviewedAt)}` : ""})
                  </>
                ) : null}
              </dd>
              <dt className="font-semibold">{t("review.bidStatus")}</dt>
              <dd>{t(`common:bidStatus.${p.status}`)}</dd>
              {p.ballotPosition !== null ? (
                <>
                  <dt className="font-semibold">{t("review.ballotPosition")}</dt>
                  <dd>{p.ballotPosition}</dd>
                </>
              ) : null}
            </dl>
            {reviewOpen && p.mergedIntoBidId === null ? (
              <div className="mt-4 grid gap-4 md:grid-cols-2">
                <Form method="post" noValidate aria-labelledby={`review-${p.bidId} bid-${p.bidId}`}>
                  <span id={`review-${p.bidId}`} hidden>
                    {t("review.reviewForm")}
                  </span>
                  <input type="hidden" name="intent" value="review" />
                  <input type="hidden" name="bidId" value={p.bidId} />
                  {state?.errors?.decision ? (
                    <p id={`field-decision-${p.bidId}`} className="error-message" tabIndex={-1}>
                      <span className="sr-only">{t("forms:errorPrefix")} </span>
                      {errorText(state.errors.decision)}
                    </p>
                  ) : null}
                  <TextField
                    name="reason"
                    id={`field-reason-${p.bidId}`}
                    label={aboutBid("review.reasonFor", p)}
                    hint={t("review.reasonHint")}
                    defaultValue={p.eligibilityReason ?? ""}
                    state={outcome?.intent === "review" ? state : undefined}
                  />
                  <div className="flex flex-wrap gap-2">
                    <SubmitButton name="decision" value="eligible">
                      {t("review.markEligible")}
                    </SubmitButton>
                    <SubmitButton name="decision" value="ineligible" secondary>
                      {t("review.markIneligible")}
                    </SubmitButton>
                  </div>
                </Form>
                {eligible.some((e) => e.bidId !== p.bidId) ? (
                  <Form method="post" noValidate aria-labelledby={`merge-${p.bidId} bid-${p.bidId}`}>
                    <span id={`merge-${p.bidId}`} hidden>
                      {t("review.mergeForm")}
                    </span>
                    <input type="hidden" name="intent" value="merge" />
                    <input type="hidden" name="bidId" value={p.bidId} />
                    <SelectField
                      name="intoBidId"
                      id={`field-intoBidId-${p.bidId}`}
                      label={aboutBid("review.mergeInto", p)}
                      options={[
                        { value: "", label: t("review.chooseBid") },
                        ...eligible
                          .filter((e) => e.bidId !== p.bidId)
                          .map((e) => {
                            const title = plainTitle(e);
                            return {
                              value: String(e.bidId),
                              label: `${e.reference}: ${title.text}`,
                              lang: title.language === i18n.language ? undefined : "en-GB",
                            };
                          }),
                      ]}
                      state={outcome?.intent === "merge" ? state : undefined}
                    />
                    <TextField
                      name="reason"
                      id={`field-merge-reason-${p.bidId}`}
                      label={aboutBid("review.whyMerge", p)}
                      hint={t("review.published")}
                      state={
                        outcome?.intent === "merge" && state?.errors?.["merge-reason"]
                          ? { errors: { reason: state.errors["merge-reason"] } }
                          : undefined
                      }
                    />
                    <SubmitButton secondary>{t("review.merge")}</SubmitButton>
                  </Form>
                ) : null}
              </div>
            ) : null}
          </section>
        );
      })}

      <h2>{t("review.ballotOrder")}</h2>
      {round.ballotOrderSeed ? (
        <p>
          <Trans t={t} i18nKey="review.seed" values={{ seed: round.ballotOrderSeed }} components={{ code: <code /> }} />
        </p>
      ) : null}
      {reviewOpen && eligible.length > 0 ? (
        <>
          <Form method="post">
            <input type="hidden" name="intent" value="random-order" />
            <p>{t("review.randomIntro")}</p>
            <SubmitButton secondary>{t("review.drawRandom")}</SubmitButton>
          </Form>
          <Form method="post" noValidate className="mt-4">
            <input type="hidden" name="intent" value="manual-order" />
            <p>{t("review.byHand", { count: eligible.length })}</p>
            {eligible.map((e) => (
              <TextField
                key={e.bidId}
                name={`position-${e.bidId}`}
                label={aboutBid("review.positionOf", e)}
                inputMode="numeric"
                className="max-w-24"
                defaultValue={e.ballotPosition ? String(e.ballotPosition) : ""}
                state={outcome?.intent === "manual-order" ? outcome : undefined}
              />
            ))}
            <SubmitButton>{t("review.saveOrder")}</SubmitButton>
          </Form>
        </>
      ) : (
        <p>{eligible.length === 0 ? t("review.noEligible") : t("review.fixed")}</p>
      )}
    </div>
  );
}

function MergedInto({ into, id }: { into: { title: string; titleCy: string | null } | undefined; id: number }) {
  const { t } = useTranslation("admin");
  return (
    <Trans
      t={t}
      i18nKey="review.mergedInto"
      components={{ bid: into ? <LocalisedText value={{ en: into.title, cy: into.titleCy }} /> : <span>{id}</span> }}
    />
  );
}
