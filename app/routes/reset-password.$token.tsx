import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { checkPasswordToken, setPasswordWithToken } from "~/models/accounts.server";
import { endAllSessions, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { assertSameOrigin } from "~/utils/origin.server";
import { passwordSchema } from "~/utils/account-fields";

const schema = z
  .object({ password: passwordSchema, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  });

export const meta: MetaFunction = () => [{ title: "Choose a password – Wardfund" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const check = checkPasswordToken(params.token ?? "");
  return json(
    check.ok ? { valid: true as const, purpose: check.purpose } : { valid: false as const, message: check.message },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = await setPasswordWithToken(params.token ?? "", form.data.password);
  if (!result.ok) return json(failure({}, {}, result.message), { status: 400 });
  await endAllSessions(result.userId);
  return redirect("/account", { headers: { "Set-Cookie": await startSession(request, result.userId) } });
}

export default function ResetPassword() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  if (!data.valid) {
    return (
      <div className="max-w-xl">
        <h1>This link cannot be used</h1>
        <p>{data.message}</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{data.purpose === "invite" ? "Choose a password for your account" : "Choose a new password"}</h1>
      <ErrorSummary state={state} labels={{ password: "Password", confirmPassword: "Confirm password" }} />
      <Form method="post" noValidate>
        <TextField
          name="password"
          label="New password"
          type="password"
          hint="At least 12 characters."
          autoComplete="new-password"
          state={state}
        />
        <TextField
          name="confirmPassword"
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          state={state}
        />
        <SubmitButton>Save password and sign in</SubmitButton>
      </Form>
    </div>
  );
}
