import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { z } from "zod";
import { emailField } from "~/utils/account-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requestPasswordReset } from "~/models/accounts.server";
import { requireAnonymous } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { clientIp } from "~/utils/http.server";
import { deliverMail, secretLink } from "~/utils/mail.server";

const schema = z.object({
  email: emailField(),
});

export const meta: MetaFunction = () => [{ title: "Reset your password – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = requestPasswordReset(form.data.email, {
    clientAddress: clientIp(context),
    linkFor: (token) => secretLink(`/reset-password/${token}`),
  });
  if (!result.ok) {
    const message = `Too many requests. Wait ${result.retryAfterMinutes} minutes and try again.`;
    return json(failure({ email: message }, form.values), { status: 429 });
  }
  if (result.mailId !== null) await deliverMail([result.mailId]);
  // The same answer whether or not the address has an account.
  return json({ ok: true as const, sentTo: form.data.email });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  if (result && "ok" in result && result.ok) {
    return (
      <div className="max-w-xl">
        <h1>Check your email</h1>
        <p>
          If <strong>{result.sentTo}</strong> has a Wardfund account, we have sent it a link to reset the password. The
          link works once and expires in an hour.
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>Reset your password</h1>
      <p>Enter the email address you registered with and we will send you a link to choose a new password.</p>
      <ErrorSummary state={result} labels={{ email: "Email address" }} />
      <Form method="post" noValidate>
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          state={result}
        />
        <SubmitButton>Send reset link</SubmitButton>
      </Form>
    </div>
  );
}
