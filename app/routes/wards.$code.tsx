import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BalanceChart } from "~/components/balance-chart";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { isWardGssCode, normaliseGssCode } from "~/core/places/gss";
import { formatPence } from "~/core/money";
import { formatRoundDate } from "~/core/rounds/gallery";
import { PUBLIC_OUTCOME_LABELS } from "~/core/bids/public-outcome";
import { publicWard } from "~/models/public-wards.server";
import { WardProjectProgress } from "~/components/delivery-updates";
import { publishedUpdateSummaries } from "~/models/delivery-updates.server";
import { notFound } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.ward.name ?? "Ward"} ward budget – Wardfund` },
];

/** Public: one ward's councillors, budget this year and funded projects. */
export async function loader({ params }: LoaderFunctionArgs) {
  const code = normaliseGssCode(params.code ?? "");
  if (!isWardGssCode(code)) throw notFound("Ward not found");
  const ward = publicWard(code);
  if (!ward) throw notFound("Ward not found");
  const bidIds = ward.projects.flatMap((p) => (p.bidId ? [p.bidId] : []));
  return json({ ...ward, progress: publishedUpdateSummaries(bidIds) });
}

export default function WardPage() {
  const { ward, fy, councillors, budget, projects, decided, rejectedCount, progress } = useLoaderData<typeof loader>();
  return (
    <div>
      <p>
        <Link to="/wards">All wards</Link>
      </p>
      <h1>{ward.name}</h1>
      <p className="muted">
        Ward code {ward.gssCode} · population {ward.population.toLocaleString("en-GB")}
      </p>
      <h2>Councillors</h2>
      <p>{councillors.join(", ") || "This ward has no councillors recorded."}</p>
      <h2>Ward budget {fy}</h2>
      <dl className="grid max-w-md grid-cols-[10rem_1fr] gap-2">
        <dt className="font-semibold">Budget set</dt>
        <dd className="tabular-nums">{formatPence(budget.setPence)}</dd>
        <dt className="font-semibold">Committed</dt>
        <dd className="tabular-nums">{formatPence(budget.committedPence)}</dd>
        <dt className="font-semibold">Paid</dt>
        <dd className="tabular-nums">{formatPence(budget.paidPence)}</dd>
        <dt className="font-semibold">Available</dt>
        <dd className="tabular-nums">{formatPence(budget.availablePence)}</dd>
      </dl>
      <BalanceChart
        title={`${ward.name} ward budget ${fy}`}
        rows={[
          {
            label: ward.name,
            paid: budget.paidPence,
            committed: budget.committedPence,
            available: budget.availablePence,
          },
        ]}
      />
      <h2>Funded projects</h2>
      {projects.length === 0 ? (
        <p>No projects have been funded in this ward yet.</p>
      ) : (
        <ul className="space-y-4">
          {projects.map((p) => (
            <li key={p.id} className="panel">
              <h3 className="mt-0">{p.bidId ? <Link to={`/projects/${p.bidId}`}>{p.title}</Link> : p.title}</h3>
              <p>{p.summary}</p>
              <p className="muted m-0">
                {formatPence(p.amountAwardedPence)} to {p.groupName},{" "}
                {p.roundName
                  ? `chosen by residents in ${p.roundName}`
                  : `decided on ${formatRoundDate(p.awardDate)}${p.decidedBy ? ` by ${p.decidedBy}` : ""}`}{" "}
                · {p.fundName}
              </p>
              {p.bidId && progress[p.bidId] ? <WardProjectProgress bidId={p.bidId} {...progress[p.bidId]!} /> : null}
              {p.youSaidWeDid ? (
                <div className="mt-2">
                  <h4 className="m-0 font-semibold">You said, we did</h4>
                  <p className="m-0 whitespace-pre-line">{p.youSaidWeDid}</p>
                  {p.photos.length ? (
                    <ul className="mt-2 flex flex-wrap gap-2" aria-label={`Photos from ${p.title}`}>
                      {p.photos.map((photo, i) => (
                        <li key={photo.url}>
                          <img
                            src={photo.url}
                            alt={p.photos.length > 1 ? `Photo ${i + 1} from ${p.title}` : `Photo from ${p.title}`}
                            loading="lazy"
                            className="h-40 w-auto rounded border object-cover"
                          />
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="decided-heading">
        <h2 id="decided-heading">Every decision on bids in {fy}</h2>
        <p>
          {decided.length === 0
            ? "No bids for this ward have been decided yet this year."
            : `${decided.length} bid${decided.length === 1 ? " was" : "s were"} decided; ${
                rejectedCount === 0 ? "none" : rejectedCount === 1 ? "one" : rejectedCount
              } turned down.`}
        </p>
        {decided.length ? (
          <table>
            <caption className="sr-only">Decided bids in {ward.name} ward, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Bid</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
                <th scope="col">Decided</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((d) => (
                <tr key={d.bidId}>
                  <td>
                    <Link to={`/projects/${d.bidId}`}>{d.title}</Link>
                    <br />
                    <span className="muted">
                      {d.groupName} · {d.reference}
                    </span>
                  </td>
                  <td>
                    {PUBLIC_OUTCOME_LABELS[d.outcome]}
                    {d.awardedPence ? `: ${formatPence(d.awardedPence)}` : ""}
                    {d.askedPence && d.outcome !== "funded" ? ` (asked for ${formatPence(d.askedPence)})` : ""}
                  </td>
                  <td>{d.reasons.length ? d.reasons.join(" ") : <span className="muted">No reason recorded</span>}</td>
                  <td>
                    {d.kind === "pb-round" ? `Chosen by ${d.decidedBy.join(", ")}` : `By ${d.decidedBy.join(" and ")}`}
                    {d.decidedOn ? `, ${formatRoundDate(d.decidedOn)}` : ""}
                    {d.stoodAside.length ? (
                      <>
                        <br />
                        {d.stoodAside.join(" and ")} declared an interest and stood aside.
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
