import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatPence } from "~/core/money";
import { formatRoundDate, PHASE_LABELS } from "~/core/rounds";
import { listPublicRounds } from "~/models/rounds/lists.server";
import { advanceRoundPhases } from "~/models/rounds/phases.server";

export const meta: MetaFunction = () => [{ title: "Participatory budgeting rounds – Wardfund" }];

/** Public: every round that has opened, newest voting first. */
export async function loader() {
  advanceRoundPhases();
  return json({ rounds: listPublicRounds() });
}

export default function PublicRounds() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Participatory budgeting rounds</h1>
      <p className="max-w-3xl">
        In a participatory budgeting round, community groups bid for a share of a pot and residents of the area vote on
        which projects get the money.
      </p>
      {rounds.length === 0 ? (
        <p>There are no rounds yet.</p>
      ) : (
        <ul className="grid gap-4">
          {rounds.map((r) => (
            <li key={r.id} className="panel">
              <h2 className="text-xl">
                <Link to={`/rounds/${r.id}`}>{r.name}</Link>
              </h2>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4">
                <dt className="font-semibold">Area</dt>
                <dd>{r.allWards ? "Every ward" : r.wardNames.join(", ")}</dd>
                <dt className="font-semibold">Pot</dt>
                <dd>{formatPence(r.potPence)}</dd>
                <dt className="font-semibold">Now</dt>
                <dd>{PHASE_LABELS[r.phase]}</dd>
                <dt className="font-semibold">Bids</dt>
                <dd>
                  {formatRoundDate(r.bidsOpenAt)} to {formatRoundDate(r.bidsCloseAt)}
                </dd>
                <dt className="font-semibold">Voting</dt>
                <dd>
                  {formatRoundDate(r.votingOpensAt)} to {formatRoundDate(r.votingClosesAt)}
                </dd>
                {r.resultsAt ? (
                  <>
                    <dt className="font-semibold">Results</dt>
                    <dd>{formatRoundDate(r.resultsAt)}</dd>
                  </>
                ) : null}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
