import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listAuditEvents } from "~/models/audit.server";
import { countGroups } from "~/models/groups.server";
import { countPostcodes, getCouncilSettings, listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { AuditTable } from "~/components/audit-table";

export const meta: MetaFunction = () => [{ title: "Administration – Wardfund" }];

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
  return (
    <div>
      <h1>Administration</h1>
      {data.council ? null : (
        <p className="notice">
          The council has no settings yet. <Link to="/admin/settings">Set the council's name and identifier</Link>.
        </p>
      )}
      <ul className="grid grid-cols-2 gap-4 md:grid-cols-4">
        <li className="panel">
          <span className="block text-3xl font-bold">{data.wardCount}</span> wards
        </li>
        <li className="panel">
          <span className="block text-3xl font-bold">{data.postcodeCount.toLocaleString("en-GB")}</span> postcodes
        </li>
        <li className="panel">
          <span className="block text-3xl font-bold">{data.groups.all}</span> community groups
        </li>
        <li className="panel">
          <span className="block text-3xl font-bold">{data.groups.verified}</span> verified groups
        </li>
      </ul>
      <h2>Recent changes</h2>
      <AuditTable events={data.recent} />
      <p>
        <Link to="/admin/audit">See the whole audit trail</Link>
      </p>
    </div>
  );
}
