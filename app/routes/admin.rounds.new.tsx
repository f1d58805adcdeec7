import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { RoundFields } from "~/components/round-fields";
import { listWards } from "~/models/council.server";
import { ROUND_FIELD_LABEL_KEYS, ROUND_FORM_ARRAYS, roundFormSchema } from "~/forms/round-form";
import { createRound } from "~/models/rounds/setup.server";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("admin:newRound.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ wards: listWards().map((w) => ({ id: w.id, name: w.name, nameCy: w.nameCy })) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const parsed = parseForm(roundFormSchema, await request.formData(), ROUND_FORM_ARRAYS);
  if (!parsed.ok) return json(failure(parsed.errors, parsed.values), { status: 400 });
  return answeringRefusals(parsed.values, () => redirect(`/admin/rounds/${createRound(user, parsed.data)}?created=1`));
}

export default function NewRound() {
  const { wards } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const labels = Object.fromEntries(Object.entries(ROUND_FIELD_LABEL_KEYS).map(([field, key]) => [field, t(key)]));
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/admin/rounds">{t("rounds.all")}</Link>
      </p>
      <h1>{t("newRound.heading")}</h1>
      <p>{t("newRound.intro")}</p>
      <ErrorSummary state={state} labels={labels} />
      <Form method="post" noValidate>
        <RoundFields state={state} wards={wards} />
        <SubmitButton>{t("newRound.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
