import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { describeChange } from "~/core/bids";
import { formatPence } from "~/core/money";
import { listBidVersions, requireBidViewer } from "~/models/bids.server";
import { requireUser } from "~/utils/auth.server";
import { idParam } from "~/utils/http.server";
import { loadingRefusals } from "~/utils/refusal.server";
import { formatDate, formatDateTime } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Versions of ${data.reference} – Wardfund` : "Versions – Wardfund" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  const { bid } = await loadingRefusals(() => requireBidViewer(user, bidId));
  const versions = listBidVersions(bidId).map((v) => ({ ...v, changes: v.changes.map(describeChange) }));
  return json({ bidId, reference: bid.reference, title: bid.title, versions });
}

export default function BidHistory() {
  const { bidId, reference, title, versions } = useLoaderData<typeof loader>();
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/bids/${bidId}`}>Back to the bid</Link>
      </p>
      <h1>Versions of {reference}</h1>
      <p>{title}</p>
      {versions.length === 0 ? <p>The bid has not been submitted yet, so it has no versions.</p> : null}
      {versions.map((v) => (
        <section key={v.version} aria-labelledby={`version-${v.version}`} className="panel">
          <h2 id={`version-${v.version}`} className="mt-0">
            Version {v.version}
          </h2>
          <p className="muted">
            Submitted {formatDateTime(v.submittedAt)} by {v.submittedByName}
          </p>
          {v.version > 1 ? (
            <>
              <h3>Changes from version {v.version - 1}</h3>
              {v.changes.length ? (
                <ul className="list-disc pl-6">
                  {v.changes.map((c, i) => (
                    <li key={i} className="whitespace-pre-line">
                      {c}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>No changes.</p>
              )}
            </>
          ) : null}
          <details>
            <summary className="cursor-pointer underline">Everything in version {v.version}</summary>
            <dl className="grid sm:grid-cols-[12rem_1fr] gap-x-4 gap-y-2 mt-2">
              <dt className="font-semibold">Title</dt>
              <dd>{v.snapshot.title}</dd>
              <dt className="font-semibold">Summary</dt>
              <dd className="whitespace-pre-line">{v.snapshot.summary}</dd>
              <dt className="font-semibold">Description</dt>
              <dd className="whitespace-pre-line">{v.snapshot.description}</dd>
              <dt className="font-semibold">Amount</dt>
              <dd>{v.snapshot.amountPence == null ? "" : formatPence(v.snapshot.amountPence)}</dd>
              <dt className="font-semibold">Budget lines</dt>
              <dd>{v.snapshot.budgetLines.map((l) => `${l.description}: ${formatPence(l.amountPence)}`).join("; ")}</dd>
              <dt className="font-semibold">Wards</dt>
              <dd>{v.snapshot.wards.map((w) => w.name).join(", ")}</dd>
              <dt className="font-semibold">Who benefits</dt>
              <dd>
                {v.snapshot.beneficiaries} ({v.snapshot.beneficiaryCount ?? "?"} people)
              </dd>
              <dt className="font-semibold">Dates</dt>
              <dd>
                {v.snapshot.startOn ? formatDate(v.snapshot.startOn) : "not given"} to{" "}
                {v.snapshot.endOn ? formatDate(v.snapshot.endOn) : "not given"}
              </dd>
              <dt className="font-semibold">Files</dt>
              <dd>
                {v.snapshot.files.length
                  ? v.snapshot.files.map((f, i) => (
                      <span key={f.id}>
                        {i > 0 ? ", " : ""}
                        <a href={`/bids/${bidId}/files/${f.id}`}>{f.fileName}</a>
                      </span>
                    ))
                  : "None"}
              </dd>
            </dl>
          </details>
        </section>
      ))}
    </div>
  );
}
