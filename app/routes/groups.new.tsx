import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { ErrorSummary, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { ORGANISATION_TYPES } from "~/db/schema";
import { GROUP_FIELD_LABELS, groupSchema, ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { registerGroup } from "~/models/groups.server";
import { requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Register a community group – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(groupSchema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(
    form.values,
    () => {
      const groupId = registerGroup(user, form.data);
      return redirect(`/groups/${groupId}?registered=1`);
    },
    { status: 400 },
  );
}

export default function RegisterGroup() {
  const state = useActionData<typeof action>();
  return (
    <div className="max-w-2xl">
      <h1>Register a community group</h1>
      <p>
        Register your group to bid for ward budgets and participatory budgeting rounds. The council checks every group
        before its first grant is paid.
      </p>
      <ErrorSummary state={state} labels={GROUP_FIELD_LABELS} />
      <Form method="post" noValidate>
        <TextField name="name" label="Group name" state={state} />
        <SelectField
          name="organisationType"
          label="Kind of organisation"
          options={[
            { value: "", label: "Choose one" },
            ...ORGANISATION_TYPES.map((t) => ({ value: t, label: ORGANISATION_TYPE_LABELS[t] })),
          ]}
          state={state}
        />
        <TextField
          name="charityNumber"
          label="Charity number (if registered)"
          hint="England and Wales, Scotland (SC…) or Northern Ireland (NIC…)."
          className="max-w-60"
          state={state}
        />
        <TextField
          name="companyNumber"
          label="Company number (if incorporated)"
          hint="As on Companies House, for example 01234567."
          className="max-w-60"
          state={state}
        />
        <TextAreaField name="address" label="Address" rows={3} state={state} />
        <TextField name="postcode" label="Postcode" autoComplete="postal-code" className="max-w-40" state={state} />
        <TextField name="contactEmail" label="Contact email" type="email" spellCheck={false} state={state} />
        <TextField name="contactPhone" label="Contact phone (optional)" type="tel" autoComplete="tel" state={state} />
        <SubmitButton>Register the group</SubmitButton>
      </Form>
    </div>
  );
}
