import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { isEditable } from "~/core/bids";
import { localisedPlain } from "~/core/localised";
import { TrancheTable } from "~/components/tranche-table";
import { WardStates } from "~/components/ward-states";
import { canWithdraw, latestChangeRequest, listBidDecisions, requireBidViewer } from "~/models/bids.server";
import { offerSummaryForBid } from "~/models/offers.server";
import { wardStatesForBid } from "~/models/ward-decisions.server";
import { isPublicBid } from "~/models/public-bids.server";
import { getAuth, requireUser } from "~/utils/auth.server";
import { idParam } from "~/utils/http.server";
import { loadingRefusals } from "~/utils/refusal.server";
import { bidPageTitle } from "~/utils/bid-title";
import { useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => bidPageTitle(data?.bid, matches);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  // A decided bid is public: anyone who is not one of its viewers reads its public page instead of signing in.
  const { user: signedIn } = await getAuth(request);
  if (isPublicBid(bidId) && (!signedIn || !bidViewer(signedIn, bidId))) throw redirect(`/projects/${bidId}`);
  const user = await requireUser(request);
  const { bid, terms, group, wards, lines, files, viewer } = await loadingRefusals(() => requireBidViewer(user, bidId));
  const isMember = viewer === "member";
  const wardDecisions = terms.kind === "ward-budget" && bid.version > 0 ? wardStatesForBid(bidId) : null;
  const waitingForWards = Boolean(wardDecisions && !wardDecisions.settled);
  return json({
    bid: {
      id: bid.id,
      reference: bid.reference,
      status: bid.status,
      title: bid.title,
      titleCy: bid.titleCy,
      summary: bid.summary,
      summaryCy: bid.summaryCy,
      description: bid.description,
      amountPence: bid.amountPence,
      beneficiaries: bid.beneficiaries,
      beneficiaryCount: bid.beneficiaryCount,
      startOn: bid.startOn,
      endOn: bid.endOn,
      version: bid.version,
      submittedAt: bid.submittedAt,
      withdrawnAt: bid.withdrawnAt,
      withdrawnReason: bid.withdrawnReason,
    },
    fund: { name: terms.name, nameCy: terms.nameCy ?? null, kind: terms.kind },
    group: { id: group.id, name: group.name },
    wards,
    lines,
    files,
    decisions: listBidDecisions(bidId),
    wardDecisions,
    grant: bid.grantId !== null || bid.status === "withdrawn" ? offerSummaryForBid(bidId) : null,
    changeRequest: isMember && bid.status === "changes-requested" ? latestChangeRequest(bidId) : null,
    actions: {
      edit: isMember && isEditable(bid.status),
      withdraw: isMember && canWithdraw(terms.kind, bid.status),
      history: bid.version > 0,
      offer:
        isMember &&
        !waitingForWards &&
        ["approved", "part-approved", "won", "offer-accepted", "paid", "monitoring-due", "closed"].includes(
          bid.status,
        ) &&
        bid.grantId !== null,
      monitoring: isMember && ["paid", "monitoring-due", "closed"].includes(bid.status),
      updates: isMember && ["offer-accepted", "paid", "monitoring-due", "closed"].includes(bid.status),
      decide:
        viewer === "councillor" && (bid.status === "submitted" || waitingForWards) && terms.kind === "ward-budget",
    },
    isMember,
  });
}

function bidViewer(user: Parameters<typeof requireBidViewer>[0], bidId: number): boolean {
  try {
    requireBidViewer(user, bidId);
    return true;
  } catch {
    return false;
  }
}

export default function BidPage() {
  const { bid, fund, group, wards, lines, files, decisions, wardDecisions, grant, changeRequest, actions, isMember } =
    useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("bids");
  const { date, money } = useFormat();
  const markers = { en: t("common:language.englishOnly"), cy: t("common:language.welshOnly") };
  const notGiven = t("edit.notGiven");
  return (
    <div className="max-w-3xl">
      <p className="muted">
        {bid.reference} · <LocalisedText value={{ en: fund.name, cy: fund.nameCy }} />
      </p>
      <h1>
        {bid.title || bid.titleCy ? <LocalisedText value={{ en: bid.title, cy: bid.titleCy }} /> : t("page.untitled")}
      </h1>
      {params.has("submitted") ? (
        <p className="notice" role="status">
          {t(fund.kind === "ward-budget" ? "page.submittedWard" : "page.submitted")}
        </p>
      ) : null}
      {params.has("withdrawn") ? (
        <p className="notice" role="status">
          {t("page.withdrawn")}
        </p>
      ) : null}
      {changeRequest ? (
        <div className="notice">
          <h2 className="mt-0 text-lg">{t("edit.changesRequested")}</h2>
          <p>{t("page.changesOn", { name: changeRequest.deciderName, date: date(changeRequest.decidedAt) })}</p>
          {changeRequest.reason ? (
            <p className="whitespace-pre-line" translate="no">
              {changeRequest.reason}
            </p>
          ) : (
            <p>{t("edit.noDetails")}</p>
          )}
        </div>
      ) : null}
      <dl className="grid sm:grid-cols-[12rem_1fr] gap-x-4 gap-y-2 mb-4">
        <dt className="font-semibold">{t("page.status")}</dt>
        <dd>
          <strong className="tag">{t(`status.${bid.status}`)}</strong>
          {bid.version > 0
            ? ` ${t("page.versionSubmitted", {
                version: bid.version,
                date: bid.submittedAt ? date(bid.submittedAt) : "",
              })}`
            : isMember
              ? ` ${t("page.notSubmitted")}`
              : ""}
        </dd>
        <dt className="font-semibold">{t("page.group")}</dt>
        <dd translate="no">{isMember ? <Link to={`/groups/${group.id}`}>{group.name}</Link> : group.name}</dd>
        <dt className="font-semibold">{t("fields.amount")}</dt>
        <dd>{bid.amountPence == null ? notGiven : money(bid.amountPence)}</dd>
        <dt className="font-semibold">{t("page.wards")}</dt>
        <dd>
          {wards.length
            ? wards.map((w) => localisedPlain({ en: w.name, cy: w.nameCy }, i18n.language, markers)).join(", ")
            : notGiven}
        </dd>
        <dt className="font-semibold">{t("edit.dates")}</dt>
        <dd>
          {bid.startOn || bid.endOn
            ? t("edit.dateRange", {
                from: bid.startOn ? date(bid.startOn) : "?",
                to: bid.endOn ? date(bid.endOn) : "?",
              })
            : notGiven}
        </dd>
        <dt className="font-semibold">{t("fields.beneficiaries")}</dt>
        <dd>
          {bid.beneficiaries ? <span translate="no">{bid.beneficiaries}</span> : notGiven}
          {bid.beneficiaryCount != null ? ` ${t("page.about", { count: bid.beneficiaryCount })}` : ""}
        </dd>
        {bid.withdrawnAt ? (
          <>
            <dt className="font-semibold">{t("page.withdrawnAt")}</dt>
            <dd>
              {date(bid.withdrawnAt)}: <span translate="no">{bid.withdrawnReason}</span>
            </dd>
          </>
        ) : null}
      </dl>
      {actions.edit ||
      actions.withdraw ||
      actions.history ||
      actions.offer ||
      actions.monitoring ||
      actions.updates ||
      actions.decide ? (
        <ul className="flex flex-wrap gap-4 mb-6">
          {actions.edit ? (
            <li>
              <Link to={`/bids/${bid.id}/edit`} className="button">
                {t(bid.status === "changes-requested" ? "page.changeResubmit" : "page.continueDraft")}
              </Link>
            </li>
          ) : null}
          {actions.history ? (
            <li>
              <Link to={`/bids/${bid.id}/history`} className="button button-secondary">
                {t("page.history")}
              </Link>
            </li>
          ) : null}
          {actions.offer ? (
            <li>
              <Link to={`/bids/${bid.id}/offer`} className="button">
                {t(
                  bid.status === "approved" || bid.status === "part-approved" || bid.status === "won"
                    ? "page.answerOffer"
                    : "page.offerPayments",
                )}
              </Link>
            </li>
          ) : null}
          {actions.monitoring ? (
            <li>
              <Link to={`/bids/${bid.id}/monitoring`} className="button button-secondary">
                {t("page.monitoring")}
              </Link>
            </li>
          ) : null}
          {actions.updates ? (
            <li>
              <Link to={`/bids/${bid.id}/updates`} className="button button-secondary">
                {t("delivery:member.link")}
              </Link>
            </li>
          ) : null}
          {actions.decide ? (
            <li>
              <Link to={`/councillor/bids/${bid.id}`} className="button">
                {t("page.decide")}
              </Link>
            </li>
          ) : null}
          {actions.withdraw ? (
            <li>
              <Link to={`/bids/${bid.id}/withdraw`} className="button button-secondary">
                {t("page.withdraw")}
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
      <h2>{t("fields.summary")}</h2>
      {bid.summary || bid.summaryCy ? (
        <div className="whitespace-pre-line">
          <LocalisedText value={{ en: bid.summary, cy: bid.summaryCy }} as="p" />
        </div>
      ) : (
        <p>{notGiven}</p>
      )}
      <h2>{t("fields.description")}</h2>
      <p className="whitespace-pre-line" translate={bid.description ? "no" : undefined}>
        {bid.description || notGiven}
      </p>
      <h2>{t("page.budget")}</h2>
      {lines.length ? (
        <table>
          <caption className="sr-only">{t("fields.lines")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("page.whatFor")}</th>
              <th scope="col" className="text-right">
                {t("page.cost")}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.lineNo}>
                <td translate="no">{l.description}</td>
                <td className="text-right">{money(l.amountPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("page.noLines")}</p>
      )}
      <h2>{t("fields.files")}</h2>
      {files.length ? (
        <ul className="list-disc pl-6">
          {files.map((f) => (
            <li key={f.id}>
              <a href={`/bids/${bid.id}/files/${f.id}`} translate="no">
                {f.fileName}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("page.noFiles")}</p>
      )}
      {grant && grant.tranches.length > 1 ? (
        <section aria-labelledby="grant-years">
          <h2 id="grant-years">{t("page.byYear")}</h2>
          <p>{t("page.byYearIntro", { amount: money(grant.amountPence), years: grant.tranches.length })}</p>
          <TrancheTable tranches={grant.tranches} caption={t("page.byYearCaption")} />
        </section>
      ) : null}
      {wardDecisions ? <WardStates wards={wardDecisions} requestedPence={bid.amountPence ?? 0} /> : null}
      <h2>{t("page.decisions")}</h2>
      {decisions.length ? (
        <ul className="list-disc pl-6">
          {decisions.map((d) => (
            <li key={d.id}>
              {t("page.decision", {
                date: date(d.decidedAt),
                version: d.version,
                outcome: t(`outcome.${d.outcome}`, { defaultValue: d.outcome }),
              })}
              {d.amountPence != null ? ` (${money(d.amountPence)})` : ""} {t("page.by", { name: d.deciderName })}
              {d.reason ? <span translate="no">: {d.reason}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("page.noDecisions")}</p>
      )}
    </div>
  );
}
