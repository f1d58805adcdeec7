import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isDesignatedDecisionMaker, referredBids } from "~/models/decisions.server";
import { forbidden, requireUser } from "~/utils/auth.server";
import { joinList, titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:decisions.title");

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
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("decisions.title")}</h1>
      {done ? (
        <p className="notice" role="status">
          {t("decisions.done")}
        </p>
      ) : null}
      {!designated ? <p>{t("decisions.notDesignated")}</p> : <p>{t("decisions.designated")}</p>}
      {bids.length ? (
        <ul className="list-disc pl-6">
          {bids.map((b) => (
            <li key={b.id}>
              <Link to={`/councillor/bids/${b.id}`} className="underline">
                {b.title || b.reference}
              </Link>{" "}
              {t("decisions.from", {
                group: b.groupName,
                wards: joinList(b.wards, format.language),
                amount: b.amountPence ? format.money(b.amountPence) : t("decisions.amountNotGiven"),
              })}
            </li>
          ))}
        </ul>
      ) : designated ? (
        <p>{t("decisions.noneWaiting")}</p>
      ) : null}
    </div>
  );
}
