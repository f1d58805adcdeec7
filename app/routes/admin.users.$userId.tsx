import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SubmitButton } from "~/components/forms";
import { ROLES } from "~/db/schema";
import { pickLocalised } from "~/core/localised";
import { getUserWithGrants, setUserRoles } from "~/models/accounts.server";
import { listWards } from "~/models/council.server";
import { listGroupsOf } from "~/models/groups.server";
import { inviteToRoles } from "~/models/invitations.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { notFound } from "~/utils/http.server";
import { languageOfMatches, translatorFor } from "~/utils/translate";
import { VoterDetailsCorrection } from "~/components/voter-details-correction";
import { voterDetailsOf } from "~/models/voting/voter-details.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: data?.user.name ?? t("admin:user.titleFallback") }) }];
};

const schema = z
  .object({
    roles: z.array(z.enum(ROLES)),
    councillorWardIds: z.array(z.coerce.number().int().positive()),
  })
  .refine((v) => !v.roles.includes("councillor") || v.councillorWardIds.length > 0, {
    path: ["councillorWardIds"],
    message: "admin:user.chooseWards",
  });

function findUser(id: string | undefined) {
  const user = id ? getUserWithGrants(id) : undefined;
  if (!user) throw notFound("User not found");
  return user;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const user = findUser(params.userId);
  return json({
    user: { id: user.id, name: user.name, email: user.email },
    roles: [...new Set(user.grants.map((g) => g.role))],
    councillorWardIds: user.grants.filter((g) => g.role === "councillor" && g.wardId).map((g) => String(g.wardId)),
    wards: listWards().map((w) => ({ id: w.id, name: w.name, nameCy: w.nameCy })),
    groups: listGroupsOf(user.id).map((g) => g.name),
    voterDetails: voterDetailsOf(user.id)!,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const user = findUser(params.userId);
  const form = parseForm(schema, await request.formData(), ["roles", "councillorWardIds"]);
  if (!form.ok) return json(form, { status: 400 });
  if (user.id === admin.id && !form.data.roles.includes("admin")) {
    return json(failure({ roles: "admin:user.ownAdmin" }, form.values), { status: 400 });
  }
  const wards = listWards();
  const knownWards = new Set(wards.map((w) => w.id));
  const wantedWards = form.data.roles.includes("councillor")
    ? form.data.councillorWardIds.filter((id) => knownWards.has(id))
    : [];
  const held = new Set(user.grants.filter((g) => g.role !== "councillor").map((g) => g.role));
  const heldWards = new Set(user.grants.filter((g) => g.role === "councillor").map((g) => g.wardId));
  // Removing a role takes effect at once; a new role is offered to the holder of the address, who must accept it.
  const keptWards = wantedWards.filter((id) => heldWards.has(id));
  const kept = form.data.roles.filter((r) => (r === "councillor" ? keptWards.length > 0 : held.has(r)));
  setUserRoles(admin, user.id, kept, keptWards);
  const newWards = wantedWards.filter((id) => !heldWards.has(id));
  const offered = form.data.roles.filter((r) => (r === "councillor" ? newWards.length > 0 : !held.has(r)));
  if (offered.length) {
    const { mailId } = inviteToRoles(
      admin,
      {
        name: user.name,
        email: user.email,
        roles: offered,
        councillorWardIds: newWards,
        wardNames: wards.filter((w) => newWards.includes(w.id)).map((w) => w.name),
      },
      (token) => secretLink(`/invitations/${token}`),
    );
    await deliverMail([mailId]);
  }
  return redirect(`/admin/users/${user.id}?saved=${offered.length ? "offered" : "1"}`);
}

export default function EditUser() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t, i18n } = useTranslation("admin");
  const notice =
    params.get("saved") === "offered"
      ? t("user.offered")
      : params.get("saved") === "voter-details"
        ? t("user.voterDetails")
        : params.has("saved")
          ? t("user.saved")
          : null;
  const roleOptions = ROLES.map((value) => ({ value, label: t(`common:roles.${value}`) }));
  return (
    <div className="max-w-2xl">
      <h1 translate="no">{data.user.name}</h1>
      <p>{data.user.email}</p>
      {notice && !state ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {data.groups.length ? (
        <p>
          <Trans t={t} i18nKey="user.memberOf" components={{ groups: <Names names={data.groups} /> }} />
        </p>
      ) : null}
      <ErrorSummary state={state} labels={{ roles: t("user.roles"), councillorWardIds: t("user.wards") }} />
      <Form method="post" noValidate>
        <CheckboxGroup
          name="roles"
          legend={t("user.roles")}
          options={roleOptions}
          defaultChecked={data.roles}
          state={state}
        />
        <CheckboxGroup
          name="councillorWardIds"
          legend={t("user.wardsForCouncillors")}
          options={data.wards.map((w) => ({
            value: String(w.id),
            label: pickLocalised({ en: w.name, cy: w.nameCy }, i18n.language).text,
          }))}
          defaultChecked={data.councillorWardIds}
          state={state}
        />
        <p className="hint">{t("user.separation")}</p>
        <SubmitButton>{t("user.save")}</SubmitButton>
      </Form>
      <VoterDetailsCorrection userId={data.user.id} details={data.voterDetails} />
    </div>
  );
}

/** Proper names (groups), not translated. */
function Names({ names }: { names: string[] }) {
  return <span translate="no">{names.join(", ")}</span>;
}
