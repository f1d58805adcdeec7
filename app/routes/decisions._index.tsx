import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { formatPence } from "~/core/money";
import { isDesignatedDecisionMaker, referredBids } from "~/models/decisions.server";
import { forbidden, requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Bids referred to you – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const designated = isDesignatedDecisionMaker(user.id);
  if (!designated && !user.roles.includes("councillor")) throw forbidden();
  return json({ designated, bids: referredBids(user) });
}

export default function ReferredBids() {
  const { designated, bids } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = params.get("done");
  return (
    <div>
      <h1>Bids referred to you</h1>
      {done ? (
        <p className="notice" role="status">
          Your decision is recorded.
        </p>
      ) : null}
      {!designated ? (
        <p>You are not the council's designated decision-maker, so no bids are referred to you.</p>
      ) : (
        <p>
          As the designated decision-maker you decide ward-budget bids that every councillor of the ward has declared an
          interest in.
        </p>
      )}
      {bids.length ? (
        <ul className="list-disc pl-6">
          {bids.map((b) => (
            <li key={b.id}>
              <Link to={`/councillor/bids/${b.id}`} className="underline">
                {b.title || b.reference}
              </Link>{" "}
              from {b.groupName} ({b.wards.join(" and ")}),{" "}
              {b.amountPence ? formatPence(b.amountPence) : "amount not given"}
            </li>
          ))}
        </ul>
      ) : designated ? (
        <p>No bids are waiting for you.</p>
      ) : null}
    </div>
  );
}
