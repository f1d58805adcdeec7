import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatPence } from "~/core/money";
import { listFunds } from "~/models/funds.server";
import { requireRole } from "~/utils/auth.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "Funds – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "finance");
  return json({ funds: listFunds() });
}

export default function Funds() {
  const { funds } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Funds</h1>
      <p>
        <Link to="/funds/new" className="button">
          Set up a ward-budget scheme
        </Link>
      </p>
      <table>
        <caption className="sr-only">Funds</caption>
        <thead>
          <tr>
            <th scope="col">Fund</th>
            <th scope="col">Year</th>
            <th scope="col">Kind</th>
            <th scope="col" className="text-right">
              Pot
            </th>
            <th scope="col">Open for bids</th>
          </tr>
        </thead>
        <tbody>
          {funds.map((f) => (
            <tr key={f.id}>
              <td>
                <Link to={`/funds/${f.id}`} className="underline">
                  {f.name}
                </Link>
                <span className="muted block text-sm">{f.id}</span>
              </td>
              <td>{f.fy}</td>
              <td>{f.kind === "ward-budget" ? "Ward budgets" : "Participatory budgeting"}</td>
              <td className="text-right tabular-nums">{f.potPence === null ? "" : formatPence(f.potPence)}</td>
              <td>{f.opensOn && f.closesOn ? `${formatDate(f.opensOn)} to ${formatDate(f.closesOn)}` : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
