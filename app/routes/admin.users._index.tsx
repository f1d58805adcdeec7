import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listUsers } from "~/models/accounts.server";
import { listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { roleLabel } from "~/utils/roles";

export const meta: MetaFunction = () => [{ title: "Users and roles – Wardfund" }];

const query = z.object({ q: z.string().trim().max(100).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { q } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const wards = new Map(listWards().map((w) => [w.id, w.name]));
  const users = listUsers(q || undefined).map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    roles: u.grants.map((g) =>
      g.wardId ? `${roleLabel(g.role)} (${wards.get(g.wardId) ?? g.wardId})` : roleLabel(g.role),
    ),
  }));
  return json({ users, q: q ?? "" });
}

export default function Users() {
  const { users, q } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Users and roles</h1>
      <p>
        <Link to="/admin/users/invite" className="button">
          Invite someone
        </Link>
      </p>
      <Form method="get" role="search" className="mb-4 flex items-end gap-4">
        <div>
          <label htmlFor="q" className="block font-semibold">
            Search by name or email
          </label>
          <input id="q" name="q" type="search" defaultValue={q} className="input" />
        </div>
        <button type="submit" className="button button-secondary">
          Search
        </button>
      </Form>
      <table>
        <caption className="sr-only">Users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Roles</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/users/${u.id}`}>{u.name}</Link>
              </td>
              <td>{u.email}</td>
              <td>{u.roles.join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
