import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { useWardFieldLabels, WardFields } from "~/components/ward-fields";
import { createWard } from "~/models/council.server";
import { wardSchema } from "~/forms/ward-form";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("routes:adminWards.newTitle");

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
  const { t } = useTranslation("routes");
  const labels = useWardFieldLabels();
  return (
    <div className="max-w-2xl">
      <h1>{t("adminWards.newTitle")}</h1>
      <ErrorSummary state={state} labels={labels} />
      <Form method="post" noValidate>
        <WardFields state={state} />
        <SubmitButton>{t("adminWards.addButton")}</SubmitButton>
      </Form>
    </div>
  );
}
