import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { pickLocalised } from "~/core/localised";
import { emailField } from "~/utils/account-fields";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { ROLES } from "~/db/schema";
import { inviteToRoles } from "~/models/invitations.server";
import { listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("admin:invite.title");

const schema = z
  .object({
    name: z.string().trim().min(1, "admin:invite.nameRequired").max(120, "admin:invite.nameTooLong"),
    email: emailField("admin:invite.emailRequired"),
    roles: z.array(z.enum(ROLES)).min(1, "admin:invite.chooseRole"),
    councillorWardIds: z.array(z.coerce.number().int().positive()),
  })
  .refine((v) => !v.roles.includes("councillor") || v.councillorWardIds.length > 0, {
    path: ["councillorWardIds"],
    message: "admin:user.chooseWards",
  });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ wards: listWards().map((w) => ({ id: w.id, name: w.name, nameCy: w.nameCy })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const form = parseForm(schema, await request.formData(), ["roles", "councillorWardIds"]);
  if (!form.ok) return json(form, { status: 400 });
  const knownWards = new Set(listWards().map((w) => w.id));
  const wardIds = form.data.councillorWardIds.filter((id) => knownWards.has(id));
  const { mailId } = inviteToRoles(
    admin,
    {
      ...form.data,
      councillorWardIds: wardIds,
      wardNames: listWards()
        .filter((w) => wardIds.includes(w.id))
        .map((w) => w.name),
    },
    (token) => secretLink(`/invitations/${token}`),
  );
  await deliverMail([mailId]);
  // The same answer whether or not the address has an account: the roles wait for its holder to accept.
  return redirect("/admin/users?invited=1");
}

export default function Invite() {
  const { wards } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, i18n } = useTranslation("admin");
  const roleOptions = ROLES.map((value) => ({ value, label: t(`common:roles.${value}`) }));
  return (
    <div className="max-w-2xl">
      <h1>{t("invite.title")}</h1>
      <p>{t("invite.intro")}</p>
      <ErrorSummary
        state={state}
        labels={{
          name: t("invite.name"),
          email: t("invite.email"),
          roles: t("user.roles"),
          councillorWardIds: t("user.wards"),
        }}
      />
      <Form method="post" noValidate>
        <TextField name="name" label={t("invite.fullName")} state={state} />
        <TextField name="email" label={t("invite.email")} type="email" spellCheck={false} state={state} />
        <CheckboxGroup
          name="roles"
          legend={t("user.roles")}
          options={roleOptions}
          defaultChecked={["resident"]}
          state={state}
        />
        <CheckboxGroup
          name="councillorWardIds"
          legend={t("user.wardsForCouncillors")}
          options={wards.map((w) => ({
            value: String(w.id),
            label: pickLocalised({ en: w.name, cy: w.nameCy }, i18n.language).text,
          }))}
          state={state}
        />
        <SubmitButton>{t("invite.send")}</SubmitButton>
      </Form>
    </div>
  );
}
