import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:adminWards.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ wards: listWards() });
}

export default function Wards() {
  const { wards } = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("adminWards.title")}</h1>
      <p>
        <Link to="/admin/wards/new" className="button">
          {t("adminWards.add")}
        </Link>
      </p>
      <table>
        <caption className="sr-only">{t("adminWards.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("adminWards.ward")}</th>
            <th scope="col">{t("adminWards.gssCode")}</th>
            <th scope="col" className="text-right">
              {t("adminWards.population")}
            </th>
            <th scope="col">{t("adminWards.councillors")}</th>
            <th scope="col" className="text-right">
              {t("adminWards.postcodes")}
            </th>
          </tr>
        </thead>
        <tbody>
          {wards.map((w) => (
            <tr key={w.id}>
              <td>
                <Link to={`/admin/wards/${w.id}`}>
                  <LocalisedText value={{ en: w.name, cy: w.nameCy }} />
                </Link>
              </td>
              <td>{w.gssCode}</td>
              <td className="text-right">{format.number(w.population)}</td>
              <td translate="no">{w.councillors.map((c) => c.name).join(", ") || t("common:none")}</td>
              <td className="text-right">{format.number(w.postcodeCount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
