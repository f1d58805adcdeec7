import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listGroupsOf } from "~/models/groups.server";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "My groups – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ name: user.name, groups: listGroupsOf(user.id) });
}

export default function GroupsHome() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>My groups</h1>
      <p>
        <Link to="/groups/new" className="button">
          Register a group
        </Link>
      </p>
      {data.groups.length === 0 ? (
        <p>You are not a member of a community group yet.</p>
      ) : (
        <table>
          <caption className="sr-only">Community groups you belong to</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Your role</th>
              <th scope="col">Verified by the council</th>
            </tr>
          </thead>
          <tbody>
            {data.groups.map((g) => (
              <tr key={g.id}>
                <td>
                  <Link to={`/groups/${g.id}`}>{g.name}</Link>
                </td>
                <td>{g.memberRole === "lead" ? "Lead contact" : "Member"}</td>
                <td>{g.verifiedAt ? "Yes" : "Not yet"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
