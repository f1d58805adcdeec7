import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { useWardFieldLabels, WardFields } from "~/components/ward-fields";
import { findUserByEmail, listUsers } from "~/models/accounts.server";
import { getWard, listWards, setWardCouncillors, updateWard } from "~/models/council.server";
import { wardSchema } from "~/forms/ward-form";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.ward.name, cy: data.ward.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: name || t("routes:adminWards.editTitle") }) }];
};

/** Three, as the catalogue message "at most three councillors" says. */
const MAX_COUNCILLORS = 3;

const councillorsSchema = z.object({
  councillorIds: z.array(z.string().uuid()).max(MAX_COUNCILLORS, "routes:adminWards.errors.tooMany"),
  addEmail: z.union([z.literal(""), z.string().trim().email("routes:adminWards.errors.email")]).optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const ward = getWard(idParam(params.wardId));
  if (!ward) throw notFound("Ward not found");
  const councillors = listWards().find((w) => w.id === ward.id)?.councillors ?? [];
  const candidates = listUsers().filter(
    (u) => u.grants.some((g) => g.role === "councillor") || councillors.some((c) => c.id === u.id),
  );
  return json({
    ward,
    councillorIds: councillors.map((c) => c.id),
    candidates: candidates.map((u) => ({ id: u.id, name: u.name, email: u.email })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const wardId = idParam(params.wardId);
  if (!getWard(wardId)) throw notFound("Ward not found");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "councillors") {
    const form = parseForm(councillorsSchema, formData, ["councillorIds"]);
    if (!form.ok) return json({ ...form, intent }, { status: 400 });
    const ids = [...form.data.councillorIds];
    if (form.data.addEmail) {
      const added = findUserByEmail(form.data.addEmail);
      if (!added)
        return json(
          {
            ...failure({ addEmail: "routes:adminWards.errors.noAccount" }, form.values),
            intent,
          },
          { status: 400 },
        );
      if (!ids.includes(added.id)) ids.push(added.id);
    }
    if (ids.length > MAX_COUNCILLORS)
      return json(
        { ...failure({ councillorIds: "routes:adminWards.errors.tooMany" }, form.values), intent },
        { status: 400 },
      );
    setWardCouncillors(user, wardId, ids);
    return redirect(`/admin/wards/${wardId}?saved=councillors`);
  }
  const form = parseForm(wardSchema, formData);
  if (!form.ok) return json({ ...form, intent: "details" }, { status: 400 });
  return answeringRefusals(
    form.values,
    () => {
      updateWard(user, wardId, form.data);
      return redirect(`/admin/wards/${wardId}?saved=details`);
    },
    { extra: { intent: "details" } },
  );
}

export default function EditWard() {
  const { ward, councillorIds, candidates } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const detailsState = state?.intent === "details" ? state : undefined;
  const councillorState = state?.intent === "councillors" ? state : undefined;
  const saved = params.get("saved") ?? (params.has("created") ? "created" : null);
  const { t } = useTranslation("routes");
  const wardLabels = useWardFieldLabels();
  return (
    <div className="max-w-2xl">
      <h1>
        <LocalisedText value={{ en: ward.name, cy: ward.nameCy }} />
      </h1>
      {saved && !state ? (
        <p className="notice" role="status">
          {saved === "created"
            ? t("adminWards.added")
            : saved === "councillors"
              ? t("adminWards.councillorsSaved")
              : t("adminWards.detailsSaved")}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{ ...wardLabels, councillorIds: t("adminWards.councillors"), addEmail: t("adminWards.addCouncillor") }}
      />
      <h2>{t("adminWards.details")}</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="details" />
        <WardFields state={detailsState} defaults={ward} />
        <SubmitButton>{t("adminWards.saveDetails")}</SubmitButton>
      </Form>
      <h2>{t("adminWards.councillors")}</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="councillors" />
        {candidates.length ? (
          <CheckboxGroup
            name="councillorIds"
            legend={t("adminWards.councillorsLegend")}
            hint={t("adminWards.upTo", { max: MAX_COUNCILLORS })}
            options={candidates.map((c) => ({ value: c.id, label: `${c.name} (${c.email})` }))}
            defaultChecked={councillorIds}
            state={councillorState}
          />
        ) : null}
        <TextField
          name="addEmail"
          label={t("adminWards.addByEmail")}
          hint={t("adminWards.addByEmailHint")}
          type="email"
          state={councillorState}
        />
        <SubmitButton>{t("adminWards.saveCouncillors")}</SubmitButton>
      </Form>
    </div>
  );
}
