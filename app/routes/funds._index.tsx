import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { listFunds } from "~/models/funds.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:funds.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "finance");
  return json({ funds: listFunds() });
}

export default function Funds() {
  const { funds } = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("funds.title")}</h1>
      <p>
        <Link to="/funds/new" className="button">
          {t("funds.setUp")}
        </Link>
      </p>
      <table>
        <caption className="sr-only">{t("funds.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("funds.fund")}</th>
            <th scope="col">{t("funds.year")}</th>
            <th scope="col">{t("funds.kind")}</th>
            <th scope="col" className="text-right">
              {t("funds.pot")}
            </th>
            <th scope="col">{t("funds.open")}</th>
          </tr>
        </thead>
        <tbody>
          {funds.map((f) => (
            <tr key={f.id}>
              <td>
                <Link to={`/funds/${f.id}`} className="underline">
                  <LocalisedText value={{ en: f.name, cy: f.nameCy }} />
                </Link>
                <span className="muted block text-sm">{f.id}</span>
              </td>
              <td>{f.fy}</td>
              <td>{f.kind === "ward-budget" ? t("funds.kindWard") : t("funds.kindPb")}</td>
              <td className="text-right tabular-nums">{f.potPence === null ? "" : format.money(f.potPence)}</td>
              <td>
                {f.opensOn && f.closesOn
                  ? t("funds.dates", { from: format.date(f.opensOn), to: format.date(f.closesOn) })
                  : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
