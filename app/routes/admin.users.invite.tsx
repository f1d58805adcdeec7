import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { emailField } from "~/utils/account-fields";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { ROLES } from "~/db/schema";
import { inviteToRoles } from "~/models/invitations.server";
import { listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { ROLE_OPTIONS } from "~/utils/roles";

export const meta: MetaFunction = () => [{ title: "Invite someone – Wardfund" }];

const schema = z
  .object({
    name: z.string().trim().min(1, "Enter the person's name").max(120),
    email: emailField("Enter the person's email address"),
    roles: z.array(z.enum(ROLES)).min(1, "Choose at least one role"),
    councillorWardIds: z.array(z.coerce.number().int().positive()),
  })
  .refine((v) => !v.roles.includes("councillor") || v.councillorWardIds.length > 0, {
    path: ["councillorWardIds"],
    message: "Choose the ward or wards this councillor represents",
  });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ wards: listWards().map((w) => ({ id: w.id, name: w.name })) });
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
  return (
    <div className="max-w-2xl">
      <h1>Invite someone</h1>
      <p>
        We email them a link. The roles are granted only when the holder of that address accepts: signing in to their
        account, or creating one, from the link.
      </p>
      <ErrorSummary
        state={state}
        labels={{ name: "Name", email: "Email address", roles: "Roles", councillorWardIds: "Wards" }}
      />
      <Form method="post" noValidate>
        <TextField name="name" label="Full name" state={state} />
        <TextField name="email" label="Email address" type="email" spellCheck={false} state={state} />
        <CheckboxGroup name="roles" legend="Roles" options={ROLE_OPTIONS} defaultChecked={["resident"]} state={state} />
        <CheckboxGroup
          name="councillorWardIds"
          legend="Wards (for councillors)"
          options={wards.map((w) => ({ value: String(w.id), label: w.name }))}
          state={state}
        />
        <SubmitButton>Send invitation</SubmitButton>
      </Form>
    </div>
  );
}
