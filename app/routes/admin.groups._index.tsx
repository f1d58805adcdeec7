import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listGroupsForAdmin } from "~/models/groups.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:adminGroups.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({
    groups: listGroupsForAdmin(),
  });
}

export default function AdminGroups() {
  const { groups } = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("adminGroups.title")}</h1>
      <p>{t("adminGroups.intro")}</p>
      <table>
        <caption className="sr-only">{t("adminGroups.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("adminGroups.group")}</th>
            <th scope="col">{t("adminGroups.kind")}</th>
            <th scope="col">{t("adminGroups.members")}</th>
            <th scope="col">{t("adminGroups.bankDetails")}</th>
            <th scope="col">{t("adminGroups.verified")}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id}>
              <td>
                <Link to={`/admin/groups/${g.id}`} translate="no">
                  {g.name}
                </Link>
              </td>
              <td>{t(`forms:organisationTypes.${g.organisationType}`)}</td>
              <td>{format.number(g.members)}</td>
              <td>{g.hasBankDetails ? t("adminGroups.given") : t("adminGroups.missing")}</td>
              <td>{g.verifiedAt ? format.date(g.verifiedAt) : <strong>{t("adminGroups.waiting")}</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
