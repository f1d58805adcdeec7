import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { listWards } from "~/models/council.server";
import {
  acceptInvitation,
  acceptInvitationWithPassword,
  describeOffer,
  invitationForToken,
} from "~/models/invitations.server";
import { passwordSchema, PASSWORDS_DIFFER, personNameField } from "~/utils/account-fields";
import { endAllSessions, getAuth, requireVerifiedUser, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { requestTranslator } from "~/utils/i18n.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("account:invitation.title");

const accountSchema = z
  .object({
    intent: z.literal("create"),
    name: personNameField(),
    password: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: PASSWORDS_DIFFER,
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
  const { t } = await requestTranslator(request);
  const wardNames = listWards()
    .filter((w) => invitation.councillorWardIds.includes(w.id))
    .map((w) => w.name);
  return json({
    valid: true as const,
    email: invitation.email,
    name: invitation.name,
    offer: describeOffer(invitation, check.groupName, wardNames, t),
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
  const { t } = useTranslation("account");
  if (!data.valid) {
    return (
      <div className="max-w-xl">
        <h1>{t("invitation.unusable")}</h1>
        <p>{t(data.message)}</p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{t("invitation.title")}</h1>
      <p>
        <Trans
          t={t}
          i18nKey="invitation.offered"
          values={{ inviter: data.invitedBy, email: data.email, offer: data.offer }}
          components={{ strong: <strong /> }}
        />
      </p>
      <ErrorSummary
        state={state}
        labels={{
          name: t("label.fullName"),
          password: t("label.password"),
          confirmPassword: t("label.confirmPassword"),
        }}
      />
      {data.account === "verified" ? (
        data.signedInAsInvitee ? (
          <Form method="post">
            <input type="hidden" name="intent" value="accept" />
            <SubmitButton>{t("invitation.accept")}</SubmitButton>
          </Form>
        ) : (
          <p>
            <Trans
              t={t}
              i18nKey="invitation.signInAs"
              values={{ email: data.email }}
              components={{ anchor: <Link to={`/login?redirectTo=${encodeURIComponent(data.path)}`} /> }}
            />
          </p>
        )
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <p>{t("invitation.choose")}</p>
          <TextField
            name="name"
            label={t("label.fullName")}
            autoComplete="name"
            defaultValue={data.name}
            state={state}
          />
          <TextField
            name="password"
            label={t("label.password")}
            type="password"
            hint={t("label.passwordHint")}
            autoComplete="new-password"
            state={state}
          />
          <TextField
            name="confirmPassword"
            label={t("label.confirmPassword")}
            type="password"
            autoComplete="new-password"
            state={state}
          />
          <SubmitButton>{t("invitation.acceptCreate")}</SubmitButton>
        </Form>
      )}
    </div>
  );
}
