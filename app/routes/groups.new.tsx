import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { ORGANISATION_TYPES } from "~/db/schema";
import { GROUP_FIELD_LABEL_KEYS, groupSchema } from "~/forms/group-form";
import { registerGroup } from "~/models/groups.server";
import { requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("routes:groupNew.title");

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
  const { t } = useTranslation("routes");
  const labels = Object.fromEntries(Object.entries(GROUP_FIELD_LABEL_KEYS).map(([field, key]) => [field, t(key)]));
  return (
    <div className="max-w-2xl">
      <h1>{t("groupNew.title")}</h1>
      <p>{t("groupNew.intro")}</p>
      <ErrorSummary state={state} labels={labels} />
      <Form method="post" noValidate>
        <TextField name="name" label={t("forms:group.name")} state={state} />
        <SelectField
          name="organisationType"
          label={t("forms:group.organisationType")}
          options={[
            { value: "", label: t("groupNew.chooseOne") },
            ...ORGANISATION_TYPES.map((type) => ({ value: type, label: t(`forms:organisationTypes.${type}`) })),
          ]}
          state={state}
        />
        <TextField
          name="charityNumber"
          label={t("groupNew.charityLabel")}
          hint={t("groupNew.charityHint")}
          className="max-w-60"
          state={state}
        />
        <TextField
          name="companyNumber"
          label={t("groupNew.companyLabel")}
          hint={t("groupNew.companyHint")}
          className="max-w-60"
          state={state}
        />
        <TextAreaField name="address" label={t("forms:group.address")} rows={3} state={state} />
        <TextField
          name="postcode"
          label={t("forms:group.postcode")}
          autoComplete="postal-code"
          className="max-w-40"
          state={state}
        />
        <TextField
          name="contactEmail"
          label={t("forms:group.contactEmail")}
          type="email"
          spellCheck={false}
          state={state}
        />
        <TextField name="contactPhone" label={t("groupNew.phoneLabel")} type="tel" autoComplete="tel" state={state} />
        <SubmitButton>{t("groupNew.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
