import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { latestCheckpoints } from "~/models/finance.server";
import { ledgerHead } from "~/models/ledger.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:ledger.title");

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
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("ledger.title")}</h1>
      <p className="max-w-3xl">{t("ledger.intro")}</p>
      <dl className="panel grid grid-cols-[10rem_1fr] gap-2">
        <dt className="font-semibold">{t("ledger.entries")}</dt>
        <dd>{format.number(head.seq)}</dd>
        <dt className="font-semibold">{t("ledger.latestHash")}</dt>
        <dd className="break-all">
          <code>{head.hash}</code>
        </dd>
      </dl>
      <h2>{t("ledger.checkpoints")}</h2>
      <p>{t("ledger.checkpointsIntro")}</p>
      {checkpoints.length === 0 ? (
        <p>{t("ledger.noCheckpoints")}</p>
      ) : (
        <table>
          <caption className="sr-only">{t("ledger.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("ledger.when")}</th>
              <th scope="col">{t("ledger.why")}</th>
              <th scope="col">{t("ledger.entries")}</th>
              <th scope="col">{t("ledger.hash")}</th>
            </tr>
          </thead>
          <tbody>
            {checkpoints.map((c, i) => (
              <tr key={i}>
                <td className="whitespace-nowrap">{format.dateTime(c.createdAt)}</td>
                <td lang="en-GB">{c.reason}</td>
                <td>{format.number(c.seq)}</td>
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
