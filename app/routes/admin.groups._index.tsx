import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { listGroupsForAdmin } from "~/models/groups.server";
import { requireRole } from "~/utils/auth.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "Community groups – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({
    groups: listGroupsForAdmin().map((g) => ({ ...g, typeLabel: ORGANISATION_TYPE_LABELS[g.organisationType] })),
  });
}

export default function AdminGroups() {
  const { groups } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Community groups</h1>
      <p>Groups waiting for verification are listed first. A group's bids cannot be approved until it is verified.</p>
      <table>
        <caption className="sr-only">Community groups</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Kind</th>
            <th scope="col">Members</th>
            <th scope="col">Bank details</th>
            <th scope="col">Verified</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.id}>
              <td>
                <Link to={`/admin/groups/${g.id}`}>{g.name}</Link>
              </td>
              <td>{g.typeLabel}</td>
              <td>{g.members}</td>
              <td>{g.hasBankDetails ? "Given" : "Missing"}</td>
              <td>{g.verifiedAt ? formatDate(g.verifiedAt) : <strong>Waiting</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
