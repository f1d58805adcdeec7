import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { RoundFields } from "~/components/round-fields";
import { listWards } from "~/models/council.server";
import { ROUND_FIELD_LABELS, ROUND_FORM_ARRAYS, roundFormSchema } from "~/forms/round-form";
import { createRound } from "~/models/rounds/setup.server";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Set up a PB round – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ wards: listWards().map((w) => ({ id: w.id, name: w.name })) });
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
  return (
    <div className="max-w-3xl">
      <p>
        <Link to="/admin/rounds">All PB rounds</Link>
      </p>
      <h1>Set up a participatory budgeting round</h1>
      <p>
        The round starts as a draft. Opening it puts the pot into the ledger; residents can then bid, and later vote.
      </p>
      <ErrorSummary state={state} labels={ROUND_FIELD_LABELS} />
      <Form method="post" noValidate>
        <RoundFields state={state} wards={wards} />
        <SubmitButton>Set up the round</SubmitButton>
      </Form>
    </div>
  );
}
