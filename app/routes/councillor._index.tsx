import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { BalanceChart } from "~/components/balance-chart";
import { formatPence } from "~/core/money";
import { listWards } from "~/models/council.server";
import { bidsAwaitingDecision, recentWardActivity } from "~/models/decisions.server";
import { currentFinancialYear, listPublicWards } from "~/models/public-wards.server";
import { requireRole } from "~/utils/auth.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "Ward budgets – Wardfund" }];

const DONE: Record<string, string> = {
  approve: "Bid approved. The group has been sent its grant offer.",
  "part-approve": "Bid approved in part. The group has been sent its grant offer.",
  reject: "Bid rejected. The group has been told why.",
  "request-changes": "The bid has been sent back to the group for changes.",
  recorded: "Your approval is recorded; the money is reserved until enough councillors of the ward approve.",
  ward: "Your ward's decision on its share is recorded. The other wards still have to decide theirs; the group has been told.",
  "wards-done":
    "Your ward's decision on its share is recorded. Every ward has now decided, and the group has been told what is offered.",
  interest: "Your interest is recorded. Another councillor of the ward will decide this bid.",
  referred:
    "Your interest is recorded. Every councillor of the ward has an interest, so the bid goes to the designated decision-maker.",
};

const ACTIONS: Record<string, string> = {
  "bid.submitted": "submitted",
  "bid.approve": "approved",
  "bid.part-approve": "approved in part",
  "bid.reject": "rejected",
  "bid.request-changes": "sent back for changes",
  "bid.approval-recorded": "approval recorded",
  "bid.ward-approve": "a ward approved its share",
  "bid.ward-part-approve": "a ward approved part of its share",
  "bid.ward-reject": "a ward declined its share",
  "bid.retrospective-funding-approved": "approved as retrospective funding",
  "bid.interest-declared": "interest declared",
  "bid.referred-to-designated-decision-maker": "referred to the designated decision-maker",
  "offer.accepted": "offer accepted",
  "offer.declined": "offer declined",
  "bid.paid": "paid",
  "bid.monitoring-due": "monitoring report due",
  "bid.monitoring-submitted": "monitoring report received",
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "councillor");
  const fy = currentFinancialYear();
  const budgets = new Map(listPublicWards(fy).map((w) => [w.gssCode, w.budget]));
  const wards = listWards()
    .filter((w) => user.councillorWardIds.includes(w.id))
    .map((w) => ({
      id: w.id,
      name: w.name,
      gssCode: w.gssCode,
      population: w.population,
      colleagues: w.councillors.filter((c) => c.id !== user.id).map((c) => c.name),
      budget: budgets.get(w.gssCode) ?? null,
    }));
  return json({ name: user.name, fy, wards, awaiting: bidsAwaitingDecision(user), activity: recentWardActivity(user) });
}

export default function CouncillorHome() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = params.get("done");
  return (
    <div>
      <h1>Ward budgets</h1>
      {done && DONE[done] ? (
        <p className="notice" role="status">
          {DONE[done]}
        </p>
      ) : null}
      <p>
        Welcome, {data.name}. You are a councillor for{" "}
        {data.wards.length === 1 ? "one ward" : `${data.wards.length} wards`}.{" "}
        <Link to="/councillor/digest" className="underline">
          Read your monthly ward digest
        </Link>
        .
      </p>
      {data.wards.map((w) => (
        <section key={w.id} className="panel" aria-labelledby={`ward-${w.id}`}>
          <h2 id={`ward-${w.id}`} className="mt-0">
            {w.name}
          </h2>
          <p className="muted">
            {w.gssCode} · population {w.population.toLocaleString("en-GB")}
            {w.colleagues.length ? ` · with ${w.colleagues.join(" and ")}` : ""}
          </p>
          {w.budget && w.budget.setPence > 0 ? (
            <>
              <dl className="summary-list">
                <dt>Budget set for {data.fy}</dt>
                <dd>{formatPence(w.budget.setPence)}</dd>
                <dt>Committed, not yet paid</dt>
                <dd>{formatPence(w.budget.committedPence)}</dd>
                <dt>Paid</dt>
                <dd>{formatPence(w.budget.paidPence)}</dd>
                <dt>Available</dt>
                <dd>
                  <strong>{formatPence(w.budget.availablePence)}</strong>
                </dd>
              </dl>
              <BalanceChart
                title={`${w.name} ward budget ${data.fy}`}
                rows={[
                  {
                    label: w.name,
                    paid: w.budget.paidPence,
                    committed: w.budget.committedPence,
                    available: Math.max(0, w.budget.availablePence),
                  },
                ]}
              />
            </>
          ) : (
            <p>No ward budget has been set for this financial year yet.</p>
          )}
        </section>
      ))}
      <section aria-labelledby="awaiting">
        <h2 id="awaiting">Bids awaiting your decision</h2>
        {data.awaiting.length ? (
          <ul className="list-disc pl-6">
            {data.awaiting.map((b) => (
              <li key={b.id}>
                <Link to={`/councillor/bids/${b.id}`} className="underline">
                  {b.title || b.reference}
                </Link>{" "}
                from {b.groupName}, {b.amountPence ? formatPence(b.amountPence) : "amount not given"} ({b.reference},
                submitted {b.submittedAt ? formatDate(b.submittedAt) : ""})
                {b.waitingOnWards.length > 1
                  ? `; wards still to decide their shares: ${b.waitingOnWards.join(", ")}`
                  : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p>No bids are waiting for your decision.</p>
        )}
      </section>
      <section aria-labelledby="activity">
        <h2 id="activity">Recent activity in your wards</h2>
        {data.activity.length ? (
          <ul className="list-disc pl-6">
            {data.activity.map((a) => (
              <li key={a.id}>
                {formatDate(a.at)}: {a.title || a.reference}{" "}
                {ACTIONS[a.action] ?? a.action.replace(/^\w+\./, "").replace(/-/g, " ")}
                {a.actorName ? ` (${a.actorName})` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p>Nothing has happened in your wards yet.</p>
        )}
      </section>
    </div>
  );
}
