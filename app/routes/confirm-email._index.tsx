import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { resendConfirmation, VERIFY_TOKEN_HOURS } from "~/models/accounts.server";
import { emailField } from "~/utils/account-fields";
import { getAuth } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { clientIp } from "~/utils/http.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { assertSameOrigin } from "~/utils/origin.server";

const schema = z.object({ email: emailField() });

export const meta: MetaFunction = () => [{ title: "Confirm your email address – Wardfund" }];

/** Public: anyone may ask for a new link, and the answer is the same whatever the address. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await getAuth(request);
  return json({ email: user && !user.verified ? user.email : "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = resendConfirmation(form.data.email, {
    clientAddress: clientIp(context),
    linkFor: (token) => secretLink(`/confirm-email/${token}`),
  });
  if (!result.ok) {
    const message = `Too many requests. Wait ${result.retryAfterMinutes} minutes and try again.`;
    return json(failure({ email: message }, form.values), { status: 429 });
  }
  if (result.mailId !== null) await deliverMail([result.mailId]);
  return json({ ok: true as const, sentTo: form.data.email });
}

export default function ConfirmEmail() {
  const { email } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  if (state && "ok" in state && state.ok) {
    return (
      <div className="max-w-xl">
        <h1>Check your email</h1>
        <p role="status">
          If <strong>{state.sentTo}</strong> has an account waiting to be confirmed, we have sent it a new link. The
          link works once and expires in {VERIFY_TOKEN_HOURS} hours; earlier links no longer work.
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>Confirm your email address</h1>
      <p>We send a link to the address you registered with. Open it to start using your account.</p>
      <ErrorSummary state={state} labels={{ email: "Email address" }} />
      <Form method="post" noValidate>
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          defaultValue={email}
          state={state}
        />
        <SubmitButton>Send the link again</SubmitButton>
      </Form>
    </div>
  );
}
