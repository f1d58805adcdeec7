import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { listUsers } from "~/models/accounts.server";
import { listWards } from "~/models/council.server";
import { cancelInvitation, describeOffer, listPendingInvitations } from "~/models/invitations.server";
import { requireRole } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusal.server";
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
  const invitations = listPendingInvitations({ kind: "role" }).map((i) => ({
    id: i.id,
    email: i.email,
    name: i.name,
    offer: describeOffer(
      { kind: "role", roles: i.roles, councillorWardIds: i.councillorWardIds },
      null,
      i.councillorWardIds.map((id) => wards.get(id) ?? String(id)),
    ),
    invitedBy: i.invitedByName,
    sentAt: i.createdAt,
    expiresAt: i.expiresAt,
  }));
  return json({ users, invitations, q: q ?? "" });
}

const cancelSchema = z.object({ invitationId: z.coerce.number().int().positive() });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = cancelSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success)
    return json({ ok: false as const, formError: "Choose an invitation to cancel." }, { status: 400 });
  return answeringRefusals({}, () => {
    cancelInvitation(admin, parsed.data.invitationId);
    return redirect("/admin/users?cancelled=1");
  });
}

export default function Users() {
  const { users, invitations, q } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.has("invited")
    ? "Invitation sent. The roles are granted when the holder of the address accepts."
    : params.has("cancelled")
      ? "Invitation cancelled."
      : null;
  return (
    <div>
      <h1>Users and roles</h1>
      {notice && !state ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {state && "formError" in state && state.formError ? (
        <p className="error-message" role="alert">
          {state.formError}
        </p>
      ) : null}
      <p>
        <Link to="/admin/users/invite" className="button">
          Invite someone
        </Link>
      </p>
      <h2>Invitations waiting for an answer</h2>
      {invitations.length ? (
        <table className="mb-6">
          <caption className="sr-only">Pending invitations</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Offer</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="sr-only">Cancel</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>
                  {i.email} {i.name ? <span className="muted">({i.name})</span> : null}
                </td>
                <td>
                  {i.offer}, from {i.invitedBy}
                </td>
                <td>{i.sentAt.slice(0, 10)}</td>
                <td>{i.expiresAt.slice(0, 10)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" className="button button-secondary">
                      Cancel invitation to {i.email}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>No invitations are waiting.</p>
      )}
      <h2>Accounts</h2>
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
