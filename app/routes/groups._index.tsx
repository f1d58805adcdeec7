import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listGroupsOf } from "~/models/groups.server";
import { requireUser } from "~/utils/auth.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("routes:groups.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ name: user.name, groups: listGroupsOf(user.id) });
}

export default function GroupsHome() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  return (
    <div>
      <h1>{t("groups.title")}</h1>
      <p>
        <Link to="/groups/new" className="button">
          {t("groups.register")}
        </Link>
      </p>
      {data.groups.length === 0 ? (
        <p>{t("groups.none")}</p>
      ) : (
        <table>
          <caption className="sr-only">{t("groups.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("groups.group")}</th>
              <th scope="col">{t("groups.role")}</th>
              <th scope="col">{t("groups.verified")}</th>
            </tr>
          </thead>
          <tbody>
            {data.groups.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link to={`/groups/${g.id}`} translate="no">
                    {g.name}
                  </Link>
                </td>
                <td>{g.memberRole === "lead" ? t("groups.lead") : t("groups.member")}</td>
                <td>{g.verifiedAt ? t("common:yes") : t("groups.notYet")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
