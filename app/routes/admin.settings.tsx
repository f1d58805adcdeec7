import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { monthName } from "~/core/locale-format";
import { listActivePeople, userExists } from "~/models/accounts.server";
import { getCouncilSettings, updateCouncilSettings } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { titleMeta } from "~/utils/translate";

const schema = z.object({
  name: z.string().trim().min(1, "routes:adminSettings.errors.name").max(120, "routes:adminSettings.errors.nameLong"),
  orgIdentifier: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}-[A-Z0-9]{2,8}-[A-Z0-9-]{1,40}$/, "routes:adminSettings.errors.orgIdentifier"),
  financialYearStartMonth: z.coerce
    .number({ invalid_type_error: "routes:adminSettings.errors.month" })
    .int()
    .min(1, "routes:adminSettings.errors.month")
    .max(12, "routes:adminSettings.errors.month"),
  designatedDecisionMaker: z.string().trim().min(1, "routes:adminSettings.errors.ddm").max(120),
  designatedDecisionMakerId: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((id) => id === null || userExists(id), "routes:adminSettings.errors.ddmPerson"),
  languages: z.enum(["en", "cy,en"], { errorMap: () => ({ message: "routes:adminSettings.errors.languages" }) }),
});

export const meta = titleMeta("routes:adminSettings.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const people = listActivePeople();
  return json({ settings: getCouncilSettings() ?? null, people });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  updateCouncilSettings(user, form.data);
  return redirect("/admin/settings?saved=1");
}

export default function CouncilSettingsPage() {
  const { settings, people } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.has("saved");
  const { t, i18n } = useTranslation("routes");
  return (
    <div className="max-w-2xl">
      <h1>{t("adminSettings.title")}</h1>
      {saved && !state ? (
        <p className="notice" role="status">
          {t("adminSettings.saved")}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          name: t("adminSettings.name"),
          orgIdentifier: t("adminSettings.orgIdentifierShort"),
          financialYearStartMonth: t("adminSettings.fyStart"),
          designatedDecisionMaker: t("adminSettings.ddm"),
          designatedDecisionMakerId: t("adminSettings.ddmPersonShort"),
          languages: t("adminSettings.languages"),
        }}
      />
      <Form method="post" noValidate>
        <TextField name="name" label={t("adminSettings.name")} defaultValue={settings?.name} state={state} />
        <TextField
          name="orgIdentifier"
          label={t("adminSettings.orgIdentifier")}
          hint={t("adminSettings.orgIdentifierHint")}
          defaultValue={settings?.orgIdentifier}
          state={state}
        />
        <SelectField
          name="financialYearStartMonth"
          label={t("adminSettings.fyStart")}
          hint={t("adminSettings.fyStartHint")}
          defaultValue={String(settings?.financialYearStartMonth ?? 4)}
          options={Array.from({ length: 12 }, (_, i) => ({
            value: String(i + 1),
            label: t("adminSettings.fyOption", { month: monthName(i + 1, i18n.language) }),
          }))}
          state={state}
        />
        <TextField
          name="designatedDecisionMaker"
          label={t("adminSettings.ddm")}
          hint={t("adminSettings.ddmHint")}
          defaultValue={settings?.designatedDecisionMaker}
          state={state}
        />
        <SelectField
          name="designatedDecisionMakerId"
          label={t("adminSettings.ddmPerson")}
          hint={t("adminSettings.ddmPersonHint")}
          defaultValue={settings?.designatedDecisionMakerId ?? ""}
          options={[
            { value: "", label: t("adminSettings.nobody") },
            ...people.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` })),
          ]}
          state={state}
        />
        <RadioGroup
          name="languages"
          legend={t("adminSettings.languages")}
          hint={t("adminSettings.languagesHint")}
          options={[
            { value: "cy,en", label: t("adminSettings.languagesCyEn") },
            { value: "en", label: t("adminSettings.languagesEn") },
          ]}
          defaultValue={settings?.languages === "en" ? "en" : "cy,en"}
          state={state}
        />
        <SubmitButton>{t("adminSettings.save")}</SubmitButton>
      </Form>
    </div>
  );
}
