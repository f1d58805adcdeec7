import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatPence } from "~/core/money";
import { formatRoundDate, PHASE_LABELS } from "~/core/rounds";
import { listRounds } from "~/models/rounds/lists.server";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "PB rounds – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  advanceRoundPhases();
  return json({ rounds: listRounds() });
}

export default function Rounds() {
  const { rounds } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Participatory budgeting rounds</h1>
      <p>
        <Link to="/admin/rounds/new" className="button">
          Set up a round
        </Link>
      </p>
      {rounds.length === 0 ? (
        <p>No rounds yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table>
            <caption className="sr-only">PB rounds</caption>
            <thead>
              <tr>
                <th scope="col">Round</th>
                <th scope="col">Area</th>
                <th scope="col" className="text-right">
                  Pot
                </th>
                <th scope="col">Phase</th>
                <th scope="col">Voting</th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => (
                <tr key={r.id}>
                  <th scope="row" className="font-normal">
                    <Link to={`/admin/rounds/${r.id}`}>{r.name}</Link>
                  </th>
                  <td>{r.allWards ? "Every ward" : r.wardNames.join(", ")}</td>
                  <td className="text-right tabular-nums">{formatPence(r.potPence)}</td>
                  <td>{PHASE_LABELS[r.phase]}</td>
                  <td>
                    {formatRoundDate(r.votingOpensAt)} to {formatRoundDate(r.votingClosesAt)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
