import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { monthLabel } from "~/core/bids/digest";
import { londonDateOf } from "~/core/ledger";
import { buildWardDigest, listDigests } from "~/models/digests.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Ward digest – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "councillor");
  const stored = listDigests(user.id).map((d) => ({
    month: d.month,
    subject: d.subject,
    body: d.body,
    createdAt: d.createdAt,
  }));
  const thisMonth = londonDateOf(new Date()).slice(0, 7);
  const selected = new URL(request.url).searchParams.get("month");
  const chosen = stored.find((d) => d.month === selected) ?? null;
  // This month so far, built on the fly until the monthly run stores it.
  const current = buildWardDigest(user.id, thisMonth);
  return json({
    months: stored.map((d) => d.month),
    chosen,
    current: { month: thisMonth, subject: current.subject, body: current.body },
  });
}

export default function WardDigest() {
  const { months, chosen, current } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const shown = chosen ?? (params.get("month") ? null : current);
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/councillor" className="underline">
          Back to your ward budgets
        </Link>
      </p>
      <h1>Ward digest</h1>
      {shown ? (
        <article className="panel" aria-labelledby="digest-title">
          <h2 id="digest-title" className="mt-0">
            {shown.subject}
            {shown === current ? " (so far)" : ""}
          </h2>
          <pre className="whitespace-pre-wrap font-sans">{shown.body}</pre>
        </article>
      ) : (
        <p>There is no digest for that month.</p>
      )}
      <h2>Past months</h2>
      {months.length ? (
        <ul className="list-disc pl-6">
          {months.map((m) => (
            <li key={m}>
              <Link to={`/councillor/digest?month=${m}`} className="underline">
                {monthLabel(m)}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>No digest has been sent to you yet. Digests go out at the start of each month.</p>
      )}
    </div>
  );
}
