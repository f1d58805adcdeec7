import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { WardFields } from "~/components/ward-fields";
import { createWard } from "~/models/council.server";
import { WARD_FIELD_LABELS, wardSchema } from "~/forms/ward-form";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Add a ward – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const form = parseForm(wardSchema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(form.values, () => {
    const ward = createWard(user, form.data);
    return redirect(`/admin/wards/${ward.id}?created=1`);
  });
}

export default function NewWard() {
  const state = useActionData<typeof action>();
  return (
    <div className="max-w-2xl">
      <h1>Add a ward</h1>
      <ErrorSummary state={state} labels={WARD_FIELD_LABELS} />
      <Form method="post" noValidate>
        <WardFields state={state} />
        <SubmitButton>Add ward</SubmitButton>
      </Form>
    </div>
  );
}
