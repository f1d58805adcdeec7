import { PrivacyLink } from "~/components/privacy-link";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { z } from "zod";
import { normalisePostcode } from "~/core/places/postcode";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { EmailTakenError, registerResident } from "~/models/accounts.server";
import { requireAnonymous, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { emailField, passwordSchema } from "~/utils/account-fields";

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

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  try {
    const { id } = await registerResident(form.data);
    return redirect("/account", { headers: { "Set-Cookie": await startSession(request, id) } });
  } catch (error) {
    if (error instanceof EmailTakenError) {
      return json(
        failure(
          { email: "An account with this email address already exists. Sign in or reset your password." },
          form.values,
        ),
        { status: 400 },
      );
    }
    throw error;
  }
}

export default function Register() {
  const state = useActionData<typeof action>();
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
      <PrivacyLink />
      <p className="mt-6">
        Already registered? <Link to="/login">Sign in</Link>.
      </p>
    </div>
  );
}
