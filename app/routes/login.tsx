import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { emailField } from "~/utils/account-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { signInWithPassword } from "~/models/accounts.server";
import { loadPrincipal, requireAnonymous, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { homePathFor } from "~/utils/home";
import { clientIp, safeRedirect } from "~/utils/http.server";

const schema = z.object({
  email: emailField(),
  password: z.string().min(1, "Enter your password"),
  redirectTo: z.string().optional(),
});

export const meta: MetaFunction = () => [{ title: "Sign in – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = await signInWithPassword(form.data.email, form.data.password, clientIp(context));
  if (!result.ok) {
    const message =
      result.reason === "locked"
        ? result.scope === "account"
          ? `Too many failed attempts to sign in to this account. Wait ${result.retryAfterMinutes} minutes, or reset your password.`
          : `Too many failed sign-in attempts from your network. Wait ${result.retryAfterMinutes} minutes and try again.`
        : "The email address or password is not right.";
    return json(failure({ password: message }, form.values), { status: result.reason === "locked" ? 429 : 400 });
  }
  const principal = loadPrincipal(result.userId);
  if (principal && !principal.verified) {
    return redirect("/account", { headers: { "Set-Cookie": await startSession(request, result.userId) } });
  }
  const fallback = principal
    ? homePathFor(principal.roles, principal.groupIds.length > 0, isDesignatedDecisionMaker(principal.id))
    : "/";
  return redirect(safeRedirect(form.data.redirectTo, fallback, new URL(request.url).origin), {
    headers: { "Set-Cookie": await startSession(request, result.userId) },
  });
}

export default function SignIn() {
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="max-w-xl">
      <h1>Sign in</h1>
      <ErrorSummary state={state} labels={{ email: "Email address", password: "Password" }} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          spellCheck={false}
          state={state}
        />
        <TextField name="password" label="Password" type="password" autoComplete="current-password" state={state} />
        <SubmitButton>Sign in</SubmitButton>
      </Form>
      <p className="mt-6">
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
      <p>
        New here? <Link to="/register">Create an account</Link> to vote in rounds or bid for your group.
      </p>
    </div>
  );
}
