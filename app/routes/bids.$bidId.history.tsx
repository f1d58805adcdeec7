import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";
import { describeChange } from "~/core/bids";
import { listBidVersions, requireBidViewer } from "~/models/bids.server";
import { requireUser } from "~/utils/auth.server";
import { idParam } from "~/utils/http.server";
import { loadingRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  const page = data ? t("routes:history.title", { reference: data.reference }) : t("routes:history.titleGeneric");
  return [{ title: t("common:title", { page }) }];
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const bidId = idParam(params.bidId);
  const user = await requireUser(request);
  const { bid } = await loadingRefusals(() => requireBidViewer(user, bidId));
  const versions = listBidVersions(bidId).map((v) => ({ ...v, changes: v.changes.map(describeChange) }));
  return json({ bidId, reference: bid.reference, title: bid.title, versions });
}

export default function BidHistory() {
  const { bidId, reference, title, versions } = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/bids/${bidId}`}>{t("history.back")}</Link>
      </p>
      <h1>{t("history.title", { reference })}</h1>
      <p translate="no">{title}</p>
      {versions.length === 0 ? <p>{t("history.none")}</p> : null}
      {versions.map((v) => (
        <section key={v.version} aria-labelledby={`version-${v.version}`} className="panel">
          <h2 id={`version-${v.version}`} className="mt-0">
            {t("history.version", { version: v.version })}
          </h2>
          <p className="muted">
            {t("history.submitted", { when: format.dateTime(v.submittedAt), name: v.submittedByName })}
          </p>
          {v.version > 1 ? (
            <>
              <h3>{t("history.changesFrom", { version: v.version - 1 })}</h3>
              {v.changes.length ? (
                <ul className="list-disc pl-6">
                  {v.changes.map((c, i) => (
                    <li key={i} className="whitespace-pre-line" lang="en-GB">
                      {c}
                    </li>
                  ))}
                </ul>
              ) : (
                <p>{t("history.noChanges")}</p>
              )}
            </>
          ) : null}
          <details>
            <summary className="cursor-pointer underline">{t("history.everything", { version: v.version })}</summary>
            <dl className="grid sm:grid-cols-[12rem_1fr] gap-x-4 gap-y-2 mt-2">
              <dt className="font-semibold">{t("history.fieldTitle")}</dt>
              <dd translate="no">{v.snapshot.title}</dd>
              <dt className="font-semibold">{t("history.summary")}</dt>
              <dd className="whitespace-pre-line" translate="no">
                {v.snapshot.summary}
              </dd>
              <dt className="font-semibold">{t("history.description")}</dt>
              <dd className="whitespace-pre-line" translate="no">
                {v.snapshot.description}
              </dd>
              <dt className="font-semibold">{t("history.amount")}</dt>
              <dd>{v.snapshot.amountPence == null ? "" : format.money(v.snapshot.amountPence)}</dd>
              <dt className="font-semibold">{t("history.budgetLines")}</dt>
              <dd>
                {v.snapshot.budgetLines.map((l, i) => (
                  <span key={i}>
                    {i > 0 ? "; " : ""}
                    <span translate="no">{l.description}</span>: {format.money(l.amountPence)}
                  </span>
                ))}
              </dd>
              <dt className="font-semibold">{t("history.wards")}</dt>
              <dd translate="no">{v.snapshot.wards.map((w) => w.name).join(", ")}</dd>
              <dt className="font-semibold">{t("history.beneficiaries")}</dt>
              <dd>
                <span translate="no">{v.snapshot.beneficiaries}</span> (
                {v.snapshot.beneficiaryCount == null
                  ? t("history.peopleUnknown")
                  : t("history.people", { count: v.snapshot.beneficiaryCount })}
                )
              </dd>
              <dt className="font-semibold">{t("history.dates")}</dt>
              <dd>
                {v.snapshot.startOn && v.snapshot.endOn
                  ? t("history.dateRange", { from: format.date(v.snapshot.startOn), to: format.date(v.snapshot.endOn) })
                  : ""}
              </dd>
              <dt className="font-semibold">{t("history.files")}</dt>
              <dd>
                {v.snapshot.files.length
                  ? v.snapshot.files.map((f, i) => (
                      <span key={f.id}>
                        {i > 0 ? ", " : ""}
                        <a href={`/bids/${bidId}/files/${f.id}`}>{f.fileName}</a>
                      </span>
                    ))
                  : t("common:none")}
              </dd>
            </dl>
          </details>
        </section>
      ))}
    </div>
  );
}
