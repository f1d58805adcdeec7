import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isEditable, STATUS_LABELS } from "~/core/bids";
import { formatPence } from "~/core/money";
import { TrancheTable } from "~/components/tranche-table";
import { WardStates } from "~/components/ward-states";
import { canWithdraw, latestChangeRequest, listBidDecisions, requireBidViewer } from "~/models/bids.server";
import { offerSummaryForBid } from "~/models/offers.server";
import { wardStatesForBid } from "~/models/ward-decisions.server";
import { isPublicBid } from "~/models/public-bids.server";
import { getAuth, requireUser } from "~/utils/auth.server";
import { idParam } from "~/utils/http.server";
import { loadingRefusals } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.bid.reference}: ${data.bid.title || "Untitled bid"} – Wardfund` : "Bid – Wardfund" },
];

const OUTCOME_LABELS: Record<string, string> = {
  approve: "Approved",
  "part-approve": "Approved in part",
  reject: "Rejected",
  "request-changes": "Changes requested",
};

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
      summary: bid.summary,
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
    fund: { name: terms.name, kind: terms.kind },
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
  const { t } = useTranslation("delivery");
  return (
    <div className="max-w-3xl">
      <p className="muted">
        {bid.reference} · {fund.name}
      </p>
      <h1>{bid.title || "Untitled bid"}</h1>
      {params.has("submitted") ? (
        <p className="notice" role="status">
          Your bid is submitted. We have emailed the group's members
          {fund.kind === "ward-budget" ? " and told the ward's councillors" : ""}.
        </p>
      ) : null}
      {params.has("withdrawn") ? (
        <p className="notice" role="status">
          The bid is withdrawn.
        </p>
      ) : null}
      {changeRequest ? (
        <div className="notice">
          <h2 className="mt-0 text-lg">Changes requested</h2>
          <p>
            {changeRequest.deciderName} asked for changes on {formatDate(changeRequest.decidedAt)}:
          </p>
          <p className="whitespace-pre-line">{changeRequest.reason ?? "No details were given."}</p>
        </div>
      ) : null}
      <dl className="grid sm:grid-cols-[12rem_1fr] gap-x-4 gap-y-2 mb-4">
        <dt className="font-semibold">Status</dt>
        <dd>
          <strong className="tag">{STATUS_LABELS[bid.status]}</strong>
          {bid.version > 0
            ? ` version ${bid.version}, submitted ${bid.submittedAt ? formatDate(bid.submittedAt) : ""}`
            : isMember
              ? " not submitted yet"
              : ""}
        </dd>
        <dt className="font-semibold">Group</dt>
        <dd>{isMember ? <Link to={`/groups/${group.id}`}>{group.name}</Link> : group.name}</dd>
        <dt className="font-semibold">Amount requested</dt>
        <dd>{bid.amountPence == null ? "Not given" : formatPence(bid.amountPence)}</dd>
        <dt className="font-semibold">Wards</dt>
        <dd>{wards.length ? wards.map((w) => w.name).join(", ") : "Not given"}</dd>
        <dt className="font-semibold">Dates</dt>
        <dd>{bid.startOn || bid.endOn ? `${bid.startOn ?? "?"} to ${bid.endOn ?? "?"}` : "Not given"}</dd>
        <dt className="font-semibold">Who benefits</dt>
        <dd>
          {bid.beneficiaries || "Not given"}
          {bid.beneficiaryCount != null ? ` (about ${bid.beneficiaryCount} people)` : ""}
        </dd>
        {bid.withdrawnAt ? (
          <>
            <dt className="font-semibold">Withdrawn</dt>
            <dd>
              {formatDate(bid.withdrawnAt)}: {bid.withdrawnReason}
            </dd>
          </>
        ) : null}
      </dl>
      {actions.edit || actions.withdraw || actions.history || actions.offer || actions.monitoring || actions.updates || actions.decide ? (
        <ul className="flex flex-wrap gap-4 mb-6">
          {actions.edit ? (
            <li>
              <Link to={`/bids/${bid.id}/edit`} className="button">
                {bid.status === "changes-requested" ? "Change and resubmit the bid" : "Continue the draft"}
              </Link>
            </li>
          ) : null}
          {actions.history ? (
            <li>
              <Link to={`/bids/${bid.id}/history`} className="button button-secondary">
                Versions and changes
              </Link>
            </li>
          ) : null}
          {actions.offer ? (
            <li>
              <Link to={`/bids/${bid.id}/offer`} className="button">
                {bid.status === "approved" || bid.status === "part-approved" || bid.status === "won"
                  ? "Read and answer the grant offer"
                  : "Grant offer and payments"}
              </Link>
            </li>
          ) : null}
          {actions.monitoring ? (
            <li>
              <Link to={`/bids/${bid.id}/monitoring`} className="button button-secondary">
                Monitoring report
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
                Decide this bid
              </Link>
            </li>
          ) : null}
          {actions.withdraw ? (
            <li>
              <Link to={`/bids/${bid.id}/withdraw`} className="button button-secondary">
                Withdraw the bid
              </Link>
            </li>
          ) : null}
        </ul>
      ) : null}
      <h2>Summary</h2>
      <p className="whitespace-pre-line">{bid.summary || "Not given"}</p>
      <h2>Description</h2>
      <p className="whitespace-pre-line">{bid.description || "Not given"}</p>
      <h2>Budget</h2>
      {lines.length ? (
        <table>
          <caption className="sr-only">Budget lines</caption>
          <thead>
            <tr>
              <th scope="col">What it is for</th>
              <th scope="col" className="text-right">
                Cost
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.lineNo}>
                <td>{l.description}</td>
                <td className="text-right">{formatPence(l.amountPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No budget lines yet.</p>
      )}
      <h2>Files</h2>
      {files.length ? (
        <ul className="list-disc pl-6">
          {files.map((f) => (
            <li key={f.id}>
              <a href={`/bids/${bid.id}/files/${f.id}`}>{f.fileName}</a>
            </li>
          ))}
        </ul>
      ) : (
        <p>No files.</p>
      )}
      {grant && grant.tranches.length > 1 ? (
        <section aria-labelledby="grant-years">
          <h2 id="grant-years">The grant by financial year</h2>
          <p>
            {formatPence(grant.amountPence)} over {grant.tranches.length} financial years. Each year's part is committed
            against that year's ward budget once the council has set it.
          </p>
          <TrancheTable tranches={grant.tranches} caption="Each year's part of the grant" />
        </section>
      ) : null}
      {wardDecisions ? <WardStates wards={wardDecisions} requestedPence={bid.amountPence ?? 0} /> : null}
      <h2>Decisions</h2>
      {decisions.length ? (
        <ul className="list-disc pl-6">
          {decisions.map((d) => (
            <li key={d.id}>
              {formatDate(d.decidedAt)}, version {d.version}: {OUTCOME_LABELS[d.outcome] ?? d.outcome}
              {d.amountPence != null ? ` (${formatPence(d.amountPence)})` : ""} by {d.deciderName}
              {d.reason ? `: ${d.reason}` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p>No decisions yet.</p>
      )}
    </div>
  );
}
