import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { londonDateOf } from "~/core/ledger";
import { buildWardDigest, listDigests } from "~/models/digests.server";
import { requireRole } from "~/utils/auth.server";
import { requestLanguage } from "~/utils/i18n.server";
import { monthName } from "~/core/locale-format";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("routes:digest.title");

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
  // This month so far, built on the fly (in the page's language) until the monthly run stores it.
  const current = buildWardDigest(user.id, thisMonth, undefined, await requestLanguage(request));
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
  const { t, i18n } = useTranslation("routes");
  const monthLabel = (month: string) => `${monthName(Number(month.slice(5, 7)), i18n.language)} ${month.slice(0, 4)}`;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/councillor" className="underline">
          {t("digest.back")}
        </Link>
      </p>
      <h1>{t("digest.title")}</h1>
      {shown ? (
        <article className="panel" aria-labelledby="digest-title">
          <h2 id="digest-title" className="mt-0">
            <span translate="no">{shown.subject}</span>
            {shown === current ? ` ${t("digest.soFar")}` : ""}
          </h2>
          <pre className="whitespace-pre-wrap font-sans" translate="no">
            {shown.body}
          </pre>
        </article>
      ) : (
        <p>{t("digest.noDigest")}</p>
      )}
      <h2>{t("digest.past")}</h2>
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
        <p>{t("digest.nonePast")}</p>
      )}
    </div>
  );
}
