import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { confirmEnrolment, pendingDeviceByLink } from "~/models/events/events.server";
import { setKioskCookie } from "~/models/events/kiosk-cookie.server";
import { parseForm } from "~/utils/form";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Enrol this device as a kiosk – Wardfund" }];
export const handle = { bare: true };
export const headers = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

/** Public: the link itself is the one-time credential, and the code on the officer's screen the second. */
export async function loader({ params }: LoaderFunctionArgs) {
  const device = pendingDeviceByLink(params.token ?? "");
  return json(
    { label: device?.label ?? null },
    { status: device ? 200 : 404, headers: { "Cache-Control": "no-store" } },
  );
}

const schema = z.object({ code: z.string().trim().min(1, "Type the six digits shown on the officer's screen") });

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  try {
    const enrolled = confirmEnrolment(params.token ?? "", form.data.code);
    return redirect("/kiosk", { headers: { "Set-Cookie": setKioskCookie(enrolled.deviceId, enrolled.deviceToken) } });
  } catch (error) {
    if (error instanceof Refusal) return json(refusalFailure(error, form.values, "code"), { status: error.status });
    throw error;
  }
}

export default function EnrolKiosk() {
  const { label } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  if (!label)
    return (
      <div className="mx-auto max-w-2xl">
        <h1>This enrolment link does not work</h1>
        <p>It has expired, was already used, or was cancelled. Ask the officer to enrol this device again.</p>
      </div>
    );
  return (
    <div className="mx-auto max-w-2xl">
      <h1>Enrol this device as a kiosk</h1>
      <p>
        The officer&apos;s screen shows a six-digit code for <strong>{label}</strong>. Type it here to make this device
        a voting kiosk for the event.
      </p>
      <ErrorSummary state={state} labels={{ code: "Code" }} />
      <Form method="post" noValidate>
        <TextField
          name="code"
          label="Code from the officer's screen"
          inputMode="numeric"
          autoComplete="off"
          className="max-w-48"
          state={state}
        />
        <SubmitButton>Enrol</SubmitButton>
      </Form>
    </div>
  );
}
