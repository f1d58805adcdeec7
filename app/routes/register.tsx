import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { normalisePostcode } from "~/core/places/postcode";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { registerResident, VERIFY_TOKEN_HOURS } from "~/models/accounts.server";
import { requireAnonymous } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { emailField, passwordSchema } from "~/utils/account-fields";
import { clientIp } from "~/utils/http.server";
import { deliverMail, secretLink } from "~/utils/mail.server";

const schema = z
  .object({
    name: z.string().trim().min(1, "Enter your name").max(120, "Name must be 120 characters or fewer"),
    email: emailField(),
    postcode: z
      .string()
      .trim()
      .transform((v, ctx) => {
        if (v === "") return null;
        const pc = normalisePostcode(v);
        if (!pc) ctx.addIssue({ code: "custom", message: "Enter a real UK postcode, like AB1 2CD" });
        return pc;
      }),
    password: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  });

export const meta: MetaFunction = () => [{ title: "Create an account – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = await registerResident(form.data, {
    clientAddress: clientIp(context),
    linkFor: (token) => secretLink(`/confirm-email/${token}`),
  });
  if (!result.ok) {
    const message = `Too many attempts to create an account. Wait ${result.retryAfterMinutes} minutes and try again.`;
    return json(failure({ email: message }, form.values), { status: 429 });
  }
  if (result.mailId !== null) await deliverMail([result.mailId]);
  // The same answer whether or not the address already has an account (that address is told by mail).
  return json({ ok: true as const, sentTo: form.data.email });
}

export default function Register() {
  const state = useActionData<typeof action>();
  if (state?.ok) {
    return (
      <div className="max-w-xl">
        <h1>Check your email</h1>
        <p role="status">
          We have sent a message to <strong>{state.sentTo}</strong>. Open the link in it within {VERIFY_TOKEN_HOURS}{" "}
          hours to confirm your address; then you can sign in, vote and bid.
        </p>
        <p>
          No message? Check your spam folder, or <Link to="/confirm-email">ask for a new link</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>Create an account</h1>
      <p>
        With an account you can vote in participatory budgeting rounds for your area and bid for money for your
        community group.
      </p>
      <ErrorSummary
        state={state}
        labels={{
          name: "Name",
          email: "Email address",
          postcode: "Postcode",
          password: "Password",
          confirmPassword: "Confirm password",
        }}
      />
      <Form method="post" noValidate>
        <TextField name="name" label="Full name" autoComplete="name" state={state} />
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          state={state}
        />
        <TextField
          name="postcode"
          label="Home postcode (optional)"
          hint="We use it only to check which ward you live in, so you can vote in your area's rounds."
          autoComplete="postal-code"
          className="max-w-40"
          state={state}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          hint="At least 12 characters."
          autoComplete="new-password"
          state={state}
        />
        <TextField
          name="confirmPassword"
          label="Confirm password"
          type="password"
          autoComplete="new-password"
          state={state}
        />
        <SubmitButton>Create account</SubmitButton>
      </Form>
      <p className="mt-6">
        Already registered? <Link to="/login">Sign in</Link>.
      </p>
    </div>
  );
}
