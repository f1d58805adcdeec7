import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { listWards } from "~/models/council.server";
import {
  acceptInvitation,
  acceptInvitationWithPassword,
  describeOffer,
  invitationForToken,
} from "~/models/invitations.server";
import { passwordSchema } from "~/utils/account-fields";
import { endAllSessions, getAuth, requireVerifiedUser, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { assertSameOrigin } from "~/utils/origin.server";

export const meta: MetaFunction = () => [{ title: "Your invitation – Wardfund" }];

const accountSchema = z
  .object({
    intent: z.literal("create"),
    name: z.string().trim().min(1, "Enter your name").max(120, "Name must be 120 characters or fewer"),
    password: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords do not match",
  });

/**
 * Public: the link is the proof of the address. A confirmed account accepts while signed in as
 * itself; an address without one (or with an unconfirmed one) chooses a name and password here.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const check = invitationForToken(params.token ?? "");
  if (!check.ok) return json({ valid: false as const, message: check.message });
  const { user } = await getAuth(request);
  const { invitation } = check;
  const wardNames = listWards()
    .filter((w) => invitation.councillorWardIds.includes(w.id))
    .map((w) => w.name);
  return json({
    valid: true as const,
    email: invitation.email,
    name: invitation.name,
    offer: describeOffer(invitation, check.groupName, wardNames),
    invitedBy: invitation.invitedByName,
    account: check.account,
    signedInAsInvitee: Boolean(user?.verified && user.email === invitation.email),
    path: new URL(request.url).pathname,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const token = params.token ?? "";
  const formData = await request.formData();
  if (formData.get("intent") === "accept") {
    const user = await requireVerifiedUser(request);
    const result = acceptInvitation(token, user);
    if (!result.ok) return json(failure({}, {}, result.message), { status: 400 });
    return redirect("/account?saved=invitation");
  }
  const form = parseForm(accountSchema, formData);
  if (!form.ok) return json(form, { status: 400 });
  const result = await acceptInvitationWithPassword(token, form.data);
  if (!result.ok) return json(failure({}, form.values, result.message), { status: 400 });
  // Whoever registered the address before its holder came loses every session they had.
  await endAllSessions(result.userId);
  return redirect("/account?saved=invitation", {
    headers: { "Set-Cookie": await startSession(request, result.userId) },
  });
}

export default function Invitation() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  if (!data.valid) {
    return (
      <div className="max-w-xl">
        <h1>This invitation cannot be used</h1>
        <p>{data.message}</p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>Your invitation</h1>
      <p>
        {data.invitedBy} has offered <strong>{data.email}</strong> {data.offer} on Wardfund. Nothing changes unless you
        accept.
      </p>
      <ErrorSummary
        state={state}
        labels={{ name: "Full name", password: "Password", confirmPassword: "Confirm password" }}
      />
      {data.account === "verified" ? (
        data.signedInAsInvitee ? (
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <SubmitButton>Accept the invitation</SubmitButton>
          </Form>
        ) : (
          <p>
            <Link to={`/login?redirectTo=${encodeURIComponent(data.path)}`}>Sign in as {data.email}</Link> and open this
            link again to accept. Signed in as someone else? Sign out first.
          </p>
        )
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <p>Choose your name and a password for your account at this address.</p>
          <TextField name="name" label="Full name" autoComplete="name" defaultValue={data.name} state={state} />
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
          <SubmitButton>Accept and create my account</SubmitButton>
        </Form>
      )}
    </div>
  );
}
