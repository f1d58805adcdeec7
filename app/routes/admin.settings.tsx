import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { listActivePeople, userExists } from "~/models/accounts.server";
import { getCouncilSettings, updateCouncilSettings } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const schema = z.object({
  name: z.string().trim().min(1, "Enter the council's name").max(120, "Name must be 120 characters or fewer"),
  orgIdentifier: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}-[A-Z0-9]{2,8}-[A-Z0-9-]{1,40}$/, "Enter a 360Giving organisation identifier such as GB-LAE-BRI"),
  financialYearStartMonth: z.coerce
    .number({ invalid_type_error: "Choose a month" })
    .int()
    .min(1, "Choose a month")
    .max(12, "Choose a month"),
  designatedDecisionMaker: z
    .string()
    .trim()
    .min(1, "Enter who decides when every ward councillor has an interest")
    .max(120),
  designatedDecisionMakerId: z
    .string()
    .optional()
    .transform((v) => v || null)
    .refine((id) => id === null || userExists(id), "Choose a person from the list"),
});

export const meta: MetaFunction = () => [{ title: "Council settings – Wardfund" }];

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
  return (
    <div className="max-w-2xl">
      <h1>Council settings</h1>
      {saved && !state ? (
        <p className="notice" role="status">
          Settings saved.
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          name: "Council name",
          orgIdentifier: "Organisation identifier",
          financialYearStartMonth: "Financial year starts",
          designatedDecisionMaker: "Designated decision-maker",
          designatedDecisionMakerId: "Who holds the office",
        }}
      />
      <Form method="post" noValidate>
        <TextField name="name" label="Council name" defaultValue={settings?.name} state={state} />
        <TextField
          name="orgIdentifier"
          label="360Giving organisation identifier"
          hint="The council's identifier in the 360Giving standard, for example GB-LAE-BRI."
          defaultValue={settings?.orgIdentifier}
          state={state}
        />
        <SelectField
          name="financialYearStartMonth"
          label="Financial year starts"
          hint="UK councils' financial year starts on 1 April."
          defaultValue={String(settings?.financialYearStartMonth ?? 4)}
          options={MONTHS.map((m, i) => ({ value: String(i + 1), label: `1 ${m}` }))}
          state={state}
        />
        <TextField
          name="designatedDecisionMaker"
          label="Designated decision-maker"
          hint="Decides a ward-budget bid when every councillor of the ward has declared an interest, for example the Cabinet Member for Communities."
          defaultValue={settings?.designatedDecisionMaker}
          state={state}
        />
        <SelectField
          name="designatedDecisionMakerId"
          label="Who holds the designated decision-maker's office"
          hint="This person sees bids referred to them at /decisions and decides them."
          defaultValue={settings?.designatedDecisionMakerId ?? ""}
          options={[
            { value: "", label: "Nobody chosen yet" },
            ...people.map((p) => ({ value: p.id, label: `${p.name} (${p.email})` })),
          ]}
          state={state}
        />
        <SubmitButton>Save settings</SubmitButton>
      </Form>
    </div>
  );
}
