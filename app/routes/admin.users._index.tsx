import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { useErrorText } from "~/components/forms";
import { listUsers } from "~/models/accounts.server";
import { listWards } from "~/models/council.server";
import { cancelInvitation, listPendingInvitations } from "~/models/invitations.server";
import { requireRole } from "~/utils/auth.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { joinList, titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:users.title");

const query = z.object({ q: z.string().trim().max(100).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { q } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const wards = new Map(listWards().map((w) => [w.id, w.name]));
  const users = listUsers(q || undefined).map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    roles: u.grants.map((g) => ({ role: g.role, ward: g.wardId ? (wards.get(g.wardId) ?? String(g.wardId)) : null })),
  }));
  const invitations = listPendingInvitations({ kind: "role" }).map((i) => ({
    id: i.id,
    email: i.email,
    name: i.name,
    roles: i.roles,
    wardNames: i.councillorWardIds.map((id) => wards.get(id) ?? String(id)),
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
  if (!parsed.success) return json({ ok: false as const, formError: "admin:users.chooseInvitation" }, { status: 400 });
  return answeringRefusals({}, () => {
    cancelInvitation(admin, parsed.data.invitationId);
    return redirect("/admin/users?cancelled=1");
  });
}

export default function Users() {
  const { users, invitations, q } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  const notice = params.has("invited") ? t("users.invited") : params.has("cancelled") ? t("users.cancelled") : null;
  const offerOf = (roles: string[], wardNames: string[]) => {
    const names = roles.map((role) =>
      role === "councillor" && wardNames.length
        ? t("users.councillorFor", { wards: joinList(wardNames, i18n.language) })
        : t(`roleName.${role}`),
    );
    return t("users.roleOffer", { count: names.length, roles: joinList(names, i18n.language) });
  };
  return (
    <div>
      <h1>{t("users.title")}</h1>
      {notice && !state ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {state && "formError" in state && state.formError ? (
        <p className="error-message" role="alert">
          {errorText(state.formError)}
        </p>
      ) : null}
      <p>
        <Link to="/admin/users/invite" className="button">
          {t("users.invite")}
        </Link>
      </p>
      <h2>{t("users.waiting")}</h2>
      {invitations.length ? (
        <table className="mb-6">
          <caption className="sr-only">{t("users.pending")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.email")}</th>
              <th scope="col">{t("users.offer")}</th>
              <th scope="col">{t("users.sent")}</th>
              <th scope="col">{t("users.expires")}</th>
              <th scope="col">
                <span className="sr-only">{t("users.cancel")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <td>
                  {i.email}{" "}
                  {i.name ? (
                    <span className="muted" translate="no">
                      ({i.name})
                    </span>
                  ) : null}
                </td>
                <td>{t("users.offerFrom", { offer: offerOf(i.roles, i.wardNames), name: i.invitedBy })}</td>
                <td>{format.date(i.sentAt)}</td>
                <td>{format.date(i.expiresAt)}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="invitationId" value={i.id} />
                    <button type="submit" className="button button-secondary">
                      {t("users.cancelInvitation", { email: i.email })}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("users.noInvitations")}</p>
      )}
      <h2>{t("users.accounts")}</h2>
      <Form method="get" role="search" className="mb-4 flex items-end gap-4">
        <div>
          <label htmlFor="q" className="block font-semibold">
            {t("users.search")}
          </label>
          <input id="q" name="q" type="search" defaultValue={q} className="input" />
        </div>
        <button type="submit" className="button button-secondary">
          {t("users.searchButton")}
        </button>
      </Form>
      <table>
        <caption className="sr-only">{t("users.users")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("users.name")}</th>
            <th scope="col">{t("users.email")}</th>
            <th scope="col">{t("users.roles")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>
                <Link to={`/admin/users/${u.id}`} translate="no">
                  {u.name}
                </Link>
              </td>
              <td>{u.email}</td>
              <td>
                {u.roles
                  .map((r) =>
                    r.ward
                      ? t("users.roleInWard", { role: t(`common:roles.${r.role}`), ward: r.ward })
                      : t(`common:roles.${r.role}`),
                  )
                  .join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
