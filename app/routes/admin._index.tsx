import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAuditEvents } from "~/models/audit.server";
import { countGroups } from "~/models/groups.server";
import { countPostcodes, getCouncilSettings, listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { useTranslation } from "react-i18next";
import { AuditTable } from "~/components/audit-table";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:home.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({
    council: getCouncilSettings() ?? null,
    wardCount: listWards().length,
    postcodeCount: countPostcodes(),
    groups: countGroups(),
    recent: listAuditEvents({ limit: 10 }),
  });
}

export default function AdminHome() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const format = useFormat();
  return (
    <div>
      <h1>{t("home.title")}</h1>
      {data.council ? null : (
        <p className="notice">
          {t("home.noSettings")} <Link to="/admin/settings">{t("home.setSettings")}</Link>.
        </p>
      )}
      <ul className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <li className="panel">
          <span className="block text-3xl font-bold">{format.number(data.wardCount)}</span>{" "}
          {t("home.wards", { count: data.wardCount })}
        </li>
        <li className="panel">
          <span className="block text-3xl font-bold">{format.number(data.postcodeCount)}</span>{" "}
          {t("home.postcodes", { count: data.postcodeCount })}
        </li>
        <li className="panel">
          <span className="block text-3xl font-bold">{format.number(data.groups.all)}</span>{" "}
          {t("home.groups", { count: data.groups.all })}
        </li>
        <li className="panel">
          <span className="block text-3xl font-bold">{format.number(data.groups.verified)}</span>{" "}
          {t("home.verifiedGroups", { count: data.groups.verified })}
        </li>
      </ul>
      <h2>{t("home.recent")}</h2>
      <AuditTable events={data.recent} />
      <p>
        <Link to="/admin/audit">{t("home.wholeAudit")}</Link>
      </p>
    </div>
  );
}
