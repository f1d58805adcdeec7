/**
 * Public: one decided bid, for anyone without signing in. The project as the group described it,
 * the outcome and its reason, who decided (or the round whose residents chose it), declared interests
 * and delivery. Undecided bids are not shown here (404): they stay private to the group and the council.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { formatPence } from "~/core/money";
import { formatRoundDate } from "~/core/rounds/gallery";
import { PUBLIC_OUTCOME_LABELS } from "~/core/bids/public-outcome";
import { PublicDeliveryUpdates } from "~/components/delivery-updates";
import { publishedDeliveryUpdates } from "~/models/delivery-updates.server";
import { publicBid } from "~/models/public-bids.server";
import { idParam, notFound } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.bid.title ?? "Project"} – Wardfund` },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const bid = publicBid(idParam(params.bidId));
  if (!bid) throw notFound("There is no published project here. Bids are public once they are decided.");
  return json({ bid, deliveryUpdates: publishedDeliveryUpdates(bid.bidId) });
}

export default function PublicProject() {
  const { bid, deliveryUpdates } = useLoaderData<typeof loader>();
  const pb = bid.kind === "pb-round";
  return (
    <div className="max-w-3xl">
      <p className="muted">
        {bid.reference} · {bid.fundName} · {bid.wards.map((w) => w.name).join(", ")}
      </p>
      <h1>{bid.title}</h1>
      <p className="text-lg">{bid.summary}</p>
      <section aria-labelledby="outcome-heading" className="summary-box">
        <h2 id="outcome-heading" className="mt-0">
          {PUBLIC_OUTCOME_LABELS[bid.outcome]}
          {bid.awardedPence ? `: ${formatPence(bid.awardedPence)}` : ""}
        </h2>
        <dl className="summary-list">
          <dt>Group</dt>
          <dd>{bid.groupName}</dd>
          {bid.askedPence !== null ? (
            <>
              <dt>Asked for</dt>
              <dd>{formatPence(bid.askedPence)}</dd>
            </>
          ) : null}
          <dt>{pb ? "Chosen by" : "Decided by"}</dt>
          <dd>
            {pb && bid.outcome === "chosen-by-residents"
              ? `Chosen by residents in ${bid.roundName ?? bid.fundName}`
              : pb
                ? `Residents in ${bid.roundName ?? bid.fundName} (not chosen)`
                : bid.decidedBy.join(" and ") || "The council"}
            {bid.decidedOn ? `, ${formatRoundDate(bid.decidedOn)}` : ""}
          </dd>
          {bid.reasons.length ? (
            <>
              <dt>Reason</dt>
              <dd className="whitespace-pre-line">{bid.reasons.join("\n")}</dd>
            </>
          ) : null}
          <dt>Declared interests</dt>
          <dd>
            {bid.stoodAside.length
              ? `${bid.stoodAside.join(" and ")} declared an interest and stood aside from the decision.`
              : "No councillor declared an interest."}
          </dd>
        </dl>
      </section>
      <h2>The project</h2>
      <p className="whitespace-pre-line">{bid.description}</p>
      {bid.beneficiaries ? (
        <p>
          <strong>Who benefits:</strong> {bid.beneficiaries}
        </p>
      ) : null}
      {bid.startOn || bid.endOn ? (
        <p>
          <strong>When:</strong> {bid.startOn ? formatRoundDate(bid.startOn) : "?"} to{" "}
          {bid.endOn ? formatRoundDate(bid.endOn) : "?"}
        </p>
      ) : null}
      <PublicDeliveryUpdates updates={deliveryUpdates} />
      {bid.youSaidWeDid ? (
        <section aria-labelledby="done-heading">
          <h2 id="done-heading">You said, we did</h2>
          <p className="whitespace-pre-line">{bid.youSaidWeDid}</p>
          {bid.photos.length ? (
            <ul className="flex flex-wrap gap-2" aria-label={`Photos from ${bid.title}`}>
              {bid.photos.map((photo, i) => (
                <li key={photo.url}>
                  <img
                    src={photo.url}
                    alt={`${i + 1} of ${bid.photos.length} from ${bid.title}`}
                    className="h-40 w-auto rounded border"
                  />
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      <p className="mt-6">
        {bid.wards.map((w, i) => (
          <span key={w.gssCode}>
            {i > 0 ? " · " : ""}
            <Link to={`/wards/${w.gssCode}`}>Everything decided in {w.name} ward</Link>
          </span>
        ))}
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
