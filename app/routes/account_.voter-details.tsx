import { DateInput } from "~/components/date-input";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { VOTER_DETAILS_LABELS, voterDetailsSchema } from "~/forms/vote-form";
import { correctOwnVoterDetails, voterDetailsOf } from "~/models/voting/voter-details.server";
import { requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Your voting details – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const details = voterDetailsOf(user.id);
  if (!details) throw new Response("Not found", { status: 404 });
  return json({ details });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(voterDetailsSchema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  try {
    correctOwnVoterDetails({ id: user.id, name: user.name }, form.data);
  } catch (error) {
    if (error instanceof Refusal) return refusalAnswer(error, form.values);
    throw error;
  }
  return redirect("/account/voter-details?saved=1");
}

export default function VoterDetails() {
  const { details } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="max-w-2xl">
      <p>
        <Link to="/account">My account</Link>
      </p>
      <h1>Your voting details</h1>
      {params.has("saved") && !state ? (
        <p className="notice" role="status">
          Your voting details are saved.
        </p>
      ) : null}
      <p>
        Your postcode and date of birth decide which rounds you can vote in: you must live in a round&rsquo;s area and
        be old enough on the day voting closes.
      </p>
      <dl className="grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Postcode</dt>
        <dd>{details.postcode ?? "Not given"}</dd>
        <dt className="font-semibold">Ward</dt>
        <dd>{details.wardName ?? (details.postcode ? "Not in this council's area" : "Not known")}</dd>
        <dt className="font-semibold">Date of birth</dt>
        <dd>{details.dateOfBirth ?? "Not given"}</dd>
      </dl>
      {details.hasVoted ? (
        <p className="notice">
          You have voted, so these can no longer be changed here. If they are wrong, contact the council: an officer can
          correct them.
        </p>
      ) : (
        <>
          <h2>Correct your details</h2>
          <p className="hint">You can change them until you vote. After that only an officer can.</p>
          <ErrorSummary state={state} labels={VOTER_DETAILS_LABELS} />
          <Form method="post" noValidate>
            <TextField
              name="postcode"
              label="Postcode"
              autoComplete="postal-code"
              className="input max-w-40"
              defaultValue={details.postcode ?? ""}
              state={state}
            />
            <DateInput
              name="dateOfBirth"
              legend="Date of birth"
              defaultValue={details.dateOfBirth}
              state={state}
              birthday
            />
            <SubmitButton>Save my voting details</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
