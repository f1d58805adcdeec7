import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { WardFields } from "~/components/ward-fields";
import { findUserByEmail, listUsers } from "~/models/accounts.server";
import { getWard, listWards, setWardCouncillors, updateWard } from "~/models/council.server";
import { WARD_FIELD_LABELS, wardSchema } from "~/forms/ward-form";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.ward.name ?? "Ward"} – Wardfund` }];

const MAX_COUNCILLORS = 3;

const councillorsSchema = z.object({
  councillorIds: z.array(z.string().uuid()).max(MAX_COUNCILLORS, `A ward has at most ${MAX_COUNCILLORS} councillors`),
  addEmail: z
    .union([z.literal(""), z.string().trim().email("Enter an email address like name@example.org")])
    .optional(),
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
            ...failure(
              { addEmail: "No account has this email address. Invite the person first, from Users and roles." },
              form.values,
            ),
            intent,
          },
          { status: 400 },
        );
      if (!ids.includes(added.id)) ids.push(added.id);
    }
    if (ids.length > MAX_COUNCILLORS)
      return json(
        { ...failure({ councillorIds: `A ward has at most ${MAX_COUNCILLORS} councillors` }, form.values), intent },
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
  return (
    <div className="max-w-2xl">
      <h1>{ward.name}</h1>
      {saved && !state ? (
        <p className="notice" role="status">
          {saved === "created" ? "Ward added." : saved === "councillors" ? "Councillors saved." : "Ward details saved."}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{ ...WARD_FIELD_LABELS, councillorIds: "Councillors", addEmail: "Add a councillor" }}
      />
      <h2>Details</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="details" />
        <WardFields state={detailsState} defaults={ward} />
        <SubmitButton>Save details</SubmitButton>
      </Form>
      <h2>Councillors</h2>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="councillors" />
        {candidates.length ? (
          <CheckboxGroup
            name="councillorIds"
            legend="Councillors for this ward"
            hint={`Up to ${MAX_COUNCILLORS}.`}
            options={candidates.map((c) => ({ value: c.id, label: `${c.name} (${c.email})` }))}
            defaultChecked={councillorIds}
            state={councillorState}
          />
        ) : null}
        <TextField
          name="addEmail"
          label="Add a councillor by email"
          hint="The person must already have an account."
          type="email"
          state={councillorState}
        />
        <SubmitButton>Save councillors</SubmitButton>
      </Form>
    </div>
  );
}
