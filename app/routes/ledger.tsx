import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { latestCheckpoints } from "~/models/finance.server";
import { ledgerHead } from "~/models/ledger.server";

export const meta: MetaFunction = () => [{ title: "The ledger's fingerprint – Wardfund" }];

/** Public: the current head of the hash chain and the checkpoints, for anyone to pin. */
export async function loader(_args: LoaderFunctionArgs) {
  return json({
    head: ledgerHead(),
    checkpoints: latestCheckpoints(50).map((c) => ({
      seq: c.seq,
      hash: c.hash,
      createdAt: c.createdAt,
      reason: c.reason,
    })),
  });
}

export default function PublicLedger() {
  const { head, checkpoints } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>The ledger's fingerprint</h1>
      <p className="max-w-3xl">
        Every pound the council records in Wardfund is an entry in a hash-chained ledger. Each entry's hash depends on
        every entry before it, so the latest hash below is a fingerprint of the whole history. Note it down: if anyone
        later changed, removed or re-wrote an entry, the ledger would no longer end at this fingerprint, and an
        auditor's check would fail.
      </p>
      <dl className="panel grid grid-cols-[10rem_1fr] gap-2">
        <dt className="font-semibold">Entries</dt>
        <dd>{head.seq.toLocaleString("en-GB")}</dd>
        <dt className="font-semibold">Latest hash</dt>
        <dd className="break-all">
          <code>{head.hash}</code>
        </dd>
      </dl>
      <h2>Checkpoints</h2>
      <p>A checkpoint is written at every export and whenever a financial year is closed.</p>
      {checkpoints.length === 0 ? (
        <p>No checkpoints yet.</p>
      ) : (
        <table>
          <caption className="sr-only">Checkpoints, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Why</th>
              <th scope="col">Entries</th>
              <th scope="col">Hash</th>
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((c, i) => (
              <tr key={i}>
                <td className="whitespace-nowrap">{c.createdAt.replace("T", " ").slice(0, 19)}</td>
                <td>{c.reason}</td>
                <td>{c.seq}</td>
                <td className="break-all">
                  <code>{c.hash}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
